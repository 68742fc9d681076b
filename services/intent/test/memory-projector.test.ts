import { jetstream } from '@nats-io/jetstream';
import {
  CONVERSATION_EVENT_TYPES,
  type ConversationTurnRecorded,
  DECISION_EVENT_TYPE,
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
import { MEMORY_TURNS, postgresMemory, SESSION_MS } from '../src/memory/memory-store.js';
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

const turnOf = (conversationId: string, text: string, role: 'guest' | 'assistant' = 'guest') =>
  ({
    v: 1,
    id: `${conversationId}:turn-${published++}`,
    type: CONVERSATION_EVENT_TYPES.turnRecorded,
    conversationId,
    businessId: 'biz-1',
    occurredAt: new Date().toISOString(),
    role,
    text,
  }) satisfies ConversationTurnRecorded;

/** One decision of the conversation service, as it publishes them: its turns among its other events. */
async function decide(conversationId: string, turns: ConversationTurnRecorded[]): Promise<void> {
  const id = `${conversationId}:decision-${published++}`;
  const state = {
    v: 1,
    id: `${id}:state`,
    type: 'conversation.state.changed',
    conversationId,
    phase: 'idle',
  };
  const decided = {
    v: 1,
    id,
    type: DECISION_EVENT_TYPE,
    conversationId,
    occurredAt: new Date().toISOString(),
    causationId: `wamid.${published}`,
    events: [...turns, state],
  };
  await publish(nats.js, {
    subject: topology.subjects.conversationEvent(conversationId),
    msgId: id,
    data: JSON.stringify(decided),
    timeoutMs: 5_000,
  });
}

const say = (conversationId: string, text: string) => decide(conversationId, [turnOf(conversationId, text)]);

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
      .orderBy('turn')
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

  it('projects every turn of a decision in order, and the turns older streams hold one by one', async () => {
    const earlier = turnOf('conv-mixed', 'a turn published on its own');
    await publish(nats.js, {
      subject: topology.subjects.conversationTurn('conv-mixed'),
      msgId: earlier.id,
      data: JSON.stringify(earlier),
      timeoutMs: 5_000,
    });
    await decide('conv-mixed', [
      turnOf('conv-mixed', 'a table for two'),
      turnOf('conv-mixed', 'At what time?', 'assistant'),
      turnOf('conv-mixed', 'Shall I book it?', 'assistant'),
    ]);
    projector = await startProjector(Date.now);
    expect(await textsOf('conv-mixed', 4)).toEqual([
      'a turn published on its own',
      'a table for two',
      'At what time?',
      'Shall I book it?',
    ]);
    expect(
      (await postgresMemory(db).recent('conv-mixed', new Date())).map((turn) => [turn.role, turn.text]),
    ).toEqual([
      ['guest', 'a turn published on its own'],
      ['guest', 'a table for two'],
      ['assistant', 'At what time?'],
      ['assistant', 'Shall I book it?'],
    ]);
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
