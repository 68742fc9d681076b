import { createHash } from 'node:crypto';
import type { JetStreamClient } from '@nats-io/jetstream';
import { parseWebhookEvent, tuned, type WebhookEvent } from '@reserveit/contracts';
import { RawBodies, type RunningConsumer } from '@reserveit/messaging';
import { createLogger, createMetrics, type Registry } from '@reserveit/telemetry';
import { batchWebhook, serializeLikeMeta, signedRequest, type TestNats, useNats } from '@reserveit/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDeriver } from '../src/deriver.js';
import { ingressMetrics } from '../src/metrics.js';
import type { RunningIngress } from '../src/server.js';
import { derivationCaughtUp, ingressUnderTest, SECRET } from './ingress-under-test.js';

let nats: TestNats;
// Ingress alone (INGRESS_DERIVER=false): each test runs the deriver it needs on its own connection.
let ingress: RunningIngress;

beforeAll(async () => {
  nats = await useNats();
  ingress = await ingressUnderTest(nats.url, nats.prefix, { INGRESS_DERIVER: 'false' });
});

afterAll(async () => {
  await ingress.close();
  await nats.cleanup();
});

interface TestDeriver {
  registry: Registry;
  /** Stops pulling and closes its connection, as a process that exits. */
  stop(): Promise<void>;
  /** Drops its connection with whatever it holds unacknowledged, as a killed process does. */
  kill(): Promise<void>;
}

/**
 * A deriver on a connection of its own (as in another process), AckWait 1 s so that a raw body a
 * dead one held comes back quickly. `js` may wrap the connection's JetStream client.
 */
async function runDeriver(wrap: (js: JetStreamClient) => JetStreamClient = (js) => js): Promise<TestDeriver> {
  const own = await useNats(nats.url, { prefix: nats.prefix });
  const registry = createMetrics('ingress');
  const js = wrap(own.js);
  const running: RunningConsumer = await startDeriver({
    nc: own.nc,
    js,
    jsm: own.jsm,
    rawBodies: new RawBodies(own.nc, js, own.jsm, ingress.topology),
    topology: ingress.topology,
    entry: tuned(ingress.topology.consumers.ingress.deriver, { ackWaitMs: 1_000 }),
    logger: createLogger('deriver-test', 'silent'),
    metrics: ingressMetrics(registry),
  });
  return {
    registry,
    async stop() {
      await running.stop();
      await own.nc.close();
    },
    kill: () => own.nc.close(),
  };
}

const post = async (payload: string | Buffer) => {
  const request = signedRequest(payload, SECRET);
  const response = await fetch(`${ingress.address}/webhooks/whatsapp`, {
    method: 'POST',
    body: request.payload,
    headers: request.headers,
  });
  expect(response.status).toBe(200);
  return createHash('sha256').update(request.payload).digest('hex');
};

/** Every event in WHATSAPP in stream order, with its subject and Msg-Id. */
async function storedEvents(): Promise<{ subject: string; msgId: string; event: WebhookEvent }[]> {
  const stream = ingress.topology.streams.whatsapp.name;
  const total = (await nats.jsm.streams.info(stream)).state.messages;
  const consumer = await nats.js.consumers.get(stream);
  const events = [];
  for (let i = 0; i < total; i++) {
    const message = await consumer.next({ expires: 2_000 });
    if (!message) break;
    const parsed = parseWebhookEvent(message.json());
    if (!parsed.ok) throw new Error(`stored event does not match its schema: ${parsed.reason}`);
    events.push({
      subject: message.subject,
      msgId: message.headers?.get('Nats-Msg-Id') ?? '',
      event: parsed.event,
    });
  }
  return events;
}

const ofBody = async (rawId: string) => (await storedEvents()).filter((e) => e.event.rawId === rawId);

const threeGuests = (tag: string) =>
  batchWebhook([
    { kind: 'text', text: `${tag} one`, from: '447700900101' },
    { kind: 'text', text: `${tag} two`, from: '447700900102' },
    { kind: 'text', text: `${tag} three`, from: '447700900103' },
  ]);
const wamidsOf = (body: ReturnType<typeof batchWebhook>) =>
  body.entry.flatMap((entry) =>
    entry.changes.flatMap((change) => (change.value.messages ?? []).map((m) => m.id)),
  );

const counter = async (registry: Registry, name: string) =>
  Number((await registry.getSingleMetricAsString(name)).match(/ (\d+)$/m)?.[1] ?? 0);

