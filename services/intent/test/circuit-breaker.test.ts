import { describe, expect, it } from 'vitest';
import {
  admit,
  type BreakerPolicy,
  type BreakerState,
  CircuitBreaker,
  evolve,
  initialBreaker,
} from '../src/llm/circuit-breaker.js';

const policy: BreakerPolicy = { window: 10, errorRate: 0.5, minimumCalls: 4, cooldownMs: 1_000 };

const run = (events: boolean[], start: BreakerState = initialBreaker(), now = 0) =>
  events.reduce<BreakerState>(
    (state, ok) => evolve(state, { type: ok ? 'success' : 'failure' }, now, policy),
    start,
  );

describe('circuit breaker state machine', () => {
  it('stays closed below the minimum number of calls, even if all failed', () => {
    expect(run([false, false, false]).kind).toBe('closed');
  });

  it('opens once the failure ratio over the window reaches the error rate', () => {
    expect(run([true, true, false, false]).kind).toBe('open');
    expect(run([true, true, true, false]).kind).toBe('closed');
  });

  it('forgets outcomes older than the window', () => {
    const state = run([false, true, true, true, true, true, true, true, true, true, true]);
    expect(state).toEqual({ kind: 'closed', outcomes: Array(10).fill(true) });
  });

  it('rejects calls while open and lets exactly one trial through after the cool-down', () => {
    const open: BreakerState = { kind: 'open', since: 5_000 };
    expect(admit(open, 5_999, policy).allowed).toBe(false);
    const trial = admit(open, 6_000, policy);
    expect(trial).toEqual({ allowed: true, state: { kind: 'half_open', trialInFlight: true } });
    expect(admit(trial.state, 6_001, policy).allowed).toBe(false);
  });

  it('closes after a successful trial and re-opens, with a fresh cool-down, after a failed one', () => {
    const halfOpen: BreakerState = { kind: 'half_open', trialInFlight: true };
    expect(evolve(halfOpen, { type: 'success' }, 7_000, policy)).toEqual(initialBreaker());
    expect(evolve(halfOpen, { type: 'failure' }, 7_000, policy)).toEqual({ kind: 'open', since: 7_000 });
  });

  it('hands a half-open trial back on an abandoned call, so the next call may be the trial', () => {
    const trial = admit({ kind: 'open', since: 0 }, 1_000, policy).state;
    const released = evolve(trial, { type: 'abandoned' }, 1_001, policy);
    expect(released).toEqual({ kind: 'half_open', trialInFlight: false });
    expect(admit(released, 1_002, policy).allowed).toBe(true);
    const closed = run([false, false, false]);
    expect(evolve(closed, { type: 'abandoned' }, 0, policy)).toEqual(closed);
  });

  it('runs the machine with an injected clock and reports state changes', () => {
    let now = 0;
    const changes: string[] = [];
    const breaker = new CircuitBreaker(
      policy,
      () => now,
      (kind) => changes.push(kind),
    );
    for (let i = 0; i < 4; i += 1) {
      expect(breaker.tryAcquire()).toBe(true);
      breaker.record(false);
    }
    expect(breaker.tryAcquire()).toBe(false);
    now = 1_000;
    expect(breaker.tryAcquire()).toBe(true);
    breaker.record(true);
    expect(changes).toEqual(['open', 'half_open', 'closed']);
  });
});
