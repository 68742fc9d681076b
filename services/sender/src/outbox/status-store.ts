import { type Kysely, sql } from 'kysely';
import { foldStatuses, type StatusUpdate } from '../domain/status-fold.js';
import { SENDER_SCHEMA as S, type SenderDb } from './tables.js';

export type { StatusUpdate };

/** The status projection (sender.statuses): Meta's furthest delivery status per message. */
export class StatusStore {
  constructor(private readonly db: Kysely<SenderDb>) {}

  /** Monotonic upsert: a status only replaces one of lower rank (out-of-order and repeats are no-ops). */
  async recordStatus(update: StatusUpdate, now: Date): Promise<void> {
    await upsertStatuses(this.db, [update], now);
  }

  /** The furthest delivery status of a key's message, by its wamid or by the echoed key. */
  async deliveryStatus(key: string): Promise<string | undefined> {
    const result = await sql<{ status: string }>`
      select s.status from ${sql.id(S, 'statuses')} s
      where s.callback_key = ${key}
         or s.wamid = (select wamid from ${sql.id(S, 'outbox')} where key = ${key})
      order by s.rank desc limit 1`.execute(this.db);
    return result.rows[0]?.status;
  }

  /** The furthest delivery status recorded for a Meta message id. */
  async statusOf(wamid: string): Promise<string | undefined> {
    const row = await this.db
      .selectFrom('sender.statuses')
      .select('status')
      .where('wamid', '=', wamid)
      .executeTakeFirst();
    return row?.status;
  }
}

/**
 * The status projection's write, for any number of updates in one statement (a replay's batch):
 * folded first, as one statement may not change a row twice, then upserted so a status only
 * replaces one of lower rank and the first callback key stays. `schema` is another one only for
 * `reserveit-ops replay`.
 */
export async function upsertStatuses(
  db: Kysely<SenderDb>,
  updates: readonly StatusUpdate[],
  now: Date,
  schema: string = S,
): Promise<void> {
  const folded = foldStatuses(updates);
  if (folded.length === 0) return;
  await sql`
    insert into ${sql.id(schema, 'statuses')} as s (wamid, callback_key, status, rank, status_at, error_code, updated_at)
    select u.wamid, u.callback_key, u.status, u.rank, u.status_at, u.error_code, ${now}::timestamptz
    from unnest(${folded.map((u) => u.wamid)}::text[], ${folded.map((u) => u.callbackKey ?? null)}::text[],
                ${folded.map((u) => u.status)}::text[], ${folded.map((u) => u.rank)}::int[],
                ${folded.map((u) => u.statusAt.toISOString())}::timestamptz[],
                ${folded.map((u) => u.errorCode ?? null)}::int[])
      as u(wamid, callback_key, status, rank, status_at, error_code)
    on conflict (wamid) do update set
      callback_key = coalesce(s.callback_key, excluded.callback_key),
      status = case when excluded.rank > s.rank then excluded.status else s.status end,
      status_at = case when excluded.rank > s.rank then excluded.status_at else s.status_at end,
      error_code = case when excluded.rank > s.rank then excluded.error_code else s.error_code end,
      rank = greatest(s.rank, excluded.rank),
      updated_at = excluded.updated_at`.execute(db);
}
