import { type Kysely, sql } from 'kysely';
import { type Cell, cellOf, type Rate, waitMsOf } from '../domain/send-rate.js';
import type { SenderDb } from './tables.js';

/** A token taken by tryTake(), which giveBack() can return while nobody took one after it. */
export interface RateToken {
  phoneNumberId: string;
  /** The number's `tat` this take left, exactly as stored (microseconds, as text: a bigint). */
  tatUs: string;
}

/**
 * The database clock in microseconds, read where it stands: in ON CONFLICT DO UPDATE the SET and
 * WHERE expressions run after the row lock was granted, so a statement that queued behind another
 * replica's does not schedule from the moment it was sent.
 */
const nowUs = sql<string>`(extract(epoch from clock_timestamp()) * 1000000)::bigint`;

/**
 * The per-number send rate shared by every sender replica through `sender.rate_limits`: one GCRA
 * row per business number (src/domain/send-rate.ts), taken in one statement on the database's
 * clock. Meta limits the number, not a process, so the replicas draw on one budget whatever
 * their count, and a replica's clock cannot skew it.
 *
 * Not rate-limiter-flexible's RateLimiterPostgres: it counts points in fixed windows whose expiry
 * each process computes from its own clock (`Date.now()`), so up to twice the points can pass
 * around a window's end and replicas whose clocks differ reset each other's windows; its
 * RateLimiterQueue orders waiters within one process only and polls when the window ends. This
 * is a token bucket with burst, one round trip per send (at 80/s per number that is cheap), and
 * waiters across replicas are served in the order their statements took the row's lock.
 * Not block leases of N tokens per replica either: an idle replica's lease would be lost budget,
 * and a send per statement already holds the row's lock for a fraction of a millisecond.
 *
 * A failing statement rejects: the caller does not send (see src/send-slots.ts).
 */
export class RateLimitStore {
  private readonly cell: Cell;

  constructor(
    private readonly db: Kysely<SenderDb>,
    rate: Rate,
  ) {
    this.cell = cellOf(rate);
  }

  /**
   * Takes the number's next token, lending one when none is free: resolves to the milliseconds
   * to wait before the send it buys. A number seen for the first time starts with a full bucket.
   */
  async reserve(phoneNumberId: string): Promise<number> {
    const { intervalUs } = this.cell;
    const { rows } = await sql<{ tat_us: string; now_us: string }>`
      insert into sender.rate_limits as r (phone_number_id, tat_us)
      values (${phoneNumberId}, ${nowUs} + ${intervalUs})
      on conflict (phone_number_id) do update set tat_us = greatest(r.tat_us, ${nowUs}) + ${intervalUs}
      returning tat_us, ${nowUs} as now_us`.execute(this.db);
    const row = rows[0];
    if (!row) throw new Error('reserving a send returned no row');
    return waitMsOf(Number(row.tat_us), Number(row.now_us), this.cell);
  }

  /** A token only if one is free now: never lends, so a caller that cannot wait queues nobody. */
  async tryTake(phoneNumberId: string): Promise<RateToken | undefined> {
    const { intervalUs, toleranceUs } = this.cell;
    const { rows } = await sql<{ tat_us: string }>`
      insert into sender.rate_limits as r (phone_number_id, tat_us)
      values (${phoneNumberId}, ${nowUs} + ${intervalUs})
      on conflict (phone_number_id) do update set tat_us = greatest(r.tat_us, ${nowUs}) + ${intervalUs}
        where r.tat_us - ${toleranceUs} <= ${nowUs}
      returning tat_us`.execute(this.db);
    const row = rows[0];
    return row ? { phoneNumberId, tatUs: row.tat_us } : undefined;
  }

  /**
   * Returns a token tryTake() took for a send that did not happen, only while the number's `tat`
   * is still the one that take left. A token taken after it was scheduled counting this one, and
   * handing it back then would let a later send share that one's moment (beyond the burst); it is
   * lost instead, which only slows the number down. True when it went back.
   */
  async giveBack(token: RateToken): Promise<boolean> {
    const result = await sql`
      update sender.rate_limits set tat_us = tat_us - ${this.cell.intervalUs}
      where phone_number_id = ${token.phoneNumberId} and tat_us = ${token.tatUs}::bigint`.execute(this.db);
    return (result.numAffectedRows ?? 0n) > 0n;
  }
}
