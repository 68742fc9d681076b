import { CONVERSATION_EVENT_TYPES, DIALOGUE_EVENT_TYPES } from '@reserveit/contracts';
import { createDatabase, migrateSchema } from '@reserveit/db';
import { genericPlans, seqScansOn, type TestDatabase, useDatabase } from '@reserveit/testkit';
import { type Kysely, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Commit, ConversationStore, VersionConflict } from '../src/conversation-store.js';
import { type ConversationDb, migrations, SCHEMA } from '../src/database.js';
import type { ConversationEvent } from '../src/decider/index.js';
import { initialState } from '../src/dialogue/index.js';

const AT = '2026-11-23T10:00:00.000Z';

/** A decision on conversation `id` caused by `wamid`: the guest's turn (unless left out) and the state. */
function writeFor(
  id: string,
  wamid: string,
  expectedVersion: number,
  outbox: string[],
  { turns = true } = {},
): Commit {
  const events: ConversationEvent[] = [];
  if (turns)
    events.push({
      v: 1,
      id: `${id}:${wamid}:guest`,
      type: CONVERSATION_EVENT_TYPES.turnRecorded,
      conversationId: id,
      businessId: 'biz-1',
      occurredAt: AT,
      role: 'guest',
      text: `text of ${wamid}`,
      messageId: wamid,
      kind: 'text',
    });
  events.push({
    v: 1,
    id: `${id}:${wamid}:state`,
    conversationId: id,
    occurredAt: AT,
    causationId: wamid,
    type: DIALOGUE_EVENT_TYPES.stateChanged,
    businessId: 'biz-1',
    phoneNumberId: 'pnid-1',
    phase: 'idle',
    state: { ...initialState(AT) },
    guestId: 'guest-1',
    ...(expectedVersion === 0 ? { guestName: 'Layla' } : {}),
  });
  return {
    conversationId: id,
    expectedVersion,
    events,
    outbox: {
      causationId: wamid,
      rows: outbox.map((key) => ({ id: key, subject: `subject.${key}`, payload: `{"key":"${key}"}` })),
    },
  };
}

/** The decision as an inbound message's: its inbox row is the event its state change names. */
function inbound(entry: { eventId: string; streamSeq: number }, commit: Commit): Commit {
  if (commit.outbox.causationId !== entry.eventId)
    throw new Error('the inbox row is the cause of the decision');
  return { ...commit, streamSeq: entry.streamSeq };
}

