import { headers } from '@nats-io/transport-node';
import { CONVERSATION_EVENT_TYPES, type ConversationTurnRecorded } from '@reserveit/contracts';
import { Intent, Source } from '@reserveit/rpc/intent/v1/intent';
import { type TestDatabase, type TestNats, useDatabase, useNats } from '@reserveit/testkit';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningIntent } from '../src/server.js';
import { type FakeLlm, GOOD_ANSWER, startFakeLlm } from './fake-llm.js';
import { clientFor, intentUnderTest, interpret } from './intent-under-test.js';

const NOW = '2026-11-23T15:00:00Z';

describe('LLM provider against a fake OpenAI-compatible endpoint, over gRPC', () => {
  let nats: TestNats;
  let database: TestDatabase;
  let llm: FakeLlm;
  let intent: RunningIntent;
  let pool: pg.Pool;

  beforeAll(async () => {
    [nats, database, llm] = await Promise.all([useNats(), useDatabase(), startFakeLlm()]);
    intent = await intentUnderTest({
      NATS_URL: nats.url,
      NATS_PREFIX: nats.prefix,
      DATABASE_URL: database.url,
      INTENT_PROVIDER: 'llm',
      INTENT_LLM_BASE_URL: llm.baseUrl,
      INTENT_LLM_MODEL: 'fake-model',
      INTENT_LLM_API_KEY: 'test-key',
      INTENT_LLM_TIMEOUT_MS: '300',
      // A wide window: the failure scenarios here must not open the breaker (its own test below does).
      INTENT_LLM_BREAKER_WINDOW: '100',
      INTENT_LLM_BREAKER_ERROR_RATE: '0.9',
    });
    pool = new pg.Pool({ connectionString: database.url, max: 1 });
  });

  afterAll(async () => {
    await intent?.close(2_000);
    await pool?.end();
    await llm?.close();
    await nats?.cleanup();
    await database?.drop();
  });

  it('answers from the model when it returns a valid JSON-schema answer, with the bearer key and the schema requested', async () => {
    llm.behave({ kind: 'answer', content: GOOD_ANSWER });
    const before = llm.requests.length;
    const response = await interpret(clientFor(intent), { text: 'tbl 4 4 2moro 8', now: NOW });
    expect(response).toMatchObject({
      intent: Intent.INTENT_BOOK,
      source: Source.SOURCE_LLM,
      model: 'fake-model',
      fallbackReason: '',
      entities: { date: '2026-11-24', time: '20:00', partySize: 4 },
    });
    const sent = llm.requests[before];
    expect(sent?.path).toBe('/v1/chat/completions');
    expect(sent?.authorization).toBe('Bearer test-key');
    expect(sent?.body.response_format.type).toBe('json_schema');
    expect(sent?.body.messages.at(-1)).toEqual({ role: 'user', content: 'tbl 4 4 2moro 8' });
    expect(sent?.body.messages[0]?.content).toContain('Monday 2026-11-23 19:00');
  });

  it("keeps the rules' date, time and count where the model contradicts the text, keeps what only the model read, and records the disagreement", async () => {
    // The text says Friday at 9 for 3; the model says tomorrow at 8 for 4, and a name the rules cannot read.
    llm.behave({
      kind: 'answer',
      content: { ...GOOD_ANSWER, entities: { ...GOOD_ANSWER.entities, guest_name: 'Dana' } },
    });
    const response = await interpret(clientFor(intent), {
      text: 'book friday at 9 for 3 people',
      now: NOW,
      conversationId: 'conv-disagree',
    });
    expect(response).toMatchObject({
      source: Source.SOURCE_LLM,
      entities: { date: '2026-11-27', time: '21:00', partySize: 3, guestName: 'Dana' },
    });
    await intent.recorder.flush();
    const { rows } = await pool.query(
      "select provider, error from intent.inferences where conversation_id = 'conv-disagree'",
    );
    expect(rows).toEqual([{ provider: 'llm', error: 'entity_disagreement: date,time,partySize' }]);
    const metrics = await (await fetch(`${intent.httpAddress}/metrics`)).text();
    for (const field of ['date', 'time', 'partySize'])
      expect(metrics).toMatch(
        new RegExp(`intent_llm_entity_disagreements_total\\{field="${field}",service="intent"\\} 1`),
      );
  });

  it.each([
    ['malformed JSON content', { kind: 'malformed' } as const, 'invalid_response'],
    ['an answer outside the schema', { kind: 'off-schema' } as const, 'invalid_response'],
    ['an HTTP 500', { kind: 'fail', status: 500 } as const, 'http_error'],
    [
      'an answer slower than the timeout',
      { kind: 'slow', delayMs: 2_000, content: GOOD_ANSWER } as const,
      'timeout',
    ],
  ])('falls back to rules on %s and says why', async (_name, behaviour, reason) => {
    llm.behave(behaviour);
    const started = Date.now();
    const response = await interpret(clientFor(intent), {
      text: 'cancel my reservation',
      now: NOW,
      conversationId: `fallback-${reason}`,
    });
    expect(response).toMatchObject({
      intent: Intent.INTENT_CANCEL,
      source: Source.SOURCE_RULES,
      fallbackReason: reason,
      model: 'nlpjs-intent',
    });
    expect(Date.now() - started).toBeLessThan(1_500);
  });

  it("keeps within the caller's deadline: a slow model is cut short so rules still answer in time", async () => {
    llm.behave({ kind: 'slow', delayMs: 2_000, content: GOOD_ANSWER });
    // The configured LLM timeout is 300 ms; a 250 ms deadline must shorten it, or the call would fail.
    const response = await interpret(
      clientFor(intent),
      { text: 'hours?', now: NOW, conversationId: 'deadline-1' },
      250,
    );
    expect(response).toMatchObject({
      intent: Intent.INTENT_HOURS,
      source: Source.SOURCE_RULES,
      fallbackReason: 'timeout',
    });
    expect(response.latencyMs).toBeLessThan(250);
  });

  it('records each fallback with its reason and error in Postgres and in /metrics', async () => {
    await intent.recorder.flush();
    const { rows } = await pool.query<{ fallback_reason: string; provider: string; error: string | null }>(
      "select fallback_reason, provider, error from intent.inferences where conversation_id like 'fallback-%' order by id",
    );
    expect(rows.map((row) => row.fallback_reason).sort()).toEqual([
      'http_error',
      'invalid_response',
      'invalid_response',
      'timeout',
    ]);
    expect(rows.every((row) => row.provider === 'rules' && (row.error ?? '').length > 0)).toBe(true);
    const metrics = await (await fetch(`${intent.httpAddress}/metrics`)).text();
    // Two timeouts: the slow answer above and the one cut short by the caller's deadline.
    expect(metrics).toMatch(/intent_llm_fallbacks_total\{reason="timeout",service="intent"\} 2/);
    expect(metrics).toMatch(/intent_llm_fallbacks_total\{reason="invalid_response",service="intent"\} 2/);
  });

  it('gives the model the conversation memory projected from CONVERSATIONS: this session only, oldest first, once per event', async () => {
    const conversationId = 'conv-memory-1';
    const turn = (n: number, minutesAgo: number, role: 'guest' | 'assistant'): ConversationTurnRecorded => ({
      v: 1,
      id: `${conversationId}:${n}`,
      type: CONVERSATION_EVENT_TYPES.turnRecorded,
      conversationId,
      businessId: 'biz-1',
      occurredAt: new Date(Date.parse(NOW) - minutesAgo * 60_000).toISOString(),
      role,
      text: `turn ${n}`,
    });
    const subject = intent.topology.subjects.conversationTurn(conversationId);
    const publish = async (event: ConversationTurnRecorded, msgId = event.id) => {
      const h = headers();
      h.set('Nats-Msg-Id', msgId);
      await nats.js.publish(subject, JSON.stringify(event), { headers: h });
    };
    // Turn n happened 40-n minutes ago: 25 turns, of which the projection keeps the newest 20
    // (5..24) and the session (the last 30 minutes, exclusive) holds 11..24.
    for (let n = 0; n <= 24; n += 1) await publish(turn(n, 40 - n, n % 2 === 1 ? 'guest' : 'assistant'));
    // The same event again under another Msg-Id (a producer retry past the duplicate window).
    await publish(turn(24, 16, 'assistant'), 'retry-of-24');

    const seen = async () => {
      const text = await (await fetch(`${intent.httpAddress}/metrics`)).text();
      const value = (outcome: string) =>
        Number(
          new RegExp(`intent_memory_events_total\\{outcome="${outcome}",service="intent"\\} (\\d+)`).exec(
            text,
          )?.[1] ?? 0,
        );
      return { applied: value('applied'), duplicate: value('duplicate') };
    };
    const deadline = Date.now() + 10_000;
    while ((await seen()).duplicate < 1 && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 50));
    // The retried event was recognised by its id (inbox) and changed nothing.
    expect(await seen()).toEqual({ applied: 25, duplicate: 1 });
    const rows = (
      await pool.query(
        'select text from intent.conversation_turns where conversation_id = $1 order by stream_seq',
        [conversationId],
      )
    ).rows;
    expect(rows.map((row) => row.text)).toEqual(Array.from({ length: 20 }, (_, i) => `turn ${i + 5}`));

    llm.behave({ kind: 'answer', content: GOOD_ANSWER });
    const before = llm.requests.length;
    await interpret(clientFor(intent), { text: 'make it 8', conversationId, now: NOW });
    const messages = llm.requests[before]?.body.messages ?? [];
    expect(messages[0]?.role).toBe('system');
    expect(messages.slice(1, -1)).toEqual(
      Array.from({ length: 14 }, (_, i) => ({
        role: (i + 11) % 2 === 1 ? 'user' : 'assistant',
        content: `turn ${i + 11}`,
      })),
    );
  });
});

