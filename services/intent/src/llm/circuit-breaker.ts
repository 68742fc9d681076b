/**
 * A circuit breaker as a pure state machine: (state, event, now) → state. It opens when the
 * failure ratio over the last `window` calls reaches `errorRate` (with at least `minimumCalls`
 * seen), stays open for `cooldownMs`, then lets one trial call through (half-open): success closes
 * it, failure opens it again. Time is a parameter, so the tests need no timers.
 *
 * Written here rather than taken from cockatiel (whose retry policy the services use): cockatiel
 * 3.2.1's circuitBreaker (src/CircuitBreakerPolicy.ts, https://github.com/connor4312/cockatiel)
 * makes callers wait for the half-open trial instead of answering with rules at once, closes the
 * circuit when the trial ends in an error it does not count, so a trial handed back unmade (the
 * memory read used up the budget) would let every caller through to a model that may still be
 * down, opens only above the error rate (never at 1), and reads Date.now() itself.
 */
export interface BreakerPolicy {
  window: number;
  /** 0..1 */
  errorRate: number;
  minimumCalls: number;
  cooldownMs: number;
}

export type BreakerState =
  | { kind: 'closed'; outcomes: readonly boolean[] }
  | { kind: 'open'; since: number }
  | { kind: 'half_open'; trialInFlight: boolean };

/** `abandoned`: an admitted call never reached the endpoint (e.g. its budget ran out first). */
export type BreakerEvent = { type: 'success' } | { type: 'failure' } | { type: 'abandoned' };

export const initialBreaker = (): BreakerState => ({ kind: 'closed', outcomes: [] });

/** Whether a call may go out now, and the state after deciding (open → half-open after the cool-down). */
export function admit(
  state: BreakerState,
  now: number,
  policy: BreakerPolicy,
): { allowed: boolean; state: BreakerState } {
  switch (state.kind) {
    case 'closed':
      return { allowed: true, state };
    case 'open':
      if (now - state.since >= policy.cooldownMs)
        return { allowed: true, state: { kind: 'half_open', trialInFlight: true } };
      return { allowed: false, state };
    case 'half_open':
      // One trial at a time: the others fall back until it tells how the endpoint is.
      if (state.trialInFlight) return { allowed: false, state };
      return { allowed: true, state: { kind: 'half_open', trialInFlight: true } };
    default:
      return assertNever(state);
  }
}

export function evolve(
  state: BreakerState,
  event: BreakerEvent,
  now: number,
  policy: BreakerPolicy,
): BreakerState {
  if (event.type === 'abandoned') {
    // Nothing was learnt about the endpoint: only a half-open trial slot has to be handed back, or
    // the breaker would wait for its outcome for ever.
    return state.kind === 'half_open' ? { kind: 'half_open', trialInFlight: false } : state;
  }
  const ok = event.type === 'success';
  switch (state.kind) {
    case 'closed': {
      const outcomes = [...state.outcomes, ok].slice(-policy.window);
      const failures = outcomes.filter((outcome) => !outcome).length;
      if (outcomes.length >= policy.minimumCalls && failures / outcomes.length >= policy.errorRate)
        return { kind: 'open', since: now };
      return { kind: 'closed', outcomes };
    }
    case 'open':
      // A call admitted before the breaker opened finished late; it changes nothing.
      return state;
    case 'half_open':
      return ok ? initialBreaker() : { kind: 'open', since: now };
    default:
      return assertNever(state);
  }
}

function assertNever(value: never): never {
  throw new Error(`unhandled breaker state ${JSON.stringify(value)}`);
}

/** The imperative shell around the machine: holds the state and reads the injected clock. */
export class CircuitBreaker {
  private state: BreakerState = initialBreaker();

  constructor(
    private readonly policy: BreakerPolicy,
    private readonly now: () => number,
    private readonly onChange: (kind: BreakerState['kind']) => void = () => undefined,
  ) {}

  get kind(): BreakerState['kind'] {
    return this.state.kind;
  }

  tryAcquire(): boolean {
    const { allowed, state } = admit(this.state, this.now(), this.policy);
    this.set(state);
    return allowed;
  }

  record(success: boolean): void {
    this.set(evolve(this.state, { type: success ? 'success' : 'failure' }, this.now(), this.policy));
  }

  /** Hands an admission back without an outcome: the call was never made. */
  release(): void {
    this.set(evolve(this.state, { type: 'abandoned' }, this.now(), this.policy));
  }

  private set(next: BreakerState): void {
    const changed = next.kind !== this.state.kind;
    this.state = next;
    if (changed) this.onChange(next.kind);
  }
}
