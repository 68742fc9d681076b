import { createDatabase, migrateSchema } from '@reserveit/db';
import { type TestDatabase, useDatabase } from '@reserveit/testkit';
import type { Kysely } from 'kysely';
import { senderMigrations } from '../src/outbox/migrations.js';
import { type NewCommand, OutboxStore } from '../src/outbox/outbox-store.js';
import { SENDER_SCHEMA, type SenderDb } from '../src/outbox/tables.js';

let seq = 0;
let guests = 0;

/** A command as the intake records it; `streamSeq` is its place on OUTBOUND. */
export function commandFor(key: string, recipient: string, streamSeq: number, kind = 'text'): NewCommand {
  return {
    key,
    streamSeq,
    subject: `out.cmd.0.pnid.${recipient}`,
    msgId: key,
    phoneNumberId: 'pnid',
    recipient,
    kind,
    command: { id: key },
    traceparent: undefined,
    tracestate: undefined,
  };
}

/** A text reply to `recipient`: each one later on OUTBOUND, with a key of its own. */
export function replyFor(recipient: string): NewCommand {
  seq += 1;
  return commandFor(`k${seq}`, recipient, seq);
}

/** A guest no other test has used. */
export function newGuest(): string {
  guests += 1;
  return `guest-${guests}`;
}

export interface OutboxUnderTest {
  database: TestDatabase;
  db: Kysely<SenderDb>;
  store: OutboxStore;
  close(): Promise<void>;
}

/** A database of its own with the sender's schema migrated, and the store over it. */
export async function outboxUnderTest(applicationName: string): Promise<OutboxUnderTest> {
  const database = await useDatabase();
  const db = createDatabase<SenderDb>({ url: database.url, applicationName, maxConnections: 4 });
  await migrateSchema(db as never, SENDER_SCHEMA, senderMigrations);
  return {
    database,
    db,
    store: new OutboxStore(db),
    async close() {
      await db.destroy();
      await database.drop();
    },
  };
}