describe('LLM circuit breaker over gRPC', () => {
  let database: TestDatabase;
  let llm: FakeLlm;
  let intent: RunningIntent;

  beforeAll(async () => {
    [database, llm] = await Promise.all([useDatabase(), startFakeLlm()]);
    intent = await intentUnderTest({
      DATABASE_URL: database.url,
      INTENT_MEMORY_PROJECTOR: 'false',
      INTENT_PROVIDER: 'llm',
      INTENT_LLM_BASE_URL: llm.baseUrl,
      INTENT_LLM_MODEL: 'fake-model',
      INTENT_LLM_BREAKER_WINDOW: '4',
      INTENT_LLM_BREAKER_ERROR_RATE: '0.5',
      INTENT_LLM_BREAKER_COOLDOWN_MS: '300',
    });
  });

  afterAll(async () => {
    await intent?.close(2_000);
    await llm?.close();
    await database?.drop();
  });

  it('opens after failures (rules answer without calling the model), then half-opens after the cool-down and closes on success', async () => {
    const client = clientFor(intent);
    llm.behave({ kind: 'fail', status: 503 });
    for (let i = 0; i < 4; i += 1) {
      expect((await interpret(client, { text: 'hi', now: NOW })).fallbackReason).toBe('http_error');
    }
    const calls = llm.requests.length;
    const open = await interpret(client, { text: 'hi', now: NOW });
    expect(open).toMatchObject({
      source: Source.SOURCE_RULES,
      fallbackReason: 'circuit_open',
      intent: Intent.INTENT_GREETING,
    });
    expect(llm.requests.length).toBe(calls);

    await new Promise((resolve) => setTimeout(resolve, 350));
    llm.behave({ kind: 'answer', content: GOOD_ANSWER });
    expect((await interpret(client, { text: 'book 4 tmrw 8', now: NOW })).source).toBe(Source.SOURCE_LLM);
    expect((await interpret(client, { text: 'book 4 tmrw 8', now: NOW })).source).toBe(Source.SOURCE_LLM);
    const metrics = await (await fetch(`${intent.httpAddress}/metrics`)).text();
    expect(metrics).toMatch(/intent_llm_breaker_open\{service="intent"\} 0/);
    expect(metrics).toMatch(/intent_llm_fallbacks_total\{reason="circuit_open",service="intent"\} 1/);
  });
});