describe('the deriver', () => {
  it('derives a body with 3 messages into 3 events with the wamids as Msg-Ids, after the 200', async () => {
    const body = threeGuests('three');
    const rawId = await post(serializeLikeMeta(body));
    // Ingress alone stored the raw body and nothing else.
    expect(await ofBody(rawId)).toEqual([]);
    const deriver = await runDeriver();
    try {
      await derivationCaughtUp(nats.jsm, ingress.topology);
      const events = await ofBody(rawId);
      expect(events.map((e) => e.msgId)).toEqual(wamidsOf(body));
      expect(events.map((e) => e.event.type)).toEqual(Array(3).fill('whatsapp.message.received'));
      expect(await counter(deriver.registry, 'ingress_events_published_total')).toBe(3);
    } finally {
      await deriver.stop();
    }
  });

  it('publishes one set of events when the same messages arrive twice, byte for byte or serialized anew', async () => {
    const body = threeGuests('twice');
    const exact = serializeLikeMeta(body);
    const first = await post(exact);
    expect(await post(exact)).toBe(first);
    // Meta's retry of the same messages with other bytes: another raw body, the same wamids.
    const again = await post(JSON.stringify(body, null, 1));
    expect(again).not.toBe(first);
    const deriver = await runDeriver();
    try {
      await derivationCaughtUp(nats.jsm, ingress.topology);
      const events = (await storedEvents()).filter((e) => wamidsOf(body).includes(e.msgId));
      expect(events.map((e) => e.msgId)).toEqual(wamidsOf(body));
      expect(events.every((e) => e.event.rawId === first)).toBe(true);
      expect(await counter(deriver.registry, 'ingress_duplicates_total')).toBe(3);
    } finally {
      await deriver.stop();
    }
  });

  it('publishes nothing twice when a deriver dies between its events and the ack of the raw body', async () => {
    const body = threeGuests('crash');
    const rawId = await post(serializeLikeMeta(body));
    // The first deriver's events are all acked by JetStream; then it stops for good (as a killed
    // process does) before it acks the raw body.
    let acked = 0;
    const dying = await runDeriver(
      (js) =>
        new Proxy(js, {
          get(target, property) {
            if (property === 'publish') {
              return async (...args: Parameters<JetStreamClient['publish']>) => {
                const ack = await target.publish(...args);
                acked++;
                return acked >= 3 ? new Promise<never>(() => undefined) : ack;
              };
            }
            const value = Reflect.get(target, property);
            return typeof value === 'function' ? value.bind(target) : value;
          },
        }),
    );
    await expect.poll(() => acked, { timeout: 10_000 }).toBe(3);
    expect((await ofBody(rawId)).map((e) => e.msgId)).toEqual(wamidsOf(body));
    const { stream, durable } = ingress.topology.consumers.ingress.deriver;
    expect((await nats.jsm.consumers.info(stream, durable)).num_ack_pending).toBe(1);
    await dying.kill();

    const next = await runDeriver();
    try {
      await derivationCaughtUp(nats.jsm, ingress.topology);
      expect((await ofBody(rawId)).map((e) => e.msgId)).toEqual(wamidsOf(body));
      // The body came back after AckWait and was derived again: every event a duplicate.
      expect(await counter(next.registry, 'ingress_duplicates_total')).toBe(3);
    } finally {
      await next.stop();
    }
  });

  it('quarantines a signed body that is not JSON, under quarantine:<rawId>', async () => {
    const rawId = await post('{"object":"whatsapp_business_account","entry":[');
    const deriver = await runDeriver();
    try {
      await derivationCaughtUp(nats.jsm, ingress.topology);
      const [quarantined, ...others] = await ofBody(rawId);
      expect(others).toEqual([]);
      expect(quarantined?.msgId).toBe(`quarantine:${rawId}`);
      expect(quarantined?.subject).toBe(ingress.topology.subjects.quarantine);
      expect(quarantined?.event).toMatchObject({
        type: 'whatsapp.webhook.quarantined',
        reason: expect.stringMatching(/^not JSON/),
      });
      expect(await deriver.registry.getSingleMetricAsString('ingress_quarantined_total')).toMatch(
        /reason="not_json".* 1$/m,
      );
    } finally {
      await deriver.stop();
    }
  });

  it("keeps a guest's order across bodies: events in the order ingress stored the bodies, while it takes them", async () => {
    const from = '201009998877';
    const deriver = await runDeriver();
    try {
      // One webhook after another, each answered before the next is sent (as Meta sends a guest's
      // messages), with the deriver working alongside and other guests' bodies in between.
      const sent: string[] = [];
      for (let i = 0; i < 40; i++) {
        const text = `in order ${i}`;
        sent.push(text);
        await Promise.all([
          post(serializeLikeMeta(batchWebhook([{ kind: 'text', text, from }]))),
          post(serializeLikeMeta(batchWebhook([{ kind: 'text', text: `other ${i}`, from: `4477009${i}` }]))),
        ]);
      }
      await derivationCaughtUp(nats.jsm, ingress.topology);
      const texts = (await storedEvents())
        .filter((e) => e.subject.endsWith(`.${from}`))
        .map((e) =>
          e.event.type === 'whatsapp.message.received'
            ? (e.event.message as { text?: { body: string } }).text?.body
            : undefined,
        );
      expect(texts).toEqual(sent);
    } finally {
      await deriver.stop();
    }
  });
});
