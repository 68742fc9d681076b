import { describe, expect, it } from 'vitest';
import { effectsOf } from '../src/domain/live-effects.js';
import { keys } from '../src/domain/query-keys.js';

const at = '2026-12-07T18:00:00Z';

describe('effectsOf', () => {
  it('refetches the inbox and that conversation on a conversation event', () => {
    expect(effectsOf('b1', { type: 'conversation', conversationId: 'c1', at })).toEqual([
      { kind: 'invalidate', key: keys.inbox('b1') },
      { kind: 'invalidate', key: keys.conversation('b1', 'c1') },
    ]);
  });

  it('patches the message tick in its conversation on a delivery event', () => {
    expect(
      effectsOf('b1', { type: 'delivery', messageId: 'm1', conversationId: 'c1', status: 'read', at }),
    ).toEqual([
      {
        kind: 'patchDelivery',
        conversationKey: keys.conversation('b1', 'c1'),
        messageId: 'm1',
        status: 'read',
      },
    ]);
  });

  it('looks in every cached conversation when the delivery names none', () => {
    const [effect] = effectsOf('b1', {
      type: 'delivery',
      messageId: 'm1',
      conversationId: null,
      status: 'sent',
      at,
    });
    expect(effect).toMatchObject({ kind: 'patchDelivery', conversationKey: null });
  });

  it('refetches the conversations on a failed send, so its reason (a template Meta rejected) shows', () => {
    const effects = effectsOf('b1', {
      type: 'delivery',
      messageId: 'm1',
      conversationId: null,
      status: 'failed',
      reason: '(#132001) Template name does not exist in the translation',
      at,
    });
    expect(effects).toContainEqual({ kind: 'invalidate', key: keys.conversations('b1') });
  });

  it('refetches the day of the booking, and the conversations that show it, on a reservation event', () => {
    expect(effectsOf('b1', { type: 'reservation', reservationId: 'r1', date: '2026-12-08', at })).toEqual([
      { kind: 'invalidate', key: keys.day('b1', '2026-12-08') },
      { kind: 'invalidate', key: keys.conversations('b1') },
    ]);
  });

  it('refetches the settings on a settings event', () => {
    expect(effectsOf('b1', { type: 'settings', at })).toEqual([
      { kind: 'invalidate', key: keys.settings('b1') },
    ]);
  });

  it('refetches everything on a resync, when what was missed cannot be replayed', () => {
    expect(effectsOf('b1', { type: 'resync', at })).toEqual([{ kind: 'invalidate', key: [] }]);
  });

  it('invalidates by prefix: the inbox key covers every filtered list of the restaurant only', () => {
    expect(keys.inboxFiltered('b1', 'amal', 'waiting').slice(0, 2)).toEqual([...keys.inbox('b1')]);
    expect(keys.day('b1', '2026-12-08').slice(0, 2)).toEqual([...keys.days('b1')]);
    expect(keys.inbox('b2')).not.toEqual(keys.inbox('b1'));
  });
});
