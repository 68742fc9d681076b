import type { Template } from '@reserveit/console-api';
import { describe, expect, it } from 'vitest';
import { fillTemplate, resizeParameters, templateKey } from '../src/domain/templates.js';

const reminder: Template = {
  name: 'booking_reminder',
  language: 'en',
  bodyParameters: 2,
  category: 'utility',
  purpose: 'reminder',
};

describe('template parameters', () => {
  it('makes as many inputs as the template has parameters, keeping what was typed', () => {
    expect(resizeParameters([], 2)).toEqual(['', '']);
    expect(resizeParameters(['Amal', '20:00', 'extra'], 2)).toEqual(['Amal', '20:00']);
    expect(resizeParameters(['Amal'], 3)).toEqual(['Amal', '', '']);
  });

  it('builds the reply body with trimmed parameters', () => {
    expect(fillTemplate(reminder, [' Amal ', '20:00'])).toEqual({
      ok: true,
      template: { name: 'booking_reminder', language: 'en', parameters: ['Amal', '20:00'] },
    });
  });

  it('names the parameters still empty, since WhatsApp refuses a blank one', () => {
    expect(fillTemplate(reminder, ['Amal', '  '])).toEqual({ ok: false, missing: [1] });
    expect(fillTemplate(reminder, [])).toEqual({ ok: false, missing: [0, 1] });
  });

  it('sends a template without parameters as it is', () => {
    expect(fillTemplate({ ...reminder, bodyParameters: 0 }, ['ignored'])).toEqual({
      ok: true,
      template: { name: 'booking_reminder', language: 'en', parameters: [] },
    });
  });

  it('tells the same template in two languages apart', () => {
    expect(templateKey(reminder)).not.toBe(templateKey({ ...reminder, language: 'ar' }));
  });
});
