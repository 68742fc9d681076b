import { retryBackoff } from '@reserveit/messaging';
import AsyncLock from 'async-lock';
import { handleType, type RetryPolicy, retry } from 'cockatiel';
import { type EventStore, WrongLastSequence } from './event-store.js';

export interface Loaded<S> {
  state: S;
  /** The subject's last sequence folded into `state`. */
  seq: number;
}

export interface AggregateType<S, E extends { id: string }> {
  initial(): S;
  evolve(state: S, event: E): S;
  /** Validates a stored payload; throws on a message this version cannot read. */
  parse(data: Uint8Array): E;
}

export type Decision<E, R, J> = { ok: true; events: E[]; result: R } | { ok: false; rejection: J };

export type Outcome<R, J> =
  /** `seqs`: stream sequences of the appended events (none when the decision had no events). */
  | { kind: 'done'; result: R; retries: number; seqs: number[] }
  | { kind: 'rejected'; rejection: J; retries: number }
  /** The first event's Msg-Id was stored before (by a concurrent or earlier call), at `seq`. */
  | { kind: 'duplicate'; seq: number; retries: number };

export class ConflictsExhausted extends Error {
  override name = 'ConflictsExhausted';
}

export interface AggregatesOptions {
  /** Tries of one command in all, the first included, before ConflictsExhausted. */
  maxRetries: number;
  /** Aggregates kept in memory; least recently used are dropped first. */
  cacheSize: number;
  onConflict?(): void;
}

/** Waits between tries after a conflict: another replica's append is milliseconds old. */
const CONFLICT_BACKOFF = { baseMs: 2, maxMs: 50 };

const appendsNothing = <E, R, J>(decision: Decision<E, R, J>) => !decision.ok || decision.events.length === 0;

/**
 * load → decide → append with the expected last subject sequence; on a conflict, catch up from the
 * cached sequence and decide again, a bounded number of times with jittered backoff. The cache
 * keeps state + sequence per subject, so a hot aggregate is never re-read from the start.
 */
export class Aggregates<S, E extends { id: string }> {
  private readonly cache = new Map<string, Loaded<S>>();
  /**
   * Commands of one subject run one at a time inside this process, so JetStream conflicts only
   * come from other replicas. No cap on waiting commands (async-lock's default is 1000): each
   * caller's deadline already bounds its wait.
   */
  private readonly lock = new AsyncLock({ maxPending: Number.POSITIVE_INFINITY });
  /** Only a conflict is tried again; any other error (a timeout, a broken stream) goes to the caller. */
  private readonly conflicts: RetryPolicy;

  constructor(
    private readonly store: EventStore,
    private readonly type: AggregateType<S, E>,
    private readonly options: AggregatesOptions,
  ) {
    this.conflicts = retry(handleType(WrongLastSequence), {
      maxAttempts: options.maxRetries - 1,
      backoff: retryBackoff(CONFLICT_BACKOFF),
    });
  }

  /**
   * The aggregate as of now (reads whatever was appended since it was cached). A read that does
   * not finish by `deadlineMs` (or the store's read timeout) throws ReadTimeout.
   */
  load(subject: string, deadlineMs = Number.POSITIVE_INFINITY): Promise<Loaded<S>> {
    return this.lock.acquire(subject, () => this.refresh(subject, deadlineMs));
  }

  execute<R, J>(
    subject: string,
    decide: (state: S) => Decision<E, R, J>,
    deadlineMs = Number.POSITIVE_INFINITY,
  ): Promise<Outcome<R, J>> {
    return this.lock.acquire(subject, async () => {
      try {
        return await this.conflicts.execute(({ attempt }) =>
          this.tryOnce(subject, decide, deadlineMs, attempt),
        );
      } catch (error) {
        if (!(error instanceof WrongLastSequence)) throw error;
        throw new ConflictsExhausted(
          `${subject}: still conflicting after ${this.options.maxRetries} attempts`,
        );
      }
    });
  }

  /** One decide → append; throws WrongLastSequence for the retry policy when another append came first. */
  private async tryOnce<R, J>(
    subject: string,
    decide: (state: S) => Decision<E, R, J>,
    deadlineMs: number,
    attempt: number,
  ): Promise<Outcome<R, J>> {
    // After a conflict the cache is behind by definition: read what the other replica appended.
    const cached = attempt === 0 ? this.cache.get(subject) : undefined;
    let loaded = cached ?? (await this.refresh(subject, deadlineMs));
    let decision = decide(loaded.state);
    // An append is checked by JetStream against the subject's last sequence; a refusal or a
    // no-op is not. Decided on a cached state, it would stand on what this replica last saw:
    // a day another replica freed since stays "full" here, a booking another replica moved in
    // is "not found". So it is decided again on the state read now, once.
    if (cached && appendsNothing(decision)) {
      const caughtUp = await this.refresh(subject, deadlineMs);
      if (caughtUp.seq !== loaded.seq) {
        loaded = caughtUp;
        decision = decide(loaded.state);
      }
    }
    if (!decision.ok) return { kind: 'rejected', rejection: decision.rejection, retries: attempt };
    if (decision.events.length === 0)
      return { kind: 'done', result: decision.result, retries: attempt, seqs: [] };
    try {
      const appended = await this.store.append(
        subject,
        decision.events.map((event) => ({ id: event.id, data: JSON.stringify(event) })),
        loaded.seq,
      );
      if (appended.kind === 'duplicate') {
        await this.refresh(subject, deadlineMs);
        return { kind: 'duplicate', seq: appended.seq, retries: attempt };
      }
      const state = decision.events.reduce(this.type.evolve, loaded.state);
      this.remember(subject, { state, seq: appended.lastSeq });
      return { kind: 'done', result: decision.result, retries: attempt, seqs: appended.seqs };
    } catch (error) {
      if (!(error instanceof WrongLastSequence)) {
        // A timeout may or may not have stored the event: forget what we think we know.
        this.cache.delete(subject);
        throw error;
      }
      this.options.onConflict?.();
      if (Date.now() >= deadlineMs) {
        throw new ConflictsExhausted(`${subject}: still conflicting after ${attempt + 1} attempts`);
      }
      throw error;
    }
  }

  /** Folds in whatever the subject got since the cached sequence. */
  private async refresh(subject: string, deadlineMs: number): Promise<Loaded<S>> {
    const cached = this.cache.get(subject) ?? { state: this.type.initial(), seq: 0 };
    const { messages, lastSeq } = await this.store.read(subject, cached.seq, deadlineMs);
    let state = cached.state;
    for (const message of messages) state = this.type.evolve(state, this.type.parse(message.data));
    const loaded = { state, seq: lastSeq };
    this.remember(subject, loaded);
    return loaded;
  }

  private remember(subject: string, loaded: Loaded<S>): void {
    this.cache.delete(subject);
    this.cache.set(subject, loaded);
    if (this.cache.size > this.options.cacheSize) {
      const oldest = this.cache.keys().next();
      if (!oldest.done) this.cache.delete(oldest.value);
    }
  }
}
