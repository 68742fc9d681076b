import { type Kysely, sql, type Transaction } from 'kysely';
import type { Migration } from 'kysely/migration';

/**
 * The inbox makes a projection idempotent: the row saying "event E was applied by consumer C" is
 * written in the same transaction as the projection's own changes, so a redelivered or replayed
 * event is a no-op and a crash leaves either both or neither. It also records the stream sequence,
 * which is the projection's checkpoint.
 */
export function inboxMigration(schema: string): Migration {
  return {
    async up(db) {
      await db.schema
        .withSchema(schema)
        .createTable('inbox')
        .addColumn('consumer', 'text', (c) => c.notNull())
        .addColumn('event_id', 'text', (c) => c.notNull())
        .addColumn('stream_seq', 'bigint', (c) => c.notNull())
        .addColumn('applied_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .addPrimaryKeyConstraint('inbox_pk', ['consumer', 'event_id'])
        .execute();
    },
  };
}

export interface InboxEntry {
  schema: string;
  consumer: string;
  /** The event's stable id (its Nats-Msg-Id): the same event replayed has the same id. */
  eventId: string;
  streamSeq: number;
}

/** Runs `apply` once per (consumer, eventId); returns false when the event had been applied already. */
export async function applyOnce<DB>(
  db: Kysely<DB>,
  entry: InboxEntry,
  apply: (trx: Transaction<DB>) => Promise<void>,
): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const inserted = await sql<{ event_id: string }>`
      insert into ${sql.id(entry.schema, 'inbox')} (consumer, event_id, stream_seq)
      values (${entry.consumer}, ${entry.eventId}, ${entry.streamSeq})
      on conflict do nothing
      returning event_id`.execute(trx);
    if (inserted.rows.length === 0) return false;
    await apply(trx);
    return true;
  });
}

/**
 * The batch form of applyOnce: one transaction for many events, so a projector catching up (or a
 * replay) pays one commit per batch instead of one per event. Events already applied, and repeats
 * within the batch, are skipped; the others are applied in the order given.
 */
export async function applyBatchOnce<DB, E extends { eventId: string; streamSeq: number }>(
  db: Kysely<DB>,
  target: { schema: string; consumer: string },
  entries: readonly E[],
  apply: (trx: Transaction<DB>, entry: E) => Promise<void>,
): Promise<number> {
  return applyFreshBatch(db, target, entries, async (trx, fresh) => {
    for (const entry of fresh) await apply(trx, entry);
  });
}

/**
 * Like applyBatchOnce, but `apply` is called once with every fresh entry of the batch (in the
 * order given, without repeats within the batch or events applied before), so a projection can
 * fold them and write each row once instead of one statement per event. Returns how many were fresh.
 */
export async function applyFreshBatch<DB, E extends { eventId: string; streamSeq: number }>(
  db: Kysely<DB>,
  target: { schema: string; consumer: string },
  entries: readonly E[],
  apply: (trx: Transaction<DB>, fresh: readonly E[]) => Promise<void>,
): Promise<number> {
  if (entries.length === 0) return 0;
  return db.transaction().execute(async (trx) => {
    const inserted = await sql<{ event_id: string }>`
      insert into ${sql.id(target.schema, 'inbox')} (consumer, event_id, stream_seq)
      select ${target.consumer}, event_id, stream_seq
      from unnest(${entries.map((e) => e.eventId)}::text[], ${entries.map((e) => e.streamSeq)}::bigint[])
        as batch(event_id, stream_seq)
      on conflict do nothing
      returning event_id`.execute(trx);
    const unseen = new Set(inserted.rows.map((row) => row.event_id));
    const fresh = entries.filter((entry) => unseen.delete(entry.eventId));
    if (fresh.length > 0) await apply(trx, fresh);
    return fresh.length;
  });
}

/** The highest stream sequence a consumer applied: where a catch-up or replay resumes. */
export async function checkpoint(db: Kysely<unknown>, schema: string, consumer: string): Promise<number> {
  const result = await sql<{ seq: string | null }>`
    select max(stream_seq)::text as seq from ${sql.id(schema, 'inbox')} where consumer = ${consumer}`.execute(
    db,
  );
  return Number(result.rows[0]?.seq ?? 0);
}
