import { type Kysely, sql } from 'kysely';
import type { Migration } from 'kysely/migration';
import { SENDER_SCHEMA as S } from './tables.js';

const tables: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .withSchema(S)
      .createTable('outbox')
      .addColumn('key', 'text', (c) => c.primaryKey())
      .addColumn('stream_seq', 'bigint', (c) => c.notNull())
      .addColumn('subject', 'text', (c) => c.notNull())
      .addColumn('msg_id', 'text', (c) => c.notNull())
      .addColumn('phone_number_id', 'text', (c) => c.notNull())
      .addColumn('recipient', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('command', 'jsonb', (c) => c.notNull())
      .addColumn('traceparent', 'text')
      .addColumn('tracestate', 'text')
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('next_attempt_at', 'timestamptz', (c) => c.notNull())
      .addColumn('last_attempt_at', 'timestamptz')
      .addColumn('lease_owner', 'text')
      .addColumn('lease_until', 'timestamptz')
      .addColumn('last_error_code', 'integer')
      .addColumn('last_error', 'text')
      .addColumn('exhausted', 'boolean', (c) => c.notNull().defaultTo(false))
      .addColumn('wamid', 'text')
      .addColumn('published', 'boolean', (c) => c.notNull().defaultTo(false))
      .addColumn('created_at', 'timestamptz', (c) => c.notNull())
      .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
      .addColumn('finished_at', 'timestamptz')
      .addCheckConstraint('outbox_state', sql`state in ('pending', 'sending', 'sent', 'failed', 'dry_run')`)
      .execute();
    // The dispatcher's queue: the oldest unfinished row of each guest is the only one it may send.
    await sql`create index outbox_queue on ${sql.id(S, 'outbox')} (phone_number_id, recipient, stream_seq)
      where state in ('pending', 'sending')`.execute(db);
    await sql`create index outbox_wamid on ${sql.id(S, 'outbox')} (wamid) where wamid is not null`.execute(
      db,
    );
    await sql`create index outbox_unpublished on ${sql.id(S, 'outbox')} (key)
      where not published and state in ('sent', 'failed')`.execute(db);

    await db.schema
      .withSchema(S)
      .createTable('statuses')
      .addColumn('wamid', 'text', (c) => c.primaryKey())
      .addColumn('callback_key', 'text')
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('rank', 'integer', (c) => c.notNull())
      .addColumn('status_at', 'timestamptz', (c) => c.notNull())
      .addColumn('error_code', 'integer')
      .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
      .execute();
    await sql`create index statuses_callback_key on ${sql.id(S, 'statuses')} (callback_key)
      where callback_key is not null`.execute(db);
  },
};

/**
 * The dispatcher reads due rows in `next_attempt_at` order and keeps each guest's oldest (a probe of
 * `outbox_queue`), instead of sorting every unfinished row on each claim.
 */
const dueIndex: Migration = {
  async up(db: Kysely<unknown>) {
    await sql`create index outbox_due on ${sql.id(S, 'outbox')} (next_attempt_at)
      where state in ('pending', 'sending')`.execute(db);
  },
};

/**
 * Each guest's queue head is marked on its row, so a claim reads the due heads and nothing else.
 * Walking `outbox_due` read every due row, including the messages waiting behind their guest's
 * head (all of them while the heads wait for a retry), and probed each one: with ~2,200 due rows
 * and ~20,000 sent ones the planner chose a nested loop that ran that probe hundreds of thousands
 * of times, ~100 s per claim.
 *
 * `head` defaults to true: a row written without it (by a sender of an earlier version during a
 * rolling update, or by hand) may then be claimed early, which the claim's own probe of
 * `outbox_queue` refuses, but it is never forgotten. `followed` marks the guest's newest unfinished
 * message when a later one is recorded behind it; see OutboxStore for how the two hand the head on.
 * Rows in flight during the upgrade get both from the rows as they are: a row behind another of its
 * guest is no head, and the one before it is followed, so a replica of the earlier version that
 * finishes it leaves it owed (`outbox_owed`) and a replica of this one hands the head on.
 */
const queueHeads: Migration = {
  async up(db: Kysely<unknown>) {
    const outbox = sql.id(S, 'outbox');
    await sql`alter table ${outbox} add column head boolean not null default true,
      add column followed boolean not null default false`.execute(db);
    await sql`update ${outbox} o set head = false
      where o.state in ('pending', 'sending') and o.kind <> 'read' and exists (
        select 1 from ${outbox} older
        where older.phone_number_id = o.phone_number_id and older.recipient = o.recipient
          and older.stream_seq < o.stream_seq and older.state in ('pending', 'sending') and older.kind <> 'read')`.execute(
      db,
    );
    await sql`update ${outbox} o set followed = true
      where o.state in ('pending', 'sending') and o.kind <> 'read' and exists (
        select 1 from ${outbox} later
        where later.phone_number_id = o.phone_number_id and later.recipient = o.recipient
          and later.stream_seq > o.stream_seq and later.state in ('pending', 'sending') and later.kind <> 'read')`.execute(
      db,
    );
    await sql`drop index ${sql.id(S, 'outbox_due')}`.execute(db);
    await sql`create index outbox_heads on ${outbox} (next_attempt_at)
      where state in ('pending', 'sending') and head`.execute(db);
    await sql`create index outbox_owed on ${outbox} (key)
      where followed and state in ('sent', 'failed', 'dry_run')`.execute(db);
  },
};

/**
 * The per-number send rate shared by every replica (src/outbox/rate-limit-store.ts): one row per
 * business number holding its theoretical arrival time in microseconds of the database's clock.
 */
/**
 * Unlogged: every send of a number updates its one row, and a logged row would make each of those
 * commits wait for a WAL flush while the next send waits for its row lock (a busy number's sends
 * then queued behind the disk, seen as Lock:transactionid and IO:WALSync in pg_stat_activity
 * under pnpm bench:e2e). A crash empties an unlogged table
 * (https://www.postgresql.org/docs/current/sql-createtable.html#SQL-CREATETABLE-UNLOGGED), so
 * after one each number starts again with a full burst: at most one burst more, once.
 */
const rateLimits: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .withSchema(S)
      .createTable('rate_limits')
      .modifyFront(sql`unlogged`)
      .addColumn('phone_number_id', 'text', (c) => c.primaryKey())
      .addColumn('tat_us', 'bigint', (c) => c.notNull())
      .addColumn('granted', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
  },
};

export const senderMigrations: Record<string, Migration> = {
  '0001_outbox_and_statuses': tables,
  '0002_outbox_due': dueIndex,
  '0003_queue_heads': queueHeads,
  '0004_rate_limits': rateLimits,
};
