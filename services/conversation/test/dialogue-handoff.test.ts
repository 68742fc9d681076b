import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, handedOff, next } from '../src/dialogue/index.js';
import { at, bodies, greeted, NOW, turn, when } from './dialogue-fixtures.js';

describe('human handoff', () => {
  it('pauses the bot when the guest asks for a person, until the handoff times out', async () => {
    const s1 = await when(greeted(), turn('I want to talk to a human', { intent: 'HUMAN' }));
    expect(bodies(s1.replies)).toEqual(['A member of our team will reply to you here shortly.']);
    expect(s1.notes).toContainEqual({
      kind: 'handoff.started',
      by: 'guest',
      until: at(DEFAULT_SETTINGS.handoffTimeoutMs),
    });
    const paused = await when(s1.state, turn('hello?', { intent: 'GREETING' }, { now: at(60_000) }));
    expect(paused.replies).toEqual([]);
    expect(paused.notes).toEqual([{ kind: 'turn.ignored', reason: 'handoff' }]);
    const after = await when(
      paused.state,
      turn('hello?', { intent: 'GREETING' }, { now: at(DEFAULT_SETTINGS.handoffTimeoutMs + 1) }),
    );
    expect(after.notes).toContainEqual({ kind: 'handoff.released', by: 'timeout' });
    expect(bodies(after.replies)).toEqual(['How can I help you today?']);
  });

  it('pauses on a staff handoff and answers again after the staff release', () => {
    const taken = next(greeted(), { kind: 'staff', action: 'handoff', now: NOW });
    expect(taken.state.handoff?.by).toBe('staff');
    const silent = next(taken.state, turn('hi', { intent: 'GREETING' }, { now: at(1000) }));
    expect(silent.effects).toEqual([{ kind: 'note', note: { kind: 'turn.ignored', reason: 'handoff' } }]);
    const released = next(silent.state, { kind: 'staff', action: 'release', now: at(2000) });
    expect(released.effects).toEqual([{ kind: 'note', note: { kind: 'handoff.released', by: 'staff' } }]);
    const answered = next(released.state, turn('hi', { intent: 'GREETING' }, { now: at(3000) }));
    expect(answered.effects.some((effect) => effect.kind === 'reply')).toBe(true);
  });

  it('ignores a release of a conversation nobody took over', () => {
    expect(next(greeted(), { kind: 'staff', action: 'release', now: NOW }).effects).toEqual([]);
  });
});

describe('whether staff have the conversation', () => {
  it('is true from a handoff until it is released or runs out', () => {
    expect(handedOff(greeted(), NOW)).toBe(false);
    const taken = next(greeted(), { kind: 'staff', action: 'handoff', now: NOW }).state;
    expect(handedOff(taken, at(1000))).toBe(true);
    expect(handedOff(taken, at(DEFAULT_SETTINGS.handoffTimeoutMs))).toBe(false);
    const released = next(taken, { kind: 'staff', action: 'release', now: at(2000) }).state;
    expect(handedOff(released, at(3000))).toBe(false);
  });
});
