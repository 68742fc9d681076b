import { createDatabase, migrateSchema } from '@reserveit/db';
import { type TestDatabase, useDatabase } from '@reserveit/testkit';
import { type Kysely, sql } from 'kysely';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { senderMigrations } from '../src/outbox/migrations.js';
import { OutboxStore } from '../src/outbox/outbox-store.js';
import { SENDER_SCHEMA, type SenderDb } from '../src/outbox/tables.js';
import { newGuest, type OutboxUnderTest, outboxUnderTest, replyFor } from './outbox-under-test.js';

const OWNER = 'queue-heads-test';
const LEASE = { owner: OWNER, ms: 60_000 };
const sent = { type: 'sent', wamid: 'wamid.first' } as const;

/**
 * Two statements of one guest's queue at once, made to overlap for certain: `other` (a second
 * connection) holds the row the statement under test needs, and lets go once that statement waits.
 */
describe('handing a guest’s queue head on while its next reply is recorded', () => {
  let outbox: OutboxUnderTest;
  let db: Kysely<SenderDb>;
  let store: OutboxStore;
  let other: pg.Client;
  let guest: string;

  /** Resolves once `count` statements of the store's pool wait for a lock. */
  const waitingForLocks = async (count: number) => {
    for (;;) {
      const { rows } = await other.query<{ n: number }>(
        `select count(*)::int as n from pg_stat_activity
         where application_name = 'queue-heads-test' and wait_event_type = 'Lock'`,
      );
      if ((rows[0]?.n ?? 0) >= count) return;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };

  beforeAll(async () => {
    outbox = await outboxUnderTest('queue-heads-test');
    ({ db, store } = outbox);
    other = new pg.Client({ connectionString: outbox.database.url });
    await other.connect();
  });
  afterAll(async () => {
    await other?.end();
    await outbox?.close();
  });
  beforeEach(() => {
    guest = newGuest();
  });
  afterEach(async () => {
    await other.query('rollback');
    // Nothing of this test's guest stays claimable for the next one.
    await db.deleteFrom('sender.outbox').execute();
  });

  it('makes a reply head, leased at once, when the reply before it was being finished as it was recorded', async () => {
    const first = await store.insert(replyFor(guest), new Date(), LEASE);
    expect(first).toMatchObject({ head: true, lease_owner: OWNER });
    // A finish of the first reply, under way.
    await other.query('begin');
    await other.query(`update sender.outbox set state = 'sent', finished_at = now() where key = $1`, [
      first!.key,
    ]);
    const recording = store.insert(replyFor(guest), new Date(), LEASE);
    await waitingForLocks(1);
    await other.query('commit');

    expect(await recording).toMatchObject({ head: true, lease_owner: OWNER, state: 'pending' });
  });

  it('leaves the head owed when a reply was recorded behind the one it finishes after it began, and handOver gives it on', async () => {
    const first = await store.insert(replyFor(guest), new Date(), LEASE);
    // An insert of the second reply, under way: it flags the first and queues behind it.
    const second = replyFor(guest);
    await other.query('begin');
    await other.query('update sender.outbox set followed = true where key = $1', [first!.key]);
    await other.query(
      `insert into sender.outbox (key, stream_seq, subject, msg_id, phone_number_id, recipient, kind, command,
         state, next_attempt_at, created_at, updated_at, head)
       values ($1, $2, $3, $1, 'pnid', $4, 'text', '{}', 'pending', now(), now(), now(), false)`,
      [second.key, second.streamSeq, second.subject, guest],
    );
    const finishing = store.finish(first!.key, OWNER, sent, new Date());
    await waitingForLocks(1);
    await other.query('commit');

    // It could not see the second reply, but it knows one came: the dispatcher is told to hand over.
    expect(await finishing).toMatchObject({ final: { key: first!.key }, guestWaiting: true, owed: true });
    expect(await store.claimDue(OWNER, new Date(), 60_000, 8)).toEqual([]);
    expect(await store.handOver()).toEqual({ settled: 1, more: false });
    expect((await store.claimDue(OWNER, new Date(), 60_000, 8)).map((row) => row.key)).toEqual([second.key]);
    expect(await store.handOver()).toEqual({ settled: 0, more: false });
  });

  it('hands the head on for a reply that a sender of an earlier version finished', async () => {
    const first = await store.insert(replyFor(guest), new Date(), LEASE);
    const second = await store.insert(replyFor(guest), new Date(), LEASE);
    expect(second).toMatchObject({ head: false, lease_owner: null });
    // What the finish of a version before queue heads wrote: nothing about the next reply.
    await other.query(`update sender.outbox set state = 'sent', lease_owner = null where key = $1`, [
      first!.key,
    ]);

    expect(await store.claimDue(OWNER, new Date(), 60_000, 8)).toEqual([]);
    expect(await store.handOver()).toEqual({ settled: 1, more: false });
    expect((await store.claimDue(OWNER, new Date(), 60_000, 8)).map((row) => row.key)).toEqual([second!.key]);
  });

  it('leaves the head owed when a status webhook confirms a reply that another waits behind', async () => {
    const first = await store.insert(replyFor(guest), new Date(), LEASE);
    const second = await store.insert(replyFor(guest), new Date(), LEASE);
    await store.markSending(first!.key, OWNER, 1, new Date(), 60_000, new Date());

    expect(await store.confirmByStatus(first!.key, 'wamid.confirmed', new Date())).toMatchObject({
      state: 'sent',
      followed: true,
    });
    expect(await store.handOver()).toEqual({ settled: 1, more: false });
    expect((await store.claimDue(OWNER, new Date(), 60_000, 8)).map((row) => row.key)).toEqual([second!.key]);
  });

  it('leases a row from when the claim takes it, so a claim that had to wait hands out a whole lease', async () => {
    const row = await store.insert(replyFor(guest), new Date());
    const leaseMs = 3_000;
    // The claim waits for the table longer than its lease lasts.
    await other.query('begin');
    await other.query('lock table sender.outbox in exclusive mode');
    const claiming = store.claimDue(OWNER, new Date(), leaseMs, 8);
    await waitingForLocks(1);
    await new Promise((resolve) => setTimeout(resolve, leaseMs + 1_000));
    await other.query('commit');

    const [claimed] = await claiming;
    expect(claimed?.key).toBe(row!.key);
    const { rows } = await other.query<{ now: Date }>('select clock_timestamp() as now');
    expect(claimed!.lease_until!.getTime()).toBeGreaterThan(rows[0]!.now.getTime());
    // Still ours: the next claim does not take it again.
    expect(await store.claimDue(OWNER, new Date(), leaseMs, 8)).toEqual([]);
  });
});

describe('migration 0003 on an outbox with replies in flight', () => {
  let database: TestDatabase;
  let db: Kysely<SenderDb>;

  beforeAll(async () => {
    database = await useDatabase();
    db = createDatabase<SenderDb>({
      url: database.url,
      applicationName: 'queue-heads-migration',
      maxConnections: 1,
    });
  });
  afterAll(async () => {
    await db?.destroy();
    await database?.drop();
  });

  it("marks each guest's oldest unfinished reply head and flags the replies that others wait behind", async () => {
    // The schema as it was before 0003: the migrations that sort before it.
    const before = Object.fromEntries(Object.entries(senderMigrations).filter(([name]) => name < '0003'));
    await migrateSchema(db as never, SENDER_SCHEMA, before);
    // Guest a: one reply sent, two unfinished, a read receipt; guest b: one unfinished reply.
    await sql`
      insert into sender.outbox (key, stream_seq, subject, msg_id, phone_number_id, recipient, kind, command,
        state, next_attempt_at, created_at, updated_at)
      values ('a1', 1, 's', 'a1', 'pnid', 'a', 'text', '{}', 'sent', now(), now(), now()),
             ('a2', 2, 's', 'a2', 'pnid', 'a', 'text', '{}', 'sending', now(), now(), now()),
             ('a3', 3, 's', 'a3', 'pnid', 'a', 'read', '{}', 'pending', now(), now(), now()),
             ('a4', 4, 's', 'a4', 'pnid', 'a', 'text', '{}', 'pending', now(), now(), now()),
             ('b1', 5, 's', 'b1', 'pnid', 'b', 'text', '{}', 'pending', now(), now(), now())`.execute(db);
    await migrateSchema(db as never, SENDER_SCHEMA, senderMigrations);

    const rows = await db
      .selectFrom('sender.outbox')
      .select(['key', 'head', 'followed'])
      .orderBy('key')
      .execute();
    expect(rows).toEqual([
      { key: 'a1', head: true, followed: false },
      { key: 'a2', head: true, followed: true },
      { key: 'a3', head: true, followed: false },
      { key: 'a4', head: false, followed: false },
      { key: 'b1', head: true, followed: false },
    ]);
    const claimed = await new OutboxStore(db).claimDue('migrated', new Date(Date.now() + 1_000), 60_000, 8);
    expect(claimed.map((row) => row.key).sort()).toEqual(['a2', 'a3', 'b1']);
  });
});
