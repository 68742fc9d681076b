import { type ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import {
  type OtlpReceiver,
  signedRequest,
  startOtlpReceiver,
  type TestNats,
  textWebhook,
  useNats,
} from '@reserveit/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SECRET } from './ingress-under-test.js';

const SERVER_KIND = 2;
const PRODUCER_KIND = 4;
const GUEST = '971501234567';

let nats: TestNats;
let otlp: OtlpReceiver;
let child: ChildProcess;
let output = '';
let address: string;

beforeAll(async () => {
  nats = await useNats();
  otlp = await startOtlpReceiver();
  child = spawn(process.execPath, [fileURLToPath(new URL('../dist/main.js', import.meta.url))], {
    env: {
      PATH: process.env.PATH,
      NATS_URL: nats.url,
      NATS_PREFIX: nats.prefix,
      INGRESS_HOST: '127.0.0.1',
      INGRESS_PORT: '0',
      WHATSAPP_APP_SECRET: SECRET,
      OTEL_EXPORTER_OTLP_ENDPOINT: otlp.endpoint,
      OTEL_BSP_SCHEDULE_DELAY: '50',
      // Long enough for the readiness poll below to see the 503 on a loaded machine before the listener closes.
      SHUTDOWN_DRAIN_MS: '2000',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  address = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`ingress did not start:\n${output}`)), 15_000);
    child.stdout?.on('data', () => {
      const match = output.match(/ingress listening on (http:\/\/[\d.:]+)/);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
  });
});

afterAll(async () => {
  if (child.exitCode === null) child.kill('SIGKILL');
  await otlp.close();
  await nats.cleanup();
});

describe('the ingress process', () => {
  it('says where it listens at startup: webhook, readiness, metrics and NATS', () => {
    const startup = output.split('\n').find((line) => line.includes('ingress listening on'))!;
    expect(JSON.parse(startup)).toMatchObject({
      webhook: `${address}/webhooks/whatsapp`,
      readiness: `${address}/readyz`,
      metrics: `${address}/metrics`,
      nats: nats.url,
    });
    expect(startup).not.toContain(SECRET);
  });

  it("exports one trace per webhook: HTTP server span, the raw body's producer span, then the deriver's producer span per event carrying the wamid but not the phone number", async () => {
    const body = textWebhook({ text: 'table for 2', from: GUEST });
    const wamid = body.entry[0]!.changes[0]!.value.messages![0]!.id;
    const request = signedRequest(body, SECRET);
    const response = await fetch(`${address}/webhooks/whatsapp`, {
      method: 'POST',
      body: request.payload,
      headers: request.headers,
    });
    expect(response.status).toBe(200);

    await expect
      .poll(() => otlp.spans.find((span) => span.attributes['messaging.message.id'] === wamid), {
        timeout: 10_000,
      })
      .toBeTruthy();
    const producer = otlp.spans.find((span) => span.attributes['messaging.message.id'] === wamid)!;
    expect(producer).toMatchObject({ service: 'ingress', kind: PRODUCER_KIND });
    expect(producer.attributes).toMatchObject({
      'messaging.system': 'nats',
      'whatsapp.message.id': wamid,
      'whatsapp.message.type': 'text',
    });

    const trace = otlp.spans.filter((span) => span.traceId === producer.traceId);
    const byId = new Map(trace.map((span) => [span.spanId, span]));
    let root = producer;
    while (root.parentSpanId && byId.has(root.parentSpanId)) root = byId.get(root.parentSpanId)!;
    expect(root.kind).toBe(SERVER_KIND);
    expect(root.parentSpanId).toBeUndefined();
    // The deriver publishes the event inside the trace of the raw body's publish.
    const rawId = createHash('sha256').update(request.payload).digest('hex');
    const parent = producer.parentSpanId ? byId.get(producer.parentSpanId) : undefined;
    expect(parent).toMatchObject({ kind: PRODUCER_KIND });
    expect(parent?.attributes['messaging.message.id']).toBe(`${rawId}:0`);
    expect(JSON.stringify(trace)).not.toContain(GUEST);
  });

  it("keeps the hub challenge's verify token out of the traces", async () => {
    const token = 'verify-token-that-must-not-leak';
    const response = await fetch(
      `${address}/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=${token}&hub.challenge=42`,
    );
    expect(response.status).toBe(403);
    await expect
      .poll(() => otlp.spans.some((span) => span.attributes['http.response.status_code'] === 403), {
        timeout: 10_000,
      })
      .toBe(true);
    expect(JSON.stringify(otlp.spans)).not.toContain(token);
  });

  it('finishes the webhooks in flight when SIGTERM arrives, then exits 0', async () => {
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const bodies = Array.from({ length: 20 }, (_, i) => textWebhook({ text: `in flight ${i}`, from: GUEST }));
    const inFlight = bodies.map((body) => {
      const request = signedRequest(body, SECRET);
      return fetch(`${address}/webhooks/whatsapp`, {
        method: 'POST',
        body: request.payload,
        headers: request.headers,
      });
    });
    // Every request is on the wire before the signal: the first answer proves the server is at them.
    await Promise.race(inFlight);
    child.kill('SIGTERM');
    await expect.poll(async () => (await fetch(`${address}/readyz`)).status).toBe(503);
    const statuses = await Promise.all(inFlight.map((response) => response.then((r) => r.status)));
    expect(statuses).toEqual(Array(20).fill(200));
    expect(await exited).toBe(0);
    // Every answered webhook is durable as its raw body; the deriver stopped after the batch in
    // hand, so each body it acked has its event, and the rest wait for the next deriver.
    const raw = await nats.jsm.streams.info(`${nats.prefix}_WHATSAPP_RAW`);
    expect(raw.state.messages).toBe(21);
    const events = (await nats.jsm.streams.info(`${nats.prefix}_WHATSAPP`)).state.messages;
    const deriver = await nats.jsm.consumers.info(`${nats.prefix}_WHATSAPP_RAW`, 'ingress-deriver');
    expect(events).toBeGreaterThanOrEqual(deriver.ack_floor.stream_seq);
    expect(events).toBeLessThanOrEqual(21);
    expect(output).toContain('"msg":"stopped"');
  });
});
