import type { Logger } from '@reserveit/telemetry';
import type { SenderMetrics } from './metrics.js';
import type { RateLimitStore, RateToken } from './outbox/rate-limit-store.js';

export interface SendSlotsDeps {
  limits: RateLimitStore;
  metrics: SenderMetrics;
  logger: Logger;
  sleep(ms: number): Promise<void>;
  /** A monotonic clock in milliseconds (performance.now). */
  nowMs(): number;
}

/** A number whose sends keep waiting is logged once per this long, not once per send. */
const WAIT_LOG_INTERVAL_MS = 10_000;

/** The shared rate limit cannot be read (Postgres away): the send is not made. */
export class RateLimitUnavailable extends Error {
  override name = 'RateLimitUnavailable';
}

/**
 * Each Graph API call's place in its number's shared send rate (src/outbox/rate-limit-store.ts),
 * with the metrics and logs of sends waiting for it. Fails safe: when the database does not
 * answer, wait() rejects and nothing is sent; the dispatcher retries the row after its lease and
 * a read receipt is redelivered with backoff.
 */
export class SendSlots {
  private readonly waitingPerNumber = new Map<string, number>();
  private readonly loggedAt = new Map<string, number>();

  constructor(private readonly deps: SendSlotsDeps) {}

  /** A token free right now, or undefined (none free, or no answer: the caller takes the waiting path). */
  async take(phoneNumberId: string): Promise<RateToken | undefined> {
    try {
      return await this.deps.limits.tryTake(phoneNumberId);
    } catch (error) {
      this.deps.metrics.rateLimitErrors.inc();
      this.deps.logger.warn({ err: error, phoneNumberId }, 'the shared rate limit did not answer');
      return undefined;
    }
  }

  /** Returns a token take() gave for a send that did not happen; a token not returned is only lost budget. */
  async giveBack(token: RateToken): Promise<void> {
    try {
      await this.deps.limits.giveBack(token);
    } catch (error) {
      this.deps.metrics.rateLimitErrors.inc();
      this.deps.logger.warn({ err: error }, 'an unused send token could not be returned');
    }
  }

  /** Resolves when the number may send; rejects with RateLimitUnavailable when the database did not answer. */
  async wait(phoneNumberId: string): Promise<void> {
    const { deps } = this;
    let waitMs: number;
    try {
      waitMs = await deps.limits.reserve(phoneNumberId);
    } catch (error) {
      deps.metrics.rateLimitErrors.inc();
      throw new RateLimitUnavailable('the shared rate limit did not answer; not sending', { cause: error });
    }
    if (waitMs === 0) return;
    deps.metrics.rateLimitWaitSeconds.observe(waitMs / 1000);
    const waiting = (this.waitingPerNumber.get(phoneNumberId) ?? 0) + 1;
    this.waitingPerNumber.set(phoneNumberId, waiting);
    deps.metrics.rateLimitWaiting.inc();
    this.logWaiting(phoneNumberId, waitMs, waiting);
    try {
      // Node's timers count from the event loop's cached time and fire early by as long as the
      // loop was busy when they were set: sleep again until the moment has really come.
      const until = deps.nowMs() + waitMs;
      for (let left = waitMs; left > 0; left = until - deps.nowMs()) await deps.sleep(Math.ceil(left));
    } finally {
      deps.metrics.rateLimitWaiting.dec();
      const left = (this.waitingPerNumber.get(phoneNumberId) ?? 1) - 1;
      if (left > 0) this.waitingPerNumber.set(phoneNumberId, left);
      else this.waitingPerNumber.delete(phoneNumberId);
    }
  }

  private logWaiting(phoneNumberId: string, waitMs: number, waiting: number): void {
    const now = this.deps.nowMs();
    const last = this.loggedAt.get(phoneNumberId);
    if (last !== undefined && now - last < WAIT_LOG_INTERVAL_MS) return;
    this.loggedAt.set(phoneNumberId, now);
    this.deps.logger.info(
      { phoneNumberId, waitMs, waiting },
      "sends wait for the number's shared rate limit (SENDER_RATE_PER_SECOND across all replicas)",
    );
  }
}
