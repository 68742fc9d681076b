import { coalesce } from '@reserveit/db';
import { type Kysely, type RawBuilder, sql } from 'kysely';
import { type Cell, cellOf, type Rate, waitsOf } from '../domain/send-rate.js';
import type { SenderDb } from './tables.js';

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
 * is a token bucket with burst, and waiters across replicas are served in the order their
 * statements took the row's lock. Sends of one process that ask while a statement
 * runs go together in the next (coalesce): with a hundred sends waiting on one number, one
 * statement each took that row's lock in turn and cut the dispatcher's drain to a fifth
 * (pnpm bench:sender).
 * Not long block leases of N tokens per replica either: an idle replica's lease would be lost
 * budget. A busy number's free tokens are taken in blocks sized to the replica's recent sends and
 * held for at most TOKEN_HOLD_MS (src/send-slots.ts), with the burst's tolerance shortened by as
 * much (src/domain/send-rate.ts).
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
  reserve(phoneNumberId: string): Promise<number> {
    return this.reservations(phoneNumberId);
  }

  /** One statement for the sends of several numbers, each number's taken together, in the order asked. */
  private readonly reservations = coalesce(async (numbers: string[]) => {
    const asked = new Map<string, number>();
    for (const number of numbers) asked.set(number, (asked.get(number) ?? 0) + 1);
    // Every statement locks its rows in one order, so two replicas' statements cannot deadlock.
    const ids = [...asked.keys()].sort();
    // `clock` is read once, before any lock: a number's `tat` moves by exactly its count of
    // intervals (excluded.tat_us less it), from the clock read after the lock.
    const { rows } = await sql<{ phone_number_id: string; tat_us: string; now_us: string }>`
      with clock as materialized (select ${nowUs} as now_us)
      insert into sender.rate_limits as r (phone_number_id, tat_us)
      select a.phone_number_id, clock.now_us + a.n * ${this.cell.intervalUs}
      from unnest(${ids}::text[], ${ids.map((id) => asked.get(id))}::bigint[]) with ordinality
        as a(phone_number_id, n, i), clock
      order by a.i
      on conflict (phone_number_id) do update
        set tat_us = greatest(r.tat_us, ${nowUs}) + (excluded.tat_us - (select now_us from clock))
      returning r.phone_number_id, r.tat_us, ${nowUs} as now_us`.execute(this.db);
    const waits = new Map(
      rows.map((row) => [
        row.phone_number_id,
        waitsOf(Number(row.tat_us), asked.get(row.phone_number_id) ?? 0, Number(row.now_us), this.cell),
      ]),
    );
    const handedOut = new Map<string, number>();
    return numbers.map((number) => {
      const place = handedOut.get(number) ?? 0;
      handedOut.set(number, place + 1);
      const wait = waits.get(number)?.[place];
      if (wait === undefined) throw new Error('reserving sends returned no row for a number');
      return wait;
    });
  });

  /**
   * Up to `count` of the number's tokens that are free now, never lending: resolves to how many
   * were granted (0: none free, and nothing was taken). Takes of one process asked while a
   * statement runs go together in the next (coalesce), as reservations do: each number is granted
   * as many as it has free, the first asked first.
   */
  tryTake(phoneNumberId: string, count = 1): Promise<number> {
    return this.takes({ phoneNumberId, count });
  }

  private readonly takes = coalesce(async (asks: { phoneNumberId: string; count: number }[]) => {
    const asked = new Map<string, number>();
    for (const ask of asks) asked.set(ask.phoneNumberId, (asked.get(ask.phoneNumberId) ?? 0) + ask.count);
    const ids = [...asked.keys()].sort();
    const burst = Math.floor(this.cell.toleranceUs / this.cell.intervalUs) + 1;
    const intervalUs = sql`${this.cell.intervalUs}::bigint`;
    const toleranceUs = sql`${this.cell.toleranceUs}::bigint`;
    // Tokens free now, at most those asked: a token is free while tat - tolerance <= now, and
    // each further one an interval later (floor over numeric: the difference may be negative).
    // One reading of the clock for the grant and the new tat (a row-valued SET), so a statement
    // never grants more than it moved tat by; the WHERE's earlier reading only skips a number
    // with nothing free, and a later clock frees no fewer.
    const grant = (now: RawBuilder<unknown>) => sql<number>`least(excluded.granted,
      floor((${now} + ${toleranceUs} - greatest(r.tat_us, ${now}))::numeric / ${intervalUs})::int + 1)`;
    const { rows } = await sql<{ phone_number_id: string; granted: number }>`
      insert into sender.rate_limits as r (phone_number_id, tat_us, granted)
      select a.phone_number_id, ${nowUs} + least(a.n, ${burst}::int) * ${intervalUs}, least(a.n, ${burst}::int)
      from unnest(${ids}::text[], ${ids.map((id) => asked.get(id))}::int[]) with ordinality
        as a(phone_number_id, n, i)
      order by a.i
      on conflict (phone_number_id) do update
        set (tat_us, granted) = (
          select greatest(r.tat_us, c.now) + g.k * ${intervalUs}, g.k
          from (select ${nowUs} as now) c, lateral (select ${grant(sql`c.now`)} as k) g)
        where ${grant(nowUs)} > 0
      returning r.phone_number_id, r.granted`.execute(this.db);
    const left = new Map(rows.map((row) => [row.phone_number_id, row.granted]));
    return asks.map((ask) => {
      const granted = Math.min(ask.count, left.get(ask.phoneNumberId) ?? 0);
      left.set(ask.phoneNumberId, (left.get(ask.phoneNumberId) ?? 0) - granted);
      return granted;
    });
  });
}
