import { describe, expect, it } from 'vitest';
import { fallbackUnderstanding } from '../src/dialogue/index.js';

const base = { now: '2026-11-23T10:00:00.000Z', timeZone: 'Asia/Dubai' };

describe('built-in understanding while intent.v1 is unreachable', () => {
  it('reads a whole English booking request', () => {
    expect(fallbackUnderstanding({ ...base, text: 'book a table for 4 people tomorrow at 8pm' })).toEqual({
      intent: 'BOOK',
      entities: { date: '2026-11-24', time: '20:00', partySize: 4 },
      language: 'en',
      source: 'fallback',
    });
  });

  it('reads an Arabic booking request with Arabic digits', () => {
    const understood = fallbackUnderstanding({ ...base, text: 'حجز طاولة ٤ أشخاص بكرة' });
    expect(understood).toMatchObject({
      intent: 'BOOK',
      entities: { partySize: 4, date: '2026-11-24' },
      language: 'ar',
    });
  });

  it('recognises cancel, menu, hours and a request for a person', () => {
    expect(fallbackUnderstanding({ ...base, text: 'please cancel' }).intent).toBe('CANCEL');
    expect(fallbackUnderstanding({ ...base, text: 'المنيو' }).intent).toBe('MENU');
    expect(fallbackUnderstanding({ ...base, text: 'when do you open' }).intent).toBe('HOURS');
    expect(fallbackUnderstanding({ ...base, text: 'I want a human' }).intent).toBe('HUMAN');
  });

  it('fills the slot that was asked for from a bare answer', () => {
    expect(fallbackUnderstanding({ ...base, text: '4', expecting: 'party_size' }).entities).toEqual({
      partySize: 4,
    });
    expect(fallbackUnderstanding({ ...base, text: '8', expecting: 'time' }).entities).toEqual({
      time: '20:00',
    });
    expect(fallbackUnderstanding({ ...base, text: 'Sarah', expecting: 'name' }).entities).toEqual({
      guestName: 'Sarah',
    });
  });

  it('admits it understood nothing rather than guessing', () => {
    expect(fallbackUnderstanding({ ...base, text: 'lorem ipsum' })).toMatchObject({
      intent: 'OTHER',
      entities: {},
    });
  });
});
