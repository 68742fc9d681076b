import { backoffDelay } from '@reserveit/messaging';
import { type EventStore, WrongLastSequence } from './event-store.js';
import { KeyedLock } from './keyed-lock.js';

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
  maxRetries: number;
  /** Aggregates kept in memory; least recently used are dropped first. */
  cacheSize: number;
  onConflict?(): void;
}

/**
 * load → decide → append with the expected last subject sequence; on a conflict, catch up from the
 * cached sequence and decide again, a bounded number of times with jittered backoff. The cache
 * keeps state + sequence per subject, so a hot aggregate is never re-read from the start.
 */
export class Aggregates<S, E extends { id: string }> {
  private readonly cache = new Map<string, Loaded<S>>();
  private readonly lock = new KeyedLock();

  constructor(
    private readonly store: EventStore,
    private readonly type: AggregateType<S, E>,
    private readonly options: AggregatesOptions,
  ) {}

  /**
   * The aggregate as of now (reads whatever was appended since it was cached). A read that does
   * not finish by `deadlineMs` (or the store's read timeout) throws ReadTimeout.
   */
  load(subject: string, deadlineMs = Number.POSITIVE_INFINITY): Promise<Loaded<S>> {
    return this.lock.run(subject, () => this.refresh(subject, deadlineMs));
  }

  execute<R, J>(
    subject: string,
    decide: (state: S) => Decision<E, R, J>,
    deadlineMs = Number.POSITIVE_INFINITY,
  ): Promise<Outcome<R, J>> {
    return this.lock.run(subject, async () => {
      const cached = this.cache.get(subject);
      let loaded = cached ?? (await this.refresh(subject, deadlineMs));
      let fresh = !cached;
      for (let attempt = 0; ; attempt++) {
        const decision = decide(loaded.state);
        const appendsNothing = !decision.ok || decision.events.length === 0;
        // An append is checked by JetStream against the subject's last sequence; a refusal or a
        // no-op is not. Decided on a cached state, it would stand on what this replica last saw:
        // a day another replica freed since stays "full" here, a booking another replica moved in
        // is "not found". So it is decided again on the state read now, once.
        if (appendsNothing && !fresh) {
          fresh = true;
          const caughtUp = await this.refresh(subject, deadlineMs);
          if (caughtUp.seq !== loaded.seq) {
            loaded = caughtUp;
            attempt--;
            continue;
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
          if (attempt + 1 >= this.options.maxRetries || Date.now() >= deadlineMs) {
            throw new ConflictsExhausted(`${subject}: still conflicting after ${attempt + 1} attempts`);
          }
          await sleep(backoffDelay(attempt + 1, { baseMs: 2, maxMs: 50 }));
          loaded = await this.refresh(subject, deadlineMs);
          fresh = true;
        }
      }
    });
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

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
