import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, idleFor, next } from '../src/dialogue/index.js';
import { counted } from '../src/dialogue/session.js';
import { at, bodies, greeted, NOW, TOMORROW, turn, when } from './dialogue-fixtures.js';

describe('session and limits', () => {
  it('forgets a half-finished booking after 30 idle minutes but does not greet again', async () => {
    const s1 = await when(
      greeted(),
      turn('book for tomorrow', { intent: 'BOOK', entities: { date: TOMORROW } }),
    );
    const s2 = await when(
      s1.state,
      turn('8pm', { intent: 'OTHER', entities: { time: '20:00' } }, { now: at(31 * 60_000) }),
    );
    expect(s2.notes).toContainEqual({ kind: 'session.reset', idleMs: 31 * 60_000 });
    expect(s2.state.phase).toMatchObject({
      kind: 'collecting',
      booking: { time: '20:00' },
      expecting: 'date',
    });
    expect(bodies(s2.replies)).toEqual(['For which day would you like the table?']);
  });

  it('keeps the booking when the guest answers within 30 minutes', async () => {
    const s1 = await when(
      greeted(),
      turn('book for tomorrow', { intent: 'BOOK', entities: { date: TOMORROW } }),
    );
    const s2 = await when(
      s1.state,
      turn('8pm', { intent: 'OTHER', entities: { time: '20:00' } }, { now: at(29 * 60_000) }),
    );
    expect(s2.state.phase).toMatchObject({ booking: { date: TOMORROW, time: '20:00' } });
  });

  it('answers 20 messages a minute, sends one polite notice on the 21st, then stays quiet until the minute is over', async () => {
    let state = greeted();
    let replies = 0;
    for (let i = 0; i < 20; i += 1) {
      const step = await when(state, turn('thanks', { intent: 'THANKS' }, { now: at(i * 1000) }));
      replies += step.replies.length;
      state = step.state;
    }
    expect(replies).toBe(20);
    const notice = await when(state, turn('thanks', { intent: 'THANKS' }, { now: at(21_000) }));
    expect(bodies(notice.replies)).toEqual([
      'You are sending messages very quickly. I will answer again in a minute.',
    ]);
    const quiet = await when(notice.state, turn('thanks', { intent: 'THANKS' }, { now: at(22_000) }));
    expect(quiet.replies).toEqual([]);
    expect(quiet.notes).toEqual([{ kind: 'turn.ignored', reason: 'rate_limited' }]);
    const later = await when(quiet.state, turn('thanks', { intent: 'THANKS' }, { now: at(61_000) }));
    expect(bodies(later.replies)).toEqual(["You're welcome!"]);
  });
});

describe('the session’s clocks', () => {
  it('counts messages in a fixed minute that starts over with the first message after it', () => {
    const start = { windowStart: NOW, count: 5, noticed: true };
    expect(counted(start, at(59_999))).toEqual({ windowStart: NOW, count: 6, noticed: true });
    expect(counted(start, at(60_000))).toEqual({ windowStart: at(60_000), count: 1, noticed: false });
  });

  it('is idle only with something in progress and no message for the idle time; the timeout changes nothing else', async () => {
    const booking = await when(greeted(), turn('book', { intent: 'BOOK', entities: { date: TOMORROW } }));
    expect(idleFor(greeted(), at(60 * 60_000), DEFAULT_SETTINGS)).toBeUndefined();
    expect(idleFor(booking.state, at(30 * 60_000 - 1), DEFAULT_SETTINGS)).toBeUndefined();
    expect(idleFor(booking.state, at(30 * 60_000), DEFAULT_SETTINGS)).toBe(30 * 60_000);
    const reset = next(booking.state, { kind: 'idle', now: at(30 * 60_000) });
    expect(reset.state).toEqual({ ...booking.state, phase: { kind: 'idle' } });
    expect(reset.effects).toEqual([{ kind: 'note', note: { kind: 'session.reset', idleMs: 30 * 60_000 } }]);
    expect(next(booking.state, { kind: 'idle', now: at(60_000) })).toEqual({
      state: booking.state,
      effects: [],
    });
  });
});
