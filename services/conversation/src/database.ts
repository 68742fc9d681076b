import { inboxMigration } from '@reserveit/db';
import { type ColumnType, type Generated, type Kysely, sql } from 'kysely';
import type { Migration } from 'kysely/migration';

export const SCHEMA = 'conversation';

type Timestamp = ColumnType<Date, Date | string, Date | string>;

export interface ConversationsTable {
  id: string;
  business_id: string;
  phone_number_id: string;
  guest_id: string;
  guest_name: string | null;
  /** The dialogue state (ConversationState) as JSON. */
  state: ColumnType<unknown, string, string>;
  /** Bumped by every write: a writer that loaded an older version lost a race and retries. */
  version: number;
  mode: 'bot' | 'human';
  handoff_until: Timestamp | null;
  language: string;
  phase: string;
  last_message_at: Timestamp;
  message_count: number;
  created_at: Generated<Date>;
  updated_at: Timestamp;
  /** Guest messages since staff last read the conversation (MarkRead). */
  unread_count: Generated<number>;
  /** From the dialogue state: since when the guest waits for a person. */
  waiting_since: Timestamp | null;
  /** From the dialogue state: the staff member who has the conversation. */
  taken_by: string | null;
  /** From the dialogue state: the guest's last message, which WhatsApp's 24-hour window runs from. */
  last_inbound_at: Timestamp | null;
  /** The history's last message, either direction, cut to 120 characters. */
  last_message_preview: Generated<string>;
}

export interface MessagesTable {
  seq: Generated<string>;
  conversation_id: string;
  /** The guest's wamid (inbound) or the send command's dedupe key (outbound). */
  id: string;
  direction: 'in' | 'out';
  kind: string;
  text: string;
  intent: string | null;
  at: Timestamp;
  /** guest, bot or staff:<name>; null in rows written before authors were kept (guest or bot by direction). */
  author: string | null;
}

/**
 * How far each outbound message got, by its OUTBOUND dedupe key (the history's id of it): from the
 * sender's outcomes and from status webhooks that echo the key. Only ever moves forward (rank).
 */
export interface DeliveriesTable {
  message_id: string;
  /** Meta's id of the sent message, once an outcome or a status named it. */
  wamid: string | null;
  status: string;
  rank: number;
  error: string | null;
  updated_at: Generated<Date>;
}

/**
 * Statuses that named no key (no biz_opaque_callback_data), by Meta's wamid: joined to a delivery
 * once its outcome tells the wamid, whichever came first.
 */
export interface WamidStatusesTable {
  wamid: string;
  status: string;
  rank: number;
  error: string | null;
  updated_at: Generated<Date>;
}

/**
 * The events and commands of one decision, committed with it, published after the commit, then
 * removed. A crash between the two leaves the row here for the redelivered message (or the
 * sweeper) to publish; each message's Msg-Id is its own id, so a publish that did happen is
 * deduplicated by JetStream, and past its window by the sender's outbox and the readers' inboxes.
 * One row per decision, not per message: a guest message makes seven.
 */
export interface OutboxTable {
  /** The inbound wamid, or `staff:<uuid>` for a staff action. */
  causation_id: string;
  /** `[{ id, subject, payload }]` in publishing order, as JSON text (Postgres never looks inside). */
  messages: string;
  seq: Generated<string>;
  created_at: Generated<Date>;
}

export interface InboxTable {
  consumer: string;
  event_id: string;
  stream_seq: number;
  applied_at: Generated<Date>;
}

export interface ConversationDb {
  'conversation.conversations': ConversationsTable;
  'conversation.messages': MessagesTable;
  'conversation.outbox_decisions': OutboxTable;
  'conversation.inbox': InboxTable;
  'conversation.deliveries': DeliveriesTable;
  'conversation.wamid_statuses': WamidStatusesTable;
}

export type Db = Kysely<ConversationDb>;

