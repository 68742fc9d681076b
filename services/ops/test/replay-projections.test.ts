import { intentEnv, type OpsConfig, opsEnv, senderEnv } from '@reserveit/config';
import {
  CONVERSATION_EVENT_TYPES,
  type ConversationTurnRecorded,
  conversationEventsOf,
  DECISION_EVENT_TYPE,
  type Topology,
} from '@reserveit/contracts';
import { createDatabase } from '@reserveit/db';
import { type RunningIntent, startIntent } from '@reserveit/intent/dist/server.js';
import { publish } from '@reserveit/messaging';
import { type RunningSender, startSender } from '@reserveit/sender/dist/server.js';
import { createLogger } from '@reserveit/telemetry';
import {
  statusReceivedEvent,
  type TestDatabase,
  type TestNatsWithUsers,
  useDatabase,
  useNatsWithUsers,
} from '@reserveit/testkit';
import { type Kysely, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { replayCommand } from '../src/commands/replay.js';
import { applyRange } from '../src/replay/child.js';
import { replayEntryOf } from '../src/replay/projections.js';
import { createShadow } from '../src/replay/schemas.js';

const shadowOptions = { inPlace: false, force: false, dropOld: true, swapGap: 5, json: true };

async function rows(db: Kysely<unknown>, query: string, schema: string) {
  return (await sql.raw<Record<string, unknown>>(query.replaceAll('S.', `"${schema}".`)).execute(db)).rows;
}

async function eventually(check: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

async function schemaNames(db: Kysely<unknown>, like: string): Promise<string[]> {
  const result = await sql<{ name: string }>`
    select nspname as name from pg_namespace where nspname like ${like} order by 1`.execute(db);
  return result.rows.map((row) => row.name);
}

describe('reserveit-ops replay intent-memory and sender-statuses, against the real services', () => {
  let nats: TestNatsWithUsers;
  let database: TestDatabase;
  let db: Kysely<unknown>;
  let config: OpsConfig;
  let intent: RunningIntent;
  let sender: RunningSender;
  let topology: Topology;

  beforeAll(async () => {
    // A server with the users of this prefix: the CLI runs as the ops user, under its allow-lists.
    nats = await useNatsWithUsers();
    database = await useDatabase();
    const common = {
      NATS_URL: nats.url,
      NATS_PREFIX: nats.prefix,
      DATABASE_URL: database.url,
      LOG_LEVEL: 'silent',
    };
    intent = await startIntent(
      intentEnv.parse({
        ...common,
        INTENT_HOST: '127.0.0.1',
        INTENT_GRPC_PORT: '0',
        INTENT_HTTP_PORT: '0',
        INTENT_MEMORY_PROJECTOR: 'true',
      }),
      createLogger('ops-replay-intent', 'silent'),
    );
    sender = await startSender(
      senderEnv.parse({ ...common, SENDER_HOST: '127.0.0.1', SENDER_HTTP_PORT: '0', SENDER_DRY_RUN: 'true' }),
      createLogger('ops-replay-sender', 'silent'),
    );
    topology = intent.topology;
    db = createDatabase<unknown>({ url: database.url, applicationName: 'ops-test', maxConnections: 2 });
    config = opsEnv.parse(common);
  });

  afterAll(async () => {
    await intent?.close(2_000);
    await sender?.close();
    await db?.destroy();
    await database?.drop();
    // Last: it fails when NATS refused the CLI or a service anything (a missing permission).
    await nats?.cleanup();
  });

  describe('intent-memory', () => {
    let published = 0;
    /**
     * A turn of one of seven conversations: every other one inside a decision, as the conversation
     * service publishes them now, the rest on its own as older streams hold them, with every third
     * time an event the memory skips.
     */
    const publishTurn = async () => {
      const n = published++;
      const conversationId = `conv-${n % 7}`;
      const turn: ConversationTurnRecorded = {
        v: 1,
        id: `${conversationId}:turn-${n}`,
        type: CONVERSATION_EVENT_TYPES.turnRecorded,
        conversationId,
        businessId: 'biz-1',
        occurredAt: new Date(Date.now() - (1000 - n) * 1000).toISOString(),
        role: n % 2 === 0 ? 'guest' : 'assistant',
        text: `turn ${n}`,
        ...(n % 2 === 0 ? { intent: 'BOOK' } : {}),
      };
      if (n % 2 === 1) {
        const id = `${conversationId}:decision-${n}`;
        const state = { v: 1, id: `${id}:state`, type: 'conversation.state.changed', conversationId };
        const decided = {
          ...turn,
          id,
          type: DECISION_EVENT_TYPE,
          causationId: `wamid.${n}`,
          events: [turn, state],
        };
        const subject = topology.subjects.conversationEvent(conversationId);
        await publish(nats.js, { subject, msgId: id, data: JSON.stringify(decided), timeoutMs: 5_000 });
        return;
      }
      const subject = topology.subjects.conversationTurn(conversationId);
      await publish(nats.js, { subject, msgId: turn.id, data: JSON.stringify(turn), timeoutMs: 5_000 });
      if (n % 3 === 0) {
        const id = `${conversationId}:turn-${n}:state`;
        const other = { v: 1, id, type: 'conversation.state.changed', conversationId };
        await publish(nats.js, {
          subject: topology.subjects.conversationEvent(conversationId),
          msgId: id,
          data: JSON.stringify(other),
          timeoutMs: 5_000,
        });
      }
    };
    const turns =
      'select conversation_id, stream_seq::text, event_id, role, text, intent, occurred_at from S.conversation_turns order by conversation_id, stream_seq';
    const inbox = 'select consumer, event_id, stream_seq::text from S.inbox order by stream_seq';
    const liveCaughtUp = async () => {
      const last = (await nats.jsm.streams.info(topology.streams.conversations.name)).state.last_seq;
      const live = await rows(db, 'select max(stream_seq)::int as seq from S.inbox', 'intent');
      const newest = (
        await nats.jsm.streams.getMessage(topology.streams.conversations.name, { seq: last })
      )?.json<unknown>();
      const hasTurn = conversationEventsOf(newest).some(
        (event) => (event as { type?: unknown }).type === CONVERSATION_EVENT_TYPES.turnRecorded,
      );
      // The newest event may be one the memory skips (no inbox row): then its turn is one before.
      const target = hasTurn ? last : last - 1;
      return (live[0] as { seq: number | null }).seq === target;
    };

    it('rebuilds the memory while turns keep arriving, trims it like the live projector, and leaves the inference log alone', async () => {
      for (let i = 0; i < 150; i++) await publishTurn();
      await eventually(liveCaughtUp, 'the live memory projector');
      await sql`insert into intent.inferences (recorded_at, conversation_id, provider, model, intent, language,
                  confidence, latency_ms, text_length)
                values (now(), 'conv-0', 'rules', 'rules', 'BOOK', 'en', 0.9, 1, 5)`.execute(db);

      let stop = false;
      const load = (async () => {
        while (!stop) {
          await publishTurn();
          await new Promise((resolve) => setTimeout(resolve, 5));
        }
      })();
      const code = await replayCommand(config, 'intent-memory', shadowOptions);
      await new Promise((resolve) => setTimeout(resolve, 200));
      stop = true;
      await load;
      expect(code).toBe(0);
      await eventually(liveCaughtUp, 'the live projector after the swap');

      // Reference: the whole stream through the same apply step into a fresh copy.
      await createShadow(db, 'intent', 'intent_reference', ['conversation_turns', 'inbox']);
      await applyRange(replayEntryOf('intent-memory'), config, { schema: 'intent_reference' }, () => {});
      const live = { turns: await rows(db, turns, 'intent'), inbox: await rows(db, inbox, 'intent') };
      expect(live.inbox).toHaveLength(published);
      // Seven conversations, 20 turns each kept.
      expect(live.turns).toHaveLength(7 * 20);
      expect(live).toEqual({
        turns: await rows(db, turns, 'intent_reference'),
        inbox: await rows(db, inbox, 'intent_reference'),
      });
      const inferences = await rows(db, 'select conversation_id from S.inferences', 'intent');
      expect(inferences).toEqual([{ conversation_id: 'conv-0' }]);
      expect(await schemaNames(db, 'intent%')).toEqual(['intent', 'intent_reference']);
      // Two replay child processes and a live projector: over 30 s when the suite runs files side by side.
    }, 90_000);
  });

  describe('sender-statuses', () => {
    const PNID = '106540352242922';
    const publishStatus = async (wamid: string, status: string, at: Date, key?: string) => {
      const event = statusReceivedEvent({
        wamid,
        status,
        phoneNumberId: PNID,
        recipient: '971500000000',
        at,
        callbackKey: key,
      });
      await publish(nats.js, {
        subject: topology.subjects.inboundStatus(PNID, '971500000000'),
        msgId: event.id,
        data: JSON.stringify(event),
        timeoutMs: 5_000,
      });
    };
    const statuses =
      'select wamid, callback_key, status, rank, status_at, error_code from S.statuses order by wamid';

    it('rebuilds statuses from the status events, out of order and repeated alike, and keeps the outbox', async () => {
      const base = Date.parse('2026-11-23T10:00:00Z');
      // 60 messages; each gets its statuses in a scrambled order, some twice, only some with a key.
      for (let m = 0; m < 60; m++) {
        const wamid = `wamid.m${m}`;
        const order = [
          ['read', 30],
          ['sent', 0],
          ['delivered', 10],
        ] as const;
        for (const [status, offset] of m % 2 === 0 ? order : [...order].reverse()) {
          if (m % 5 === 0 && status === 'read') continue;
          await publishStatus(
            wamid,
            status,
            new Date(base + m * 1000 + offset * 1000),
            m % 3 === 0 ? `key-${m}` : undefined,
          );
        }
        if (m % 7 === 0) await publishStatus(wamid, 'delivered', new Date(base + m * 1000 + 10_000));
      }
      // The live projector applies statuses out of order (many in flight): wait until it has
      // acknowledged every one, not just seen every message.
      await eventually(async () => {
        const info = await nats.jsm.consumers.info(topology.streams.whatsapp.name, 'sender-statuses');
        return info.num_pending === 0 && info.num_ack_pending === 0 && info.delivered.stream_seq > 0;
      }, 'the live status projection');
      expect(await rows(db, 'select count(*)::int as n from S.statuses', 'sender')).toEqual([{ n: 60 }]);
      await sql`insert into sender.outbox (key, stream_seq, subject, msg_id, phone_number_id, recipient, kind, command,
                  state, attempts, next_attempt_at, exhausted, published, created_at, updated_at)
                values ('kept-key', 1, 's', 'm', ${PNID}, '971500000000', 'text', '{}', 'sent', 1, now(), false,
                  true, now(), now())`.execute(db);
      const before = await rows(db, statuses, 'sender');

      const code = await replayCommand(config, 'sender-statuses', shadowOptions);
      expect(code).toBe(0);
      expect(await rows(db, statuses, 'sender')).toEqual(before);
      expect(before.filter((row) => (row as { status: string }).status === 'read')).toHaveLength(48);
      expect(await rows(db, "select key from S.outbox where key = 'kept-key'", 'sender')).toEqual([
        { key: 'kept-key' },
      ]);
      expect(await schemaNames(db, 'sender%')).toEqual(['sender']);

      // The live projector keeps writing the swapped-in table.
      await publishStatus('wamid.after', 'sent', new Date(base));
      await eventually(
        async () =>
          (await rows(db, "select 1 from S.statuses where wamid = 'wamid.after'", 'sender')).length === 1,
        'a status after the swap',
      );
    });
  });
});
