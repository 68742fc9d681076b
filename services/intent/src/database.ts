import { inboxMigration } from '@reserveit/db';
import { type Generated, type Kysely, sql } from 'kysely';
import type { Migration } from 'kysely/migration';

export const SCHEMA = 'intent';

export interface ConversationTurnsTable {
  conversation_id: string;
  /** CONVERSATIONS stream sequence: the order of turns, also across replays. */
  stream_seq: number;
  /** The turn's place among those of its message: a decision holds the guest's turn and the replies. */
  turn: number;
  event_id: string;
  role: 'guest' | 'assistant';
  text: string;
  intent: string | null;
  occurred_at: Date;
}

export interface InferencesTable {
  id: Generated<string>;
  recorded_at: Date;
  conversation_id: string;
  provider: 'rules' | 'llm';
  model: string;
  intent: string;
  language: string;
  confidence: number;
  latency_ms: number;
  /** Why the configured LLM did not answer, when rules did in its place. */
  fallback_reason: string | null;
  error: string | null;
  /** Length only: the inference log is for monitoring and must not hold what guests wrote. */
  text_length: number;
}

export interface IntentDatabase {
  'intent.conversation_turns': ConversationTurnsTable;
  'intent.inferences': InferencesTable;
}

export type IntentDb = Kysely<IntentDatabase>;

export const migrations: Record<string, Migration> = {
  '0001_inbox': inboxMigration(SCHEMA),
  '0002_memory_and_inferences': {
    async up(db) {
      await db.schema
        .withSchema(SCHEMA)
        .createTable('conversation_turns')
        .addColumn('conversation_id', 'text', (c) => c.notNull())
        .addColumn('stream_seq', 'bigint', (c) => c.notNull())
        .addColumn('event_id', 'text', (c) => c.notNull())
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('text', 'text', (c) => c.notNull())
        .addColumn('intent', 'text')
        .addColumn('occurred_at', 'timestamptz', (c) => c.notNull())
        .addPrimaryKeyConstraint('conversation_turns_pk', ['conversation_id', 'stream_seq'])
        .execute();
      await db.schema
        .withSchema(SCHEMA)
        .createTable('inferences')
        .addColumn('id', 'bigserial', (c) => c.primaryKey())
        .addColumn('recorded_at', 'timestamptz', (c) => c.notNull())
        .addColumn('conversation_id', 'text', (c) => c.notNull())
        .addColumn('provider', 'text', (c) => c.notNull())
        .addColumn('model', 'text', (c) => c.notNull())
        .addColumn('intent', 'text', (c) => c.notNull())
        .addColumn('language', 'text', (c) => c.notNull())
        .addColumn('confidence', 'double precision', (c) => c.notNull())
        .addColumn('latency_ms', 'double precision', (c) => c.notNull())
        .addColumn('fallback_reason', 'text')
        .addColumn('error', 'text')
        .addColumn('text_length', 'integer', (c) => c.notNull())
        .execute();
      await db.schema
        .withSchema(SCHEMA)
        .createIndex('inferences_recorded_at')
        .on('inferences')
        .column('recorded_at')
        .execute();
    },
  },
  '0003_turns_of_one_decision': {
    async up(db) {
      const turns = sql.id(SCHEMA, 'conversation_turns');
      await sql`alter table ${turns} add column turn integer not null default 0`.execute(db);
      await sql`alter table ${turns} drop constraint conversation_turns_pk`.execute(db);
      await sql`alter table ${turns} add constraint conversation_turns_pk
        primary key (conversation_id, stream_seq, turn)`.execute(db);
    },
  },
};
