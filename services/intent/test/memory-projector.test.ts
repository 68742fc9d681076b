import { jetstream } from '@nats-io/jetstream';
import {
  CONVERSATION_EVENT_TYPES,
  type ConversationTurnRecorded,
  topology as makeTopology,
  type Topology,
} from '@reserveit/contracts';
import { createDatabase, migrateSchema } from '@reserveit/db';
import { ensureStream, publish, type RunningConsumer } from '@reserveit/messaging';
import { createLogger, createMetrics } from '@reserveit/telemetry';
import { type TestDatabase, type TestNats, useDatabase, useNats } from '@reserveit/testkit';
import type { Kysely } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type IntentDatabase, type IntentDb, migrations, SCHEMA } from '../src/database.js';
import { startMemoryProjector } from '../src/memory/memory-projector.js';
import { MEMORY_TURNS, SESSION_MS } from '../src/memory/memory-store.js';
import { intentMetrics } from '../src/metrics.js';

let nats: TestNats;
let database: TestDatabase;
let db: IntentDb;
let topology: Topology;
let projector: RunningConsumer | undefined;
let published = 0;

beforeAll(async () => {
  [nats, database] = await Promise.all([useNats(), useDatabase()]);
  db = createDatabase<IntentDatabase>({ url: database.url, applicationName: 'intent-memory-test' });
  await migrateSchema(db as unknown as Kysely<unknown>, SCHEMA, migrations);
  topology = makeTopology(nats.prefix);
  await ensureStream(nats.jsm, topology.streams.conversations, { replicas: 1 });
});

afterEach(async () => {
  await projector?.stop();
  projector = undefined;
  await nats.jsm.consumers.delete(topology.streams.conversations.name, 'intent-memory').catch(() => {});
});

afterAll(async () => {
  await db?.destroy();
  await nats?.cleanup();
  await database?.drop();
});

async function say(conversationId: string, text: string): Promise<void> {
  const turn: ConversationTurnRecorded = {
    v: 1,
    id: `${conversationId}:turn-${published++}`,
    type: CONVERSATION_EVENT_TYPES.turnRecorded,
    conversationId,
    businessId: 'biz-1',
    occurredAt: new Date().toISOString(),
    role: 'guest',
    text,
  };
  await publish(nats.js, {
    subject: topology.subjects.conversationTurn(conversationId),
    msgId: turn.id,
    data: JSON.stringify(turn),
    timeoutMs: 5_000,
  });
}

function startProjector(now: () => number): Promise<RunningConsumer> {
  const logger = createLogger('intent-memory-test', 'silent');
  return startMemoryProjector({
    js: jetstream(nats.nc),
    jsm: nats.jsm,
    topology,
    db,
    logger,
    applied: intentMetrics(createMetrics('intent-memory-test')).memoryEvents,
    now,
  });
}

async function textsOf(conversationId: string, expected: number): Promise<string[]> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const rows = await db
      .selectFrom('intent.conversation_turns')
      .select('text')
      .where('conversation_id', '=', conversationId)
      .orderBy('stream_seq')
      .execute();
    if (rows.length >= expected || Date.now() > deadline) return rows.map((row) => row.text);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('conversation memory projector, against real NATS and Postgres', () => {
  it('starts, when first switched on, at the session window: older turns are outside every session', async () => {
    await say('conv-window', 'before the window');
    // JetStream stamps messages with the server's clock in nanoseconds; a pause keeps the cut clean.
    await new Promise((resolve) => setTimeout(resolve, 50));
    const cut = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 50));
    await say('conv-window', 'inside the window');
    await say('conv-window', 'and still inside');

    projector = await startProjector(() => cut + SESSION_MS);
    expect(await textsOf('conv-window', 2)).toEqual(['inside the window', 'and still inside']);
  });

  it(`keeps the newest ${MEMORY_TURNS} turns of each conversation, within one batch and across batches`, async () => {
    for (let i = 1; i <= MEMORY_TURNS + 5; i += 1) await say('conv-long', `turn ${i}`);
    await say('conv-short', 'only turn');
    projector = await startProjector(Date.now);
    const newest = (from: number) => Array.from({ length: MEMORY_TURNS }, (_, i) => `turn ${from + i}`);
    expect(await textsOf('conv-short', 1)).toEqual(['only turn']);
    expect(await textsOf('conv-long', MEMORY_TURNS)).toEqual(newest(6));

    for (let i = MEMORY_TURNS + 6; i <= MEMORY_TURNS + 8; i += 1) await say('conv-long', `turn ${i}`);
    const deadline = Date.now() + 10_000;
    let texts = await textsOf('conv-long', MEMORY_TURNS);
    while (texts.at(-1) !== `turn ${MEMORY_TURNS + 8}` && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 25));
      texts = await textsOf('conv-long', MEMORY_TURNS);
    }
    expect(texts).toEqual(newest(9));
  });
});