export const migrations: Record<string, Migration> = {
  '0001_inbox': inboxMigration(SCHEMA),
  '0002_conversations': {
    async up(db) {
      await db.schema
        .withSchema(SCHEMA)
        .createTable('conversations')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('business_id', 'text', (c) => c.notNull())
        .addColumn('phone_number_id', 'text', (c) => c.notNull())
        .addColumn('guest_id', 'text', (c) => c.notNull())
        .addColumn('guest_name', 'text')
        .addColumn('state', 'jsonb', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('mode', 'text', (c) => c.notNull())
        .addColumn('handoff_until', 'timestamptz')
        .addColumn('language', 'text', (c) => c.notNull())
        .addColumn('phase', 'text', (c) => c.notNull())
        .addColumn('last_message_at', 'timestamptz', (c) => c.notNull())
        .addColumn('message_count', 'integer', (c) => c.notNull())
        .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
        .execute();
      await sql`create index conversations_by_business on ${sql.id(SCHEMA, 'conversations')} (business_id, last_message_at desc)`.execute(
        db,
      );
      await sql`create index conversations_by_activity on ${sql.id(SCHEMA, 'conversations')} (last_message_at desc, id)`.execute(
        db,
      );
      await db.schema
        .withSchema(SCHEMA)
        .createTable('messages')
        .addColumn('seq', 'bigserial', (c) => c.primaryKey())
        .addColumn('conversation_id', 'text', (c) => c.notNull())
        .addColumn('id', 'text', (c) => c.notNull())
        .addColumn('direction', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('text', 'text', (c) => c.notNull())
        .addColumn('intent', 'text')
        .addColumn('at', 'timestamptz', (c) => c.notNull())
        .addUniqueConstraint('messages_once', ['direction', 'id'])
        .execute();
      await db.schema
        .withSchema(SCHEMA)
        .createIndex('messages_by_conversation')
        .on('messages')
        .columns(['conversation_id', 'seq'])
        .execute();
      await db.schema
        .withSchema(SCHEMA)
        .createTable('outbox')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('subject', 'text', (c) => c.notNull())
        .addColumn('payload', 'text', (c) => c.notNull())
        .addColumn('causation_id', 'text', (c) => c.notNull())
        .addColumn('seq', 'bigserial', (c) => c.notNull())
        .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .addColumn('published_at', 'timestamptz')
        .execute();
      await sql`create index outbox_unpublished on ${sql.id(SCHEMA, 'outbox')} (seq) where published_at is null`.execute(
        db,
      );
    },
  },
  '0003_outbox_holds_unpublished': {
    // Published rows used to stay, flagged, with every payload: the outbox grew with the stream.
    async up(db) {
      const outbox = sql.id(SCHEMA, 'outbox');
      await sql`delete from ${outbox} where published_at is not null`.execute(db);
      await sql`drop index ${sql.id(SCHEMA, 'outbox_unpublished')}`.execute(db);
      // Left with only what is about to be published, the table is scanned whole; indexes on it
      // would cost every decision's rows an insert each for nothing.
      await sql`alter table ${outbox} drop column published_at`.execute(db);
    },
  },
  '0004_outbox_row_per_decision': {
    // Seven rows per guest message became one: fewer tuples, index entries and deletes.
    async up(db) {
      const decisions = sql.id(SCHEMA, 'outbox_decisions');
      await sql`create table ${decisions} (
        causation_id text primary key,
        messages text not null,
        seq bigserial not null,
        created_at timestamptz not null default now())`.execute(db);
      await sql`insert into ${decisions} (causation_id, messages, created_at)
        select causation_id,
               jsonb_agg(jsonb_build_object('id', id, 'subject', subject, 'payload', payload) order by seq)::text,
               min(created_at)
        from ${sql.id(SCHEMA, 'outbox')} group by causation_id order by min(seq)`.execute(db);
      await sql`drop table ${sql.id(SCHEMA, 'outbox')}`.execute(db);
    },
  },
  '0005_staff_inbox': {
    // What the staff console's inbox shows without reading each conversation's state or history.
    async up(db) {
      const conversations = sql.id(SCHEMA, 'conversations');
      const messages = sql.id(SCHEMA, 'messages');
      // Unread counting starts with the console: earlier messages count as read, or every old
      // conversation would show up unread at once.
      await sql`alter table ${conversations}
        add column unread_count integer not null default 0,
        add column waiting_since timestamptz,
        add column taken_by text,
        add column last_inbound_at timestamptz,
        add column last_message_preview text not null default ''`.execute(db);
      await sql`alter table ${messages} add column author text`.execute(db);
      await sql`update ${conversations} c set
          last_inbound_at = (select max(m.at) from ${messages} m where m.conversation_id = c.id and m.direction = 'in'),
          last_message_preview = coalesce((select left(m.text, 120) from ${messages} m
            where m.conversation_id = c.id order by m.seq desc limit 1), '')`.execute(db);
      await sql`create table ${sql.id(SCHEMA, 'deliveries')} (
        message_id text primary key,
        wamid text,
        status text not null,
        rank integer not null,
        error text,
        updated_at timestamptz not null default now())`.execute(db);
      await sql`create index deliveries_by_wamid on ${sql.id(SCHEMA, 'deliveries')} (wamid)`.execute(db);
      await sql`create table ${sql.id(SCHEMA, 'wamid_statuses')} (
        wamid text primary key,
        status text not null,
        rank integer not null,
        error text,
        updated_at timestamptz not null default now())`.execute(db);
    },
  },
};