describe('ConversationStore commits (one statement each, against Postgres)', () => {
  let database: TestDatabase;
  let store: ConversationStore;
  let db: ReturnType<typeof createDatabase<ConversationDb>>;
  /** The test's own reads, on a pool of their own: only the store's statements are prepared on `db`. */
  let peek: ReturnType<typeof createDatabase<ConversationDb>>;

  beforeAll(async () => {
    database = await useDatabase();
    // One connection: the last test reads the plans of the statements prepared on it.
    db = createDatabase<ConversationDb>({
      url: database.url,
      applicationName: 'conversation-store-test',
      maxConnections: 1,
    });
    await migrateSchema(db as unknown as Kysely<unknown>, SCHEMA, migrations);
    peek = createDatabase<ConversationDb>({ url: database.url, applicationName: 'conversation-store-peek' });
    store = new ConversationStore(db);
  });
  afterAll(async () => {
    await db?.destroy();
    await peek?.destroy();
    await database?.drop();
  });

  const inbox = (id: string) =>
    peek.selectFrom('conversation.inbox').select('stream_seq').where('event_id', '=', id).execute();
  /** Each decision in the outbox with the ids of its rows, oldest first. */
  const outboxOf = async (causationIds: string[]) =>
    (await store.unpublished({ olderThanMs: -60_000, limit: 100 }))
      .filter((decision) => causationIds.includes(decision.causationId))
      .map((decision) => ({ causation: decision.causationId, ids: decision.rows.map((row) => row.id) }));

  it('writes state, history, outbox (in order) and the inbox row; a redelivery is recognised and changes nothing', async () => {
    expect(
      await store.commit(inbound({ eventId: 'w1', streamSeq: 7 }, writeFor('c1', 'w1', 0, ['a', 'b', 'c']))),
    ).toBe(true);
    expect(
      await store.commit(inbound({ eventId: 'w1', streamSeq: 7 }, writeFor('c1', 'w1', 1, ['a', 'b', 'c']))),
    ).toBe(false);
    expect(await store.commit(inbound({ eventId: 'w2', streamSeq: 9 }, writeFor('c1', 'w2', 1, ['d'])))).toBe(
      true,
    );

    const stored = await store.load('c1');
    expect(stored).toMatchObject({ version: 2, messageCount: 2, guestName: 'Layla' });
    expect(await outboxOf(['w1', 'w2'])).toEqual([
      { causation: 'w1', ids: ['a', 'b', 'c'] },
      { causation: 'w2', ids: ['d'] },
    ]);
    expect((await store.unpublished({ causationId: 'w1' }))[0]?.rows[0]).toEqual({
      id: 'a',
      subject: 'subject.a',
      payload: '{"key":"a"}',
    });
    expect(await inbox('w1')).toEqual([{ stream_seq: '7' }]);
    expect(await store.loadForEvent('c1', 'w2')).toMatchObject({ applied: true, stored: { version: 2 } });
  });

  it('refuses a decision made on an old version, leaving no trace of it (no inbox row: it is retried)', async () => {
    await expect(
      store.commit(inbound({ eventId: 'w3', streamSeq: 11 }, writeFor('c1', 'w3', 1, ['e']))),
    ).rejects.toBeInstanceOf(VersionConflict);
    await expect(
      store.commit(inbound({ eventId: 'w4', streamSeq: 12 }, writeFor('c1', 'w4', 0, ['f']))),
    ).rejects.toBeInstanceOf(VersionConflict);
    expect(await inbox('w3')).toEqual([]);
    expect(await inbox('w4')).toEqual([]);
    expect(await outboxOf(['w3', 'w4'])).toEqual([]);
    expect(await store.load('c1')).toMatchObject({ version: 2, messageCount: 2 });
  });

  it('removes a published decision, and only that one', async () => {
    await store.commit(inbound({ eventId: 'p1', streamSeq: 40 }, writeFor('c7', 'p1', 0, ['p1:1', 'p1:2'])));
    await store.commit(inbound({ eventId: 'p2', streamSeq: 41 }, writeFor('c7', 'p2', 1, ['p2:1'])));
    store.notePublished(['p1']);
    await store.flushPublished();
    expect(await outboxOf(['p1', 'p2'])).toEqual([{ causation: 'p2', ids: ['p2:1'] }]);
  });

  it('removes published decisions in the next commit’s statement, and keeps them when that statement fails', async () => {
    // No removal of their own in this test's time: only a commit can take them.
    const patient = new ConversationStore(db, () => {}, 60_000);
    await patient.commit(inbound({ eventId: 'r1', streamSeq: 50 }, writeFor('c8', 'r1', 0, ['r1:1'])));
    await patient.commit(inbound({ eventId: 'r2', streamSeq: 51 }, writeFor('c8', 'r2', 1, ['r2:1'])));
    patient.notePublished(['r1']);
    // A commit on a version that is gone fails as a conflict, yet its statement ran.
    await expect(
      patient.commit(inbound({ eventId: 'r3', streamSeq: 52 }, writeFor('c8', 'r3', 1, ['r3:1']))),
    ).rejects.toBeInstanceOf(VersionConflict);
    expect(await outboxOf(['r1', 'r2'])).toEqual([{ causation: 'r2', ids: ['r2:1'] }]);
    // A statement Postgres refuses (a stream sequence out of bigint's range) removes nothing; the next one does.
    patient.notePublished(['r2']);
    await expect(
      patient.commit(inbound({ eventId: 'r4', streamSeq: 2 ** 70 }, writeFor('c8', 'r4', 2, ['r4:1']))),
    ).rejects.toThrow();
    expect(await outboxOf(['r2'])).toEqual([{ causation: 'r2', ids: ['r2:1'] }]);
    await patient.commit(inbound({ eventId: 'r5', streamSeq: 53 }, writeFor('c8', 'r5', 2, ['r5:1'])));
    expect(await outboxOf(['r2', 'r5'])).toEqual([{ causation: 'r5', ids: ['r5:1'] }]);
    await patient.flushPublished();
  });

  it('commits a staff action on the current version only', async () => {
    await store.commit(writeFor('c1', 'staff:1', 2, ['g'], { turns: false }));
    await expect(store.commit(writeFor('c1', 'staff:2', 2, ['h'], { turns: false }))).rejects.toBeInstanceOf(
      VersionConflict,
    );
    expect(await store.load('c1')).toMatchObject({ version: 3, messageCount: 2 });
  });

  it('lets exactly one of two concurrent first messages of a conversation through', async () => {
    const results = await Promise.allSettled([
      store.commit(inbound({ eventId: 'x1', streamSeq: 20 }, writeFor('c2', 'x1', 0, ['x1:1']))),
      store.commit(inbound({ eventId: 'x2', streamSeq: 21 }, writeFor('c2', 'x2', 0, ['x2:1']))),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled' && r.value === true)).toHaveLength(1);
    const refused = results.filter((r) => r.status === 'rejected');
    expect(refused).toHaveLength(1);
    expect((refused[0] as PromiseRejectedResult).reason).toBeInstanceOf(VersionConflict);
    const applied = await peek
      .selectFrom('conversation.inbox')
      .select('event_id')
      .where('event_id', 'in', ['x1', 'x2'])
      .execute();
    expect(applied).toHaveLength(1);
  });

  it('gives each of several decisions committed together its own outcome', async () => {
    await store.commit(inbound({ eventId: 'y0', streamSeq: 30 }, writeFor('c3', 'y0', 0, ['y0:1'])));
    const results = await Promise.allSettled([
      // The first goes alone; the next four share one statement.
      store.commit(inbound({ eventId: 'y1', streamSeq: 31 }, writeFor('c4', 'y1', 0, ['y1:1']))),
      store.commit(inbound({ eventId: 'y2', streamSeq: 32 }, writeFor('c5', 'y2', 0, ['y2:1', 'y2:2']))),
      store.commit(inbound({ eventId: 'y0', streamSeq: 30 }, writeFor('c3', 'y0', 1, ['y0:1']))),
      store.commit(inbound({ eventId: 'y3', streamSeq: 33 }, writeFor('c3', 'y3', 7, ['y3:1']))),
      store.commit(inbound({ eventId: 'y4', streamSeq: 34 }, writeFor('c6', 'y4', 0, ['y4:1']))),
    ]);
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value : (r.reason as Error).name))).toEqual([
      true,
      true,
      false,
      'VersionConflict',
      true,
    ]);
    expect(await outboxOf(['y1', 'y2', 'y3', 'y4'])).toEqual([
      { causation: 'y1', ids: ['y1:1'] },
      { causation: 'y2', ids: ['y2:1', 'y2:2'] },
      { causation: 'y4', ids: ['y4:1'] },
    ]);
    expect(await inbox('y3')).toEqual([]);
    expect(await store.load('c5')).toMatchObject({ version: 1, messageCount: 1 });
  });

  it('prepares no statement whose generic plan reads a growing table from end to end', async () => {
    await store.commit({
      conversationId: 'c8',
      expectedVersion: 0,
      streamSeq: 50,
      events: [
        {
          v: 1,
          id: 'c8:u1:unknown-business',
          type: DIALOGUE_EVENT_TYPES.unknownBusiness,
          conversationId: 'c8',
          occurredAt: AT,
          causationId: 'u1',
          phoneNumberId: 'pnid-9',
        },
      ],
      outbox: { causationId: 'u1', rows: [] },
    });
    const plans = await genericPlans(db as unknown as Kysely<unknown>);
    expect(plans.length).toBeGreaterThan(5);
    // outbox_decisions is not among them: it holds only what is still to publish, and the sweeper
    // reads all of it.
    expect(seqScansOn(plans, ['conversations', 'inbox', 'messages'])).toEqual([]);
  });
});

