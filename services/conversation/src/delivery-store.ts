import { jsonRecords } from '@reserveit/db';
import { sql } from 'kysely';
import { type Db, SCHEMA } from './database.js';
import type { DeliveryUpdate } from './delivery-status.js';

/**
 * Writes delivery updates so that only a further status replaces the one stored (the rank): applying
 * an update again, or after a further one, changes nothing, so the consumers need no inbox and may
 * apply updates in any order and at once. A wamid is kept from the first update that tells it,
 * whatever its rank, so statuses known only by wamid find the message.
 *
 * Any number of updates go in one upsert per table (two statements at most), as the consumers hand
 * them over together (delivery-projection.ts): one statement per sender outcome was a third of the
 * service's statements per answered message. Updates of one message are folded first, as applying
 * them one after the other would leave it (Postgres refuses to upsert a row twice in a statement),
 * and rows go in key order, so two batches lock shared rows in the same order.
 */
export async function recordDeliveries(db: Db, updates: readonly DeliveryUpdate[]): Promise<void> {
  const byKey = new Map<string, Folded>();
  const byWamid = new Map<string, Folded>();
  for (const update of updates) {
    if (update.messageId) fold(byKey, update.messageId, update);
    else if (update.wamid) fold(byWamid, update.wamid, update);
  }
  const columns = 'message_id text, wamid text, status text, rank int, error text';
  if (byKey.size > 0) {
    const rows = [...byKey].map(([message_id, f]) => ({ message_id, ...f }));
    const deliveries = sql.id(SCHEMA, 'deliveries');
    await sql`
      insert into ${deliveries} as d (message_id, wamid, status, rank, error)
      select message_id, wamid, status, rank, error from ${jsonRecords(rows, columns)} as u order by message_id
      on conflict (message_id) do update set
        wamid = coalesce(d.wamid, excluded.wamid),
        status = case when excluded.rank > d.rank then excluded.status else d.status end,
        error = case when excluded.rank > d.rank then excluded.error else d.error end,
        rank = greatest(d.rank, excluded.rank),
        updated_at = now()
      where excluded.rank > d.rank or (d.wamid is null and excluded.wamid is not null)`.execute(db);
  }
  if (byWamid.size > 0) {
    const rows = [...byWamid].map(([wamid, f]) => ({ ...f, wamid }));
    await sql`
      insert into ${sql.id(SCHEMA, 'wamid_statuses')} as w (wamid, status, rank, error)
      select wamid, status, rank, error from ${jsonRecords(rows, columns)} as u order by wamid
      on conflict (wamid) do update set
        status = excluded.status, rank = excluded.rank, error = excluded.error, updated_at = now()
      where excluded.rank > w.rank`.execute(db);
  }
}

interface Folded {
  wamid: string | null;
  status: string;
  rank: number;
  error: string | null;
}

/** A further status replaces the one folded so far; the first wamid told stays. */
function fold(into: Map<string, Folded>, key: string, update: DeliveryUpdate): void {
  const before = into.get(key);
  const wamid = before?.wamid ?? update.wamid ?? null;
  if (before && update.rank <= before.rank) {
    before.wamid = wamid;
    return;
  }
  into.set(key, { wamid, status: update.status, rank: update.rank, error: update.error });
}
