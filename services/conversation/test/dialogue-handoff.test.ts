import { describe, expect, it } from 'vitest';
import { answeredByStaff, DEFAULT_SETTINGS, handedOff, next } from '../src/dialogue/index.js';
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
    const taken = next(greeted(), { kind: 'staff', action: 'handoff', staff: 'maria', now: NOW });
    expect(taken.state.handoff?.by).toBe('staff');
    const silent = next(taken.state, turn('hi', { intent: 'GREETING' }, { now: at(1000) }));
    expect(silent.effects).toEqual([{ kind: 'note', note: { kind: 'turn.ignored', reason: 'handoff' } }]);
    const released = next(silent.state, { kind: 'staff', action: 'release', staff: 'maria', now: at(2000) });
    expect(released.effects).toEqual([{ kind: 'note', note: { kind: 'handoff.released', by: 'staff' } }]);
    const answered = next(released.state, turn('hi', { intent: 'GREETING' }, { now: at(3000) }));
    expect(answered.effects.some((effect) => effect.kind === 'reply')).toBe(true);
  });

  it('ignores a release of a conversation nobody took over', () => {
    expect(next(greeted(), { kind: 'staff', action: 'release', staff: 'maria', now: NOW }).effects).toEqual(
      [],
    );
  });
});

describe('whether staff have the conversation', () => {
  it('is true from a handoff until it is released or runs out', () => {
    expect(handedOff(greeted(), NOW)).toBe(false);
    const taken = next(greeted(), { kind: 'staff', action: 'handoff', staff: 'maria', now: NOW }).state;
    expect(handedOff(taken, at(1000))).toBe(true);
    expect(handedOff(taken, at(DEFAULT_SETTINGS.handoffTimeoutMs))).toBe(false);
    const released = next(taken, { kind: 'staff', action: 'release', staff: 'maria', now: at(2000) }).state;
    expect(handedOff(released, at(3000))).toBe(false);
  });
});

describe('who has the conversation and who waits', () => {
  it('marks the guest waiting from asking for a person until staff take it over, and names who took it', async () => {
    const asked = await when(greeted(), turn('I want to talk to a human', { intent: 'HUMAN' }));
    expect(asked.state.handoff).toMatchObject({ by: 'guest', since: NOW, waitingSince: NOW });
    expect(asked.state.handoff).not.toHaveProperty('staff');
    const taken = next(asked.state, {
      kind: 'staff',
      action: 'handoff',
      staff: 'maria',
      now: at(5000),
    }).state;
    expect(taken.handoff).toMatchObject({ by: 'staff', since: at(5000), staff: 'maria' });
    expect(taken.handoff).not.toHaveProperty('waitingSince');
    const released = next(taken, { kind: 'staff', action: 'release', staff: 'maria', now: at(6000) }).state;
    expect(released).not.toHaveProperty('handoff');
  });

  it('stops the wait when staff answer a guest nobody took, and makes the conversation the writer’s', async () => {
    const asked = await when(greeted(), turn('I want to talk to a human', { intent: 'HUMAN' }));
    const answered = answeredByStaff(asked.state, 'omar');
    expect(answered.handoff).toEqual({
      by: 'guest',
      since: NOW,
      until: at(DEFAULT_SETTINGS.handoffTimeoutMs),
      staff: 'omar',
    });
    // Whoever took it over keeps it when a colleague writes too.
    const taken = next(greeted(), { kind: 'staff', action: 'handoff', staff: 'maria', now: NOW }).state;
    expect(answeredByStaff(taken, 'omar').handoff?.staff).toBe('maria');
    expect(answeredByStaff(greeted(), 'omar')).toEqual(greeted());
  });
});
