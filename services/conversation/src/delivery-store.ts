import { sql } from 'kysely';
import { type Db, SCHEMA } from './database.js';
import type { DeliveryUpdate } from './delivery-status.js';

/**
 * Writes delivery updates so that only a further status replaces the one stored (the rank), in
 * one upsert each: applying an update again, or after a further one, changes nothing, so the
 * consumers need no inbox and may apply updates in any order and at once. A wamid is kept from the
 * first update that tells it, whatever its rank, so statuses known only by wamid find the message.
 */
export async function recordDelivery(db: Db, update: DeliveryUpdate): Promise<void> {
  const { messageId, wamid, status, rank, error } = update;
  if (messageId) {
    const deliveries = sql.id(SCHEMA, 'deliveries');
    await sql`
      insert into ${deliveries} as d (message_id, wamid, status, rank, error)
      values (${messageId}, ${wamid ?? null}, ${status}, ${rank}, ${error})
      on conflict (message_id) do update set
        wamid = coalesce(d.wamid, excluded.wamid),
        status = case when excluded.rank > d.rank then excluded.status else d.status end,
        error = case when excluded.rank > d.rank then excluded.error else d.error end,
        rank = greatest(d.rank, excluded.rank),
        updated_at = now()
      where excluded.rank > d.rank or (d.wamid is null and excluded.wamid is not null)`.execute(db);
    return;
  }
  if (!wamid) return;
  await sql`
    insert into ${sql.id(SCHEMA, 'wamid_statuses')} as w (wamid, status, rank, error)
    values (${wamid}, ${status}, ${rank}, ${error})
    on conflict (wamid) do update set
      status = excluded.status, rank = excluded.rank, error = excluded.error, updated_at = now()
    where excluded.rank > w.rank`.execute(db);
}
