import { createDatabase, migrateSchema } from '@reserveit/db';
import { genericPlans, seqScansOn, type TestDatabase, useDatabase } from '@reserveit/testkit';
import { type Kysely, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { senderMigrations } from '../src/outbox/migrations.js';
import { type NewCommand, OutboxStore } from '../src/outbox/outbox-store.js';
import { SENDER_SCHEMA, type SenderDb } from '../src/outbox/tables.js';
import { analyzedPlan, recordingQueries } from './analyzed-plan.js';
import { commandFor } from './outbox-under-test.js';

const OWNER = 'claim-at-scale';
const BATCH = 128;
const SENT = 100_000;
/** Guests with four replies due: the first is the head, three wait behind it. */
const QUEUED_GUESTS = 1_000;
/** Guests whose head waits for a retry an hour away, with one reply due behind it and a read receipt. */
const RETRYING_GUESTS = 500;
const NOW = new Date();
const minutesAgo = (minutes: number) => new Date(NOW.getTime() - minutes * 60_000);

let seq = 1_000_000;
/** A command to `recipient` keyed `<recipient>:<seq>`, after every row the setup wrote by SQL. */
const nextCommand = (recipient: string, kind = 'text'): NewCommand => {
  seq += 1;
  return commandFor(`${recipient}:${seq}`, recipient, seq, kind);
};

describe('claiming from an outbox of 100,000 sent rows and 5,000 due ones, after ANALYZE', () => {
  let database: TestDatabase;
  let db: Kysely<SenderDb>;
  const heads: string[] = [];
  const reads: string[] = [];
  const queued = new Map<string, string[]>();

  beforeAll(async () => {
    database = await useDatabase();
    // One connection: the plan test reads the statements prepared on it.
    db = createDatabase<SenderDb>({
      url: database.url,
      applicationName: 'claim-at-scale',
      maxConnections: 1,
    });
    await migrateSchema(db as never, SENDER_SCHEMA, senderMigrations);
    await sql`
      insert into sender.outbox (key, stream_seq, subject, msg_id, phone_number_id, recipient, kind, command,
        state, attempts, next_attempt_at, published, created_at, updated_at, finished_at, wamid)
      select 'sent-' || i, i, 'out.cmd.0.pnid.g', 'sent-' || i, 'pnid', 'guest-' || (i % 20000), 'text', '{}',
        'sent', 1, now() - interval '2 days', true, now() - interval '2 days', now() - interval '2 days',
        now() - interval '2 days', 'wamid.sent-' || i
      from generate_series(1, ${SENT}::int) i`.execute(db);
    const store = new OutboxStore(db);
    // A guest's commands are recorded one after the other, as the intake does; guests in parallel.
    // The replies queued behind a head became due before it (the head's retries moved it later), so
    // walking every due row in order would meet them first.
    const queuedGuests = Array.from({ length: QUEUED_GUESTS }, (_, i) => `queued-${i}`);
    const retrying = Array.from({ length: RETRYING_GUESTS }, (_, i) => `retrying-${i}`);
    const first = await Promise.all(
      [...queuedGuests, ...retrying].map((guest) => store.insert(nextCommand(guest), minutesAgo(1))),
    );
    for (const row of first) if (row?.recipient.startsWith('queued-')) heads.push(row.key);
    const retryingHeads = first
      .filter((row) => row?.recipient.startsWith('retrying-'))
      .map((row) => row!.key);
    for (let round = 0; round < 3; round += 1) {
      const rows = await Promise.all(
        queuedGuests.map((guest) => store.insert(nextCommand(guest), minutesAgo(120))),
      );
      for (const row of rows)
        if (row) queued.set(row.recipient, [...(queued.get(row.recipient) ?? []), row.key]);
    }
    await Promise.all(retrying.map((guest) => store.insert(nextCommand(guest), minutesAgo(120))));
    const receipts = await Promise.all(
      retrying.map((guest) => store.insert(nextCommand(guest, 'read'), minutesAgo(30))),
    );
    for (const row of receipts) if (row) reads.push(row.key);
    await sql`
      update sender.outbox set attempts = 1, next_attempt_at = now() + interval '1 hour'
      where key = any(${retryingHeads})`.execute(db);
    await sql`analyze sender.outbox`.execute(db);
  }, 120_000);

  afterAll(async () => {
    await db?.destroy();
    await database?.drop();
  });

  it('has the outbox the test means: 5,000 due rows of which 1,500 may go', async () => {
    const due = await sql<{ due: number; heads: number }>`
      select count(*)::int as due, (count(*) filter (where head))::int as heads from sender.outbox
      where state in ('pending', 'sending') and next_attempt_at <= ${NOW}`.execute(db);
    expect(due.rows[0]).toEqual({ due: 5_000, heads: QUEUED_GUESTS + RETRYING_GUESTS });
  });

  it.each(['generic', 'custom'] as const)(
    'reads about the batch it leases, not the due rows or the outbox, with a %s plan',
    async (plan) => {
      const recording = recordingQueries(db);
      // Nothing is due at the epoch: this records the statement without leasing anything.
      expect(await new OutboxStore(recording.db).claimDue(OWNER, new Date(0), 60_000, BATCH)).toEqual([]);
      const [claim] = recording.queries;
      const atNow = { ...claim!, parameters: claim!.parameters.map((p) => (p instanceof Date ? NOW : p)) };
      const analyzed = await analyzedPlan(db as unknown as Kysely<unknown>, atNow, plan);
      expect(analyzed.plan['Actual Rows' as keyof typeof analyzed.plan]).toBe(BATCH);
      expect(analyzed.seqScans).toEqual([]);
      // The heads it leases, a probe of each one's guest and the update by key: each read once or twice.
      expect(analyzed.rowsRead.outbox).toBeLessThanOrEqual(4 * BATCH);
      expect(analyzed.loops.outbox).toBeLessThanOrEqual(BATCH);
    },
  );

  it("leases each guest's head and the read receipts, never a reply queued behind its head", async () => {
    const store = new OutboxStore(db);
    const claimed: string[] = [];
    for (;;) {
      const rows = await store.claimDue(OWNER, NOW, 60_000, BATCH);
      if (rows.length === 0) break;
      expect(rows.length).toBeLessThanOrEqual(BATCH);
      claimed.push(...rows.map((row) => row.key));
    }
    expect(claimed.sort()).toEqual([...heads, ...reads].sort());

    // A finished head hands its guest's queue on: the next reply is the one claimed then.
    const guest = [...queued.keys()][0]!;
    const head = heads.find((key) => key.startsWith(`${guest}:`))!;
    expect(await store.finish(head, OWNER, { type: 'sent', wamid: 'wamid.head' }, NOW)).toMatchObject({
      guestWaiting: true,
      owed: false,
    });
    expect((await store.claimDue(OWNER, NOW, 60_000, BATCH)).map((row) => row.key)).toEqual([
      queued.get(guest)![0],
    ]);
  });

  it('prepares no statement whose generic plan scans the outbox from end to end', async () => {
    const plans = await genericPlans(db as unknown as Kysely<unknown>);
    expect(plans.some((plan) => plan.statement.includes('for no key update skip locked'))).toBe(true);
    expect(seqScansOn(plans, ['outbox'])).toEqual([]);
  });
});
