import { type ServiceError, status } from '@grpc/grpc-js';
import { errorCodeOf } from '@reserveit/rpc';
import { Intent, Source } from '@reserveit/rpc/intent/v1/intent';
import { type TestDatabase, type TestNats, useDatabase, useNats } from '@reserveit/testkit';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningIntent } from '../src/server.js';
import { healthClient } from './health-check.js';
import { clientFor, intentUnderTest, interpret } from './intent-under-test.js';

describe('IntentService over a real gRPC socket (rules provider)', () => {
  let nats: TestNats;
  let database: TestDatabase;
  let intent: RunningIntent;

  beforeAll(async () => {
    nats = await useNats();
    database = await useDatabase();
    intent = await intentUnderTest({
      NATS_URL: nats.url,
      NATS_PREFIX: nats.prefix,
      DATABASE_URL: database.url,
    });
  });

  afterAll(async () => {
    await intent?.close(2_000);
    await nats?.cleanup();
    await database?.drop();
  });

  it('interprets an English booking with date, time and party size in the business timezone', async () => {
    const response = await interpret(clientFor(intent), {
      text: 'hi can i book a table for 4 tomorrow at 8?',
    });
    expect(response).toMatchObject({
      intent: Intent.INTENT_BOOK,
      entities: {
        date: '2026-11-24',
        time: '20:00',
        partySize: 4,
        guestName: '',
        menuCategory: '',
        menuItem: '',
      },
      language: 'en',
      source: Source.SOURCE_RULES,
      answer: false,
      fallbackReason: '',
    });
    expect(response.confidence).toBeGreaterThan(0.5);
    expect(response.latencyMs).toBeGreaterThan(0);
  });

  it('interprets Arabic with Arabic-Indic digits', async () => {
    const response = await interpret(clientFor(intent), {
      text: 'بدي احجز طاولة لـ ٤ أشخاص بكرة الساعة ٨ ونص',
    });
    expect(response).toMatchObject({
      intent: Intent.INTENT_BOOK,
      language: 'ar',
      entities: { date: '2026-11-24', time: '20:30', partySize: 4 },
    });
  });

  it('understands an interactive button reply by its id', async () => {
    const response = await interpret(clientFor(intent), {
      interactive: { kind: 'button_reply', id: 'slot:2026-11-25T19:30', title: 'Wed 19:30' },
    });
    expect(response).toMatchObject({
      intent: Intent.INTENT_OTHER,
      answer: true,
      entities: { date: '2026-11-25', time: '19:30' },
    });
  });

  it('answers INVALID_ARGUMENT with a stable code for an unknown time zone and for an empty message', async () => {
    const client = clientFor(intent);
    const badZone = await interpret(client, { text: 'hi', businessTimezone: 'Mars/Olympus' }).catch(
      (error: ServiceError) => error,
    );
    expect((badZone as ServiceError).code).toBe(status.INVALID_ARGUMENT);
    expect(errorCodeOf(badZone)).toBe('INVALID_TIMEZONE');
    const empty = await interpret(client, { text: '   ' }).catch((error: ServiceError) => error);
    expect(errorCodeOf(empty)).toBe('EMPTY_MESSAGE');
  });

  it('reports SERVING on grpc.health.v1 for the service', async () => {
    const health = healthClient(`127.0.0.1:${intent.grpcPort}`);
    const answer = await health.check('intent.v1.IntentService');
    health.close();
    expect(answer).toMatchObject({ status: 'SERVING' });
  });

  it('records every inference in Postgres (without the text) and counts it in /metrics', async () => {
    const client = clientFor(intent);
    await interpret(client, { text: 'cancel my booking please', conversationId: 'conv-record-1' });
    await intent.recorder.flush();
    const pool = new pg.Pool({ connectionString: database.url, max: 1 });
    try {
      const { rows } = await pool.query(
        "select provider, model, intent, language, fallback_reason, error, text_length, latency_ms from intent.inferences where conversation_id = 'conv-record-1'",
      );
      expect(rows).toEqual([
        {
          provider: 'rules',
          model: 'nlpjs-intent',
          intent: 'CANCEL',
          language: 'en',
          fallback_reason: null,
          error: null,
          text_length: 24,
          latency_ms: expect.any(Number),
        },
      ]);
    } finally {
      await pool.end();
    }
    const metrics = await (await fetch(`${intent.httpAddress}/metrics`)).text();
    expect(metrics).toMatch(
      /intent_inferences_total\{provider="rules",intent="CANCEL",service="intent"\} [1-9]/,
    );
    expect(metrics).toContain('intent_inference_duration_seconds_bucket');
  });

  it('answers /healthz and /readyz', async () => {
    expect((await fetch(`${intent.httpAddress}/healthz`)).status).toBe(200);
    const ready = await fetch(`${intent.httpAddress}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ ready: true, detail: 'grpc, database and nats ok' });
  });
});