describe('LLM with the conversation memory unreadable (Postgres), over gRPC', () => {
  let database: TestDatabase;
  let llm: FakeLlm;
  let intent: RunningIntent;
  let pool: pg.Pool;

  beforeAll(async () => {
    [database, llm] = await Promise.all([useDatabase(), startFakeLlm()]);
    intent = await intentUnderTest({
      DATABASE_URL: database.url,
      INTENT_MEMORY_PROJECTOR: 'false',
      INTENT_PROVIDER: 'llm',
      INTENT_LLM_BASE_URL: llm.baseUrl,
      INTENT_LLM_MODEL: 'fake-model',
      // Four failures in four calls would open it: the memory failures below must not count.
      INTENT_LLM_BREAKER_WINDOW: '4',
      INTENT_LLM_BREAKER_ERROR_RATE: '0.5',
      INTENT_LLM_BREAKER_COOLDOWN_MS: '60000',
    });
    pool = new pg.Pool({ connectionString: database.url, max: 1 });
  });

  afterAll(async () => {
    await intent?.close(2_000);
    await pool?.end();
    await llm?.close();
    await database?.drop();
  });

  it('answers from the model without memory, leaves the breaker closed, and records memory_unavailable', async () => {
    // The memory read now fails in Postgres (relation does not exist), as in an outage of that table.
    await pool.query('alter table intent.conversation_turns rename to conversation_turns_gone');
    llm.behave({ kind: 'answer', content: GOOD_ANSWER });
    const client = clientFor(intent);
    const before = llm.requests.length;
    for (let i = 0; i < 5; i += 1) {
      const response = await interpret(client, {
        text: 'tbl 4 4 2moro 8',
        now: NOW,
        conversationId: 'no-memory',
      });
      expect(response).toMatchObject({
        source: Source.SOURCE_LLM,
        fallbackReason: '',
        intent: Intent.INTENT_BOOK,
      });
    }
    // Every call reached the model, with the system prompt and the message only.
    expect(llm.requests.length - before).toBe(5);
    expect(llm.requests.at(-1)?.body.messages.map((m) => m.role)).toEqual(['system', 'user']);
    const metrics = await (await fetch(`${intent.httpAddress}/metrics`)).text();
    expect(metrics).toMatch(/intent_memory_unavailable_total\{service="intent"\} 5/);
    expect(metrics).toMatch(/intent_llm_breaker_open\{service="intent"\} 0/);
    expect(metrics).not.toMatch(/intent_llm_errors_total\{/);
    await intent.recorder.flush();
    const { rows } = await pool.query<{
      provider: string;
      fallback_reason: string | null;
      error: string | null;
    }>("select provider, fallback_reason, error from intent.inferences where conversation_id = 'no-memory'");
    expect(rows).toHaveLength(5);
    for (const row of rows) {
      expect(row).toMatchObject({ provider: 'llm', fallback_reason: null });
      expect(row.error).toMatch(/^memory_unavailable: /);
    }
  });
});
