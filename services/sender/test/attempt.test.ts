import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { afterAttempt, type ClaimedRow, planAttempt, retryDelay } from '../src/domain/attempt.js';

const policy = { maxAttempts: 4, baseMs: 1_000, maxMs: 60_000, pairBaseMs: 4_000, reconcileWindowMs: 60_000 };
const now = new Date('2026-03-01T12:00:00Z');
const at = (ms: number) => new Date(now.getTime() + ms);
const row = (overrides: Partial<ClaimedRow> = {}): ClaimedRow => ({
  state: 'pending',
  attempts: 0,
  lastAttemptAt: null,
  isReadReceipt: false,
  confirmedWamid: undefined,
  ...overrides,
});

describe('planAttempt', () => {
  it('sends a pending row as its next attempt', () => {
    expect(planAttempt(row({ attempts: 2 }), now, policy)).toEqual({ type: 'send', attempt: 3 });
  });

  it('confirms an unanswered send a status webhook named, without calling again', () => {
    const plan = planAttempt(
      row({ state: 'sending', attempts: 1, lastAttemptAt: at(-1_000), confirmedWamid: 'wamid.s' }),
      now,
      policy,
    );
    expect(plan).toEqual({ type: 'confirm', wamid: 'wamid.s' });
  });

  it('waits out the reconciliation window of an unanswered send before sending again', () => {
    expect(
      planAttempt(row({ state: 'sending', attempts: 1, lastAttemptAt: at(-10_000) }), now, policy),
    ).toEqual({
      type: 'wait',
      until: at(50_000),
    });
    expect(
      planAttempt(row({ state: 'sending', attempts: 1, lastAttemptAt: at(-60_000) }), now, policy),
    ).toEqual({
      type: 'send',
      attempt: 2,
    });
  });

  it('repeats an unanswered mark-as-read at once: it has no status to wait for and is harmless twice', () => {
    const plan = planAttempt(
      row({ state: 'sending', attempts: 1, lastAttemptAt: at(-1), isReadReceipt: true }),
      now,
      policy,
    );
    expect(plan).toEqual({ type: 'send', attempt: 2 });
  });

  it('gives up once the attempts are used', () => {
    expect(
      planAttempt(row({ state: 'sending', attempts: 4, lastAttemptAt: at(-61_000) }), now, policy),
    ).toMatchObject({
      type: 'give_up',
      code: 0,
    });
  });
});

describe('afterAttempt', () => {
  // The jitter is cockatiel's Math.random(): pinned to the middle of its range.
  beforeEach(() => {
    vi.spyOn(Math, 'random').mockReturnValue(0.5);
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('records a sent message and fails a permanent error without retry', () => {
    expect(afterAttempt({ type: 'sent', wamid: 'w' }, 1, false, now, policy)).toEqual({
      type: 'sent',
      wamid: 'w',
    });
    expect(afterAttempt({ type: 'permanent', code: 131047, reason: 'r' }, 1, false, now, policy)).toEqual({
      type: 'failed',
      code: 131047,
      reason: 'r',
      exhausted: false,
    });
  });

  it('schedules a retryable error with backoff, and fails it as exhausted on the last attempt', () => {
    const retry = afterAttempt(
      { type: 'retryable', code: 130429, reason: 'r', pacing: 'standard' },
      2,
      false,
      now,
      policy,
    );
    expect(retry).toEqual({ type: 'retry', at: at(1_500), code: 130429, reason: 'r' });
    const last = afterAttempt(
      { type: 'retryable', code: 130429, reason: 'r', pacing: 'standard' },
      4,
      false,
      now,
      policy,
    );
    expect(last).toEqual({ type: 'failed', code: 130429, reason: 'r', exhausted: true });
  });

  it('leaves an unconfirmed send for reconciliation after the window', () => {
    expect(afterAttempt({ type: 'unconfirmed', reason: 'timeout' }, 1, false, now, policy)).toEqual({
      type: 'unconfirmed',
      recheckAt: at(60_000),
      reason: 'timeout',
    });
  });
});

describe('retryDelay', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('doubles with equal jitter and stays within half and all of the exponential delay', () => {
    const random = vi.spyOn(Math, 'random').mockReturnValue(0);
    expect(retryDelay(1, 'standard', policy)).toBe(500);
    random.mockReturnValue(1);
    expect(retryDelay(3, 'standard', policy)).toBe(4_000);
    expect(retryDelay(20, 'standard', policy)).toBe(60_000);
  });

  it('quadruples for the pair rate limit, as Meta asks (4^n seconds)', () => {
    vi.spyOn(Math, 'random').mockReturnValue(1);
    expect([1, 2, 3].map((n) => retryDelay(n, 'pair', policy))).toEqual([4_000, 16_000, 60_000]);
  });
});