describe('outbox migration', () => {
  it('moves rows left unpublished by a version with one outbox row per message into one row per decision', async () => {
    const database = await useDatabase();
    const db = createDatabase<ConversationDb>({
      url: database.url,
      applicationName: 'outbox-migration-test',
    });
    try {
      const before = Object.fromEntries(
        Object.entries(migrations).filter(([name]) => name < '0004'),
      ) as typeof migrations;
      await migrateSchema(db as unknown as Kysely<unknown>, SCHEMA, before);
      await sql`insert into conversation.outbox (id, subject, payload, causation_id) values
        ('w1:read', 'out.read.p', '{"n":1}', 'w1'), ('w1:1', 'out.cmd.p', '{"n":2}', 'w1'),
        ('w2:1', 'out.cmd.p', '{"n":3}', 'w2')`.execute(db);
      await migrateSchema(db as unknown as Kysely<unknown>, SCHEMA, migrations);
      const store = new ConversationStore(db);
      expect(await store.unpublished({ olderThanMs: -60_000, limit: 10 })).toEqual([
        {
          causationId: 'w1',
          rows: [
            { id: 'w1:read', subject: 'out.read.p', payload: '{"n":1}' },
            { id: 'w1:1', subject: 'out.cmd.p', payload: '{"n":2}' },
          ],
        },
        { causationId: 'w2', rows: [{ id: 'w2:1', subject: 'out.cmd.p', payload: '{"n":3}' }] },
      ]);
    } finally {
      await db.destroy();
      await database.drop();
    }
  });
});
