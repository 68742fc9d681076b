import type { ConversationDetail, Message } from '@reserveit/console-api';
import { describe, expect, it } from 'vitest';
import { authorOf, patchDelivery, tickOf, windowOpen } from '../src/domain/messages.js';

function message(id: string, status: Message['status']): Message {
  return {
    id,
    direction: 'out',
    author: 'bot',
    kind: 'text',
    text: 'hi',
    at: '2026-12-07T18:00:00Z',
    status,
    error: '',
  };
}

function detail(messages: Message[]): ConversationDetail {
  return {
    conversation: {
      id: 'c1',
      guestName: 'Amal',
      guestPhoneTail: '4567',
      state: 'bot',
      takenBy: '',
      waitingSince: null,
      unread: 0,
      lastMessageAt: '2026-12-07T18:00:00Z',
      lastMessagePreview: 'hi',
      lastFailure: '',
      lowRating: null,
      language: 'en',
    },
    messages,
    windowOpenUntil: null,
    reservations: [],
    templates: [],
  };
}

describe('ticks', () => {
  it('shows ✓ sent, ✓✓ delivered, blue ✓✓ read, red for failed, none for a guest message', () => {
    expect(tickOf('sent')).toEqual({ symbol: '✓', tone: 'muted' });
    expect(tickOf('delivered')).toEqual({ symbol: '✓✓', tone: 'muted' });
    expect(tickOf('read')).toEqual({ symbol: '✓✓', tone: 'read' });
    expect(tickOf('failed')?.tone).toBe('failed');
    expect(tickOf(null)).toBeNull();
  });
});

describe('authorOf', () => {
  it('tells the guest, the bot and a named staff member apart', () => {
    expect(authorOf({ author: 'guest', direction: 'in' })).toEqual({ kind: 'guest' });
    expect(authorOf({ author: 'bot', direction: 'out' })).toEqual({ kind: 'bot' });
    expect(authorOf({ author: 'staff:Nadia K.', direction: 'out' })).toEqual({
      kind: 'staff',
      name: 'Nadia K.',
    });
  });
});

describe('patchDelivery', () => {
  it('moves the tick of the message the event names', () => {
    const patched = patchDelivery(detail([message('m1', 'sent'), message('m2', 'sent')]), 'm2', 'read');
    expect(patched?.messages.map((m) => m.status)).toEqual(['sent', 'read']);
  });

  it('never moves a tick back when statuses arrive out of order', () => {
    const before = detail([message('m1', 'read')]);
    expect(patchDelivery(before, 'm1', 'delivered')).toBe(before);
  });

  it('marks a delivered message failed, since a failure is final', () => {
    expect(patchDelivery(detail([message('m1', 'delivered')]), 'm1', 'failed')?.messages[0]?.status).toBe(
      'failed',
    );
  });

  it('answers null for a message it does not hold, so the caller refetches', () => {
    expect(patchDelivery(detail([message('m1', 'sent')]), 'm9', 'read')).toBeNull();
  });
});

describe('windowOpen', () => {
  const now = new Date('2026-12-07T18:00:00Z');
  it('allows free text until windowOpenUntil, not after, and not when it is null', () => {
    expect(windowOpen('2026-12-07T18:00:01Z', now)).toBe(true);
    expect(windowOpen('2026-12-07T18:00:00Z', now)).toBe(false);
    expect(windowOpen(null, now)).toBe(false);
  });
});
