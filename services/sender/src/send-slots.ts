import type { Logger } from '@reserveit/telemetry';
import { blockSize, type Cell, cellOf, type Rate } from './domain/send-rate.js';
import type { SenderMetrics } from './metrics.js';
import type { RateLimitStore } from './outbox/rate-limit-store.js';

export interface SendSlotsDeps {
  limits: RateLimitStore;
  /** The number's rate, as the store was given it: sizes the blocks of free tokens asked for. */
  rate: Rate;
  metrics: SenderMetrics;
  logger: Logger;
  sleep(ms: number): Promise<void>;
  /** A monotonic clock in milliseconds (performance.now). */
  nowMs(): number;
}

/** A number whose sends keep waiting is logged once per this long, not once per send. */
const WAIT_LOG_INTERVAL_MS = 10_000;

/** A free token this replica holds: good for one send until `untilMs` (deps.nowMs's clock). */
export interface RateToken {
  phoneNumberId: string;
  untilMs: number;
}

/** Free tokens held for a number: `count` of them, good until `untilMs`. */
interface Held {
  count: number;
  untilMs: number;
}

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
  private readonly held = new Map<string, Held>();
  private readonly asks = new Map<string, number[]>();
  /** Numbers whose last block asked found no token free, until when (deps.nowMs's clock). */
  private readonly dryUntil = new Map<string, number>();

  private readonly cell: Cell;

  constructor(private readonly deps: SendSlotsDeps) {
    this.cell = cellOf(deps.rate);
  }

  /**
   * A token free right now, or undefined (none free, or no answer: the caller takes the waiting
   * path). One held from an earlier take goes first; else the store is asked for a block sized to
   * this replica's recent sends to the number, and what it grants beyond this send is held for
   * the cell's hold (src/domain/send-rate.ts), so a busy number costs a statement per block instead of one per send.
   */
  async take(phoneNumberId: string): Promise<RateToken | undefined> {
    const now = this.deps.nowMs();
    const recentAsks = this.noteAsk(phoneNumberId, now);
    const held = this.takeHeld(phoneNumberId, now);
    if (held) return held;
    try {
      return await this.takeBlock(phoneNumberId, now, recentAsks);
    } catch (error) {
      this.deps.metrics.rateLimitErrors.inc();
      this.deps.logger.warn({ err: error, phoneNumberId }, 'the shared rate limit did not answer');
      return undefined;
    }
  }

  /**
   * A block of the number's free tokens sized to its recent asks, one of them for this send and
   * the rest held; undefined when none is free (the number is then marked dry for a hold, see
   * wait()). Rejects when the store did not answer.
   */
  private async takeBlock(
    phoneNumberId: string,
    now: number,
    recentAsks: number,
  ): Promise<RateToken | undefined> {
    const granted = await this.deps.limits.tryTake(phoneNumberId, blockSize(recentAsks, this.cell));
    if (granted === 0) {
      this.dryUntil.set(phoneNumberId, now + this.cell.holdMs);
      return undefined;
    }
    this.dryUntil.delete(phoneNumberId);
    // Good from when the statement was sent: the grant cannot be older than that.
    const untilMs = now + this.cell.holdMs;
    this.hold(phoneNumberId, granted - 1, untilMs);
    return { phoneNumberId, untilMs };
  }

  /** A token held from an earlier grant, while one is good. */
  private takeHeld(phoneNumberId: string, now: number): RateToken | undefined {
    const held = this.held.get(phoneNumberId);
    if (!held || held.untilMs < now || held.count <= 0) return undefined;
    held.count -= 1;
    return { phoneNumberId, untilMs: held.untilMs };
  }

  /** Whether a token take() gave may still be used. */
  isGood(token: RateToken): boolean {
    return token.untilMs >= this.deps.nowMs();
  }

  /** Takes back a token take() gave for a send that did not happen, while it is still good. */
  giveBack(token: RateToken): void {
    this.hold(token.phoneNumberId, 1, token.untilMs);
  }

  private hold(phoneNumberId: string, count: number, untilMs: number): void {
    if (count <= 0 || !this.isGood({ phoneNumberId, untilMs })) return;
    const held = this.held.get(phoneNumberId);
    // Tokens of different grants share the earliest end: none is used past its own.
    if (held && held.untilMs >= this.deps.nowMs() && held.count > 0) {
      held.count += count;
      held.untilMs = Math.min(held.untilMs, untilMs);
    } else {
      this.held.set(phoneNumberId, { count, untilMs });
    }
  }

  /** Counts this take among the number's asks of the last hold; returns that count. */
  private noteAsk(phoneNumberId: string, now: number): number {
    const recent = (this.asks.get(phoneNumberId) ?? []).filter((at) => at > now - this.cell.holdMs);
    recent.push(now);
    this.asks.set(phoneNumberId, recent);
    return recent.length;
  }

  /**
   * Resolves when the number may send: at once with a held token or a free one of a block (as
   * take() gets them), else at the place the store gives it. Rejects with RateLimitUnavailable when the database did not answer.
   */
  async wait(phoneNumberId: string): Promise<void> {
    const { deps } = this;
    const now = deps.nowMs();
    const recentAsks = this.noteAsk(phoneNumberId, now);
    if (this.takeHeld(phoneNumberId, now)) return;
    // A block of free tokens first, as take() asks: the read receipt every reply carries asked the
    // store for its one token alone whenever nothing was held, as many statements as the replies'
    // blocks (pnpm bench:sender:statements). Not while the number had none free a hold ago (it is
    // at its rate, and the sends queue), nor where the rate is too low for blocks: there it would
    // only add a statement before the reservation.
    const blocks = this.cell.holdMs > 0 && (this.dryUntil.get(phoneNumberId) ?? 0) <= now;
    let waitMs: number;
    try {
      if (blocks && (await this.takeBlock(phoneNumberId, now, recentAsks))) return;
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
