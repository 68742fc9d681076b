import type { ConversationSummary } from '@reserveit/console-api';
import { describe, expect, it } from 'vitest';
import { sectionsFor } from '../src/domain/access.js';
import { segmentUnder } from '../src/domain/field-paths.js';
import { mergeInboxPages, takenByMe } from '../src/domain/inbox.js';
import { directionOf, pickLanguage } from '../src/domain/language.js';

function summary(id: string, lastMessageAt: string): ConversationSummary {
  return {
    id,
    guestName: id,
    guestPhoneTail: '4567',
    state: 'bot',
    takenBy: '',
    waitingSince: null,
    unread: 0,
    lastMessageAt,
    lastMessagePreview: '',
    lastFailure: '',
    lowRating: null,
    language: 'en',
  };
}

describe('inbox', () => {
  it('lists the most recent conversation first, once, across pages', () => {
    const merged = mergeInboxPages([
      { conversations: [summary('a', '2026-12-07T10:00:00Z'), summary('b', '2026-12-07T09:00:00Z')] },
      // "a" got a new message between the two page loads.
      { conversations: [summary('c', '2026-12-07T08:00:00Z'), summary('a', '2026-12-07T11:00:00Z')] },
    ]);
    expect(merged.map((c) => [c.id, c.lastMessageAt])).toEqual([
      ['a', '2026-12-07T11:00:00Z'],
      ['b', '2026-12-07T09:00:00Z'],
      ['c', '2026-12-07T08:00:00Z'],
    ]);
  });

  it('knows a conversation taken over by this staff member, by name, id or email', () => {
    const me = { id: 's1', name: 'Nadia', email: 'nadia@example.com' };
    expect(takenByMe({ state: 'taken', takenBy: 'Nadia' }, me)).toBe(true);
    expect(takenByMe({ state: 'taken', takenBy: 's1' }, me)).toBe(true);
    expect(takenByMe({ state: 'taken', takenBy: 'Omar' }, me)).toBe(false);
    expect(takenByMe({ state: 'waiting', takenBy: 'Nadia' }, me)).toBe(false);
  });
});

describe('access', () => {
  it('shows hosts the day and the inbox, owners also settings, staff and tokens', () => {
    expect(sectionsFor('host')).toEqual(['day', 'inbox']);
    expect(sectionsFor('owner')).toEqual(['day', 'inbox', 'settings', 'staff', 'tokens']);
  });
});

describe('field paths', () => {
  it("finds the row an error's dotted field points at", () => {
    expect(segmentUnder('hours.weekly.1.0.start', 'hours.weekly.1')).toBe('0');
    expect(segmentUnder('hours.weekly.12.0.start', 'hours.weekly.1')).toBeNull();
    expect(segmentUnder(null, 'templates')).toBeNull();
  });
});

describe('language', () => {
  it('prefers the remembered choice, then the browser, then English', () => {
    expect(pickLanguage('ar', ['en-US'])).toBe('ar');
    expect(pickLanguage(null, ['fr-FR', 'ar-AE'])).toBe('ar');
    expect(pickLanguage('de', ['fr'])).toBe('en');
  });

  it('writes Arabic right to left', () => {
    expect(directionOf('ar')).toBe('rtl');
    expect(directionOf('en')).toBe('ltr');
  });
});
