import { createHash } from 'node:crypto';
import { parseWebhookEvent, type WebhookEvent } from '@reserveit/contracts';
import { freePort, type NatsServer, startNatsServer } from '@reserveit/localstack';
import { RawBodies } from '@reserveit/messaging';
import {
  batchWebhook,
  serializeLikeMeta,
  signedRequest,
  type TestNats,
  textWebhook,
  useNats,
} from '@reserveit/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningIngress } from '../src/server.js';
import { derivationCaughtUp, ingressUnderTest, SECRET } from './ingress-under-test.js';

// Its own nats-server, with the monitoring port: the test asks the server which connections it closed.
let server: NatsServer;
let monitorPort: number;
let nats: TestNats;
let ingress: RunningIngress;

beforeAll(async () => {
  monitorPort = await freePort();
  server = await startNatsServer({ extraArgs: ['-m', String(monitorPort)] });
  nats = await useNats(server.url);
  ingress = await ingressUnderTest(server.url, nats.prefix);
});

afterAll(async () => {
  await ingress.close().catch(() => undefined);
  await nats.cleanup().catch(() => undefined);
  await server.stop();
});

/** A text webhook with `extra` spliced into the message as a field Meta might add. */
const withMessageField = (extra: string) =>
  serializeLikeMeta(textWebhook({ text: 'hi' })).replace('"type":"text"', `"type":"text","extra":${extra}`);

/** Signed bodies the publish path choked on, each with the quarantine reason it now gets. */
const UNSTORABLE = {
  '5,000 levels of nesting': {
    reason: 'too_deep',
    body: () => withMessageField(`${'['.repeat(5000)}${']'.repeat(5000)}`),
  },
  'a 70,000-character wamid': {
    reason: 'unknown_shape',
    body: () =>
      serializeLikeMeta(textWebhook({ text: `hi ${Math.random()}`, wamid: `wamid.${'A'.repeat(70_000)}` })),
  },
  'a 70,000-digit wa_id': {
    reason: 'unknown_shape',
    body: () => serializeLikeMeta(textWebhook({ text: `hi ${Math.random()}`, from: '9'.repeat(70_000) })),
  },
  'a wamid with a line break': {
    reason: 'unknown_shape',
    body: () => serializeLikeMeta(textWebhook({ text: `hi ${Math.random()}`, wamid: 'wamid.A\r\nB' })),
  },
  'an event over max_payload (a 1.5 MB change value)': {
    reason: 'over_nats_limits',
    body: () =>
      JSON.stringify({
        object: 'whatsapp_business_account',
        entry: [
          {
            id: '102290129340398',
            changes: [
              {
                field: 'message_template_status_update',
                value: { event: 'APPROVED', blob: `${Math.random()}${'x'.repeat(1_500_000)}` },
              },
            ],
          },
        ],
      }),
  },
  '2,001 statuses': {
    reason: 'too_many_events',
    body: () =>
      serializeLikeMeta(
        batchWebhook(
          Array.from({ length: 2001 }, (_, i) => ({
            kind: 'status' as const,
            wamid: `wamid.OUT${i}.${Math.random()}`,
            status: 'read' as const,
            recipientId: '971501234567',
          })),
        ),
      ),
  },
} as const;

const post = (payload: string | Buffer) => {
  const request = signedRequest(payload, SECRET);
  return fetch(`${ingress.address}/webhooks/whatsapp`, {
    method: 'POST',
    body: request.payload,
    headers: request.headers,
  });
};

const rawIdOf = (payload: string) => createHash('sha256').update(payload).digest('hex');

async function storedEvents(): Promise<WebhookEvent[]> {
  await derivationCaughtUp(nats.jsm, ingress.topology);
  const stream = ingress.topology.streams.whatsapp.name;
  const total = (await nats.jsm.streams.info(stream)).state.messages;
  const consumer = await nats.js.consumers.get(stream);
  const events: WebhookEvent[] = [];
  for (let i = 0; i < total; i++) {
    const message = await consumer.next({ expires: 2000 });
    if (!message) break;
    const parsed = parseWebhookEvent(message.json());
    if (!parsed.ok) throw new Error(`stored event does not match its schema: ${parsed.reason}`);
    events.push(parsed.event);
  }
  return events;
}

async function quarantinedCount(reason: string): Promise<number> {
  const metrics = await (await fetch(`${ingress.address}/metrics`)).text();
  const line = new RegExp(`ingress_quarantined_total\\{reason="${reason}",service="ingress"\\} (\\d+)`);
  return Number(line.exec(metrics)?.[1] ?? 0);
}

/** Connections nats-server closed for the ingress (it names its connection `ingress`). */
async function closedIngressConnections(): Promise<{ reason: string }[]> {
  const response = await fetch(`http://127.0.0.1:${monitorPort}/connz?state=closed`);
  const { connections } = (await response.json()) as { connections: { name?: string; reason: string }[] };
  return connections.filter((connection) => connection.name === 'ingress');
}

describe('signed bodies that cannot be stored as events', () => {
  it.each(Object.entries(UNSTORABLE))(
    'answers 200 to %s; the deriver quarantines it with its raw body and publishes nothing else',
    async (_label, { reason, body }) => {
      const payload = body();
      const quarantinedBefore = await quarantinedCount(reason);
      const response = await post(payload);
      expect(response.status).toBe(200);

      const ofThisBody = (await storedEvents()).filter((event) => event.rawId === rawIdOf(payload));
      expect(ofThisBody).toEqual([
        expect.objectContaining({ type: 'whatsapp.webhook.quarantined', size: Buffer.byteLength(payload) }),
      ]);
      const raw = await new RawBodies(nats.nc, nats.js, nats.jsm, ingress.topology).get(rawIdOf(payload));
      expect(raw?.equals(Buffer.from(payload))).toBe(true);
      expect(await quarantinedCount(reason)).toBe(quarantinedBefore + 1);
      expect(await closedIngressConnections()).toEqual([]);
    },
  );

  it('answers 200 and stores the events of normal webhooks sent in a storm of such bodies, on the same connection', async () => {
    const normal = Array.from({ length: 30 }, (_, i) =>
      textWebhook({ text: `table for ${i}`, from: `4477009${String(i).padStart(5, '0')}` }),
    );
    const bad = Object.values(UNSTORABLE).flatMap(({ body }) => Array.from({ length: 4 }, body));
    const sends = [
      ...normal.map((body) =>
        post(serializeLikeMeta(body)).then((r) => ({ kind: 'normal', status: r.status })),
      ),
      ...bad.map((payload) => post(payload).then((r) => ({ kind: 'bad', status: r.status }))),
    ];
    const answers = await Promise.all(sends);
    expect(answers.filter((answer) => answer.status !== 200)).toEqual([]);

    const stored = await storedEvents();
    const wamids = new Set(stored.map((event) => event.id));
    for (const body of normal)
      expect(wamids.has(body.entry[0]!.changes[0]!.value.messages![0]!.id)).toBe(true);
    const quarantinedRawIds = new Set(
      stored.filter((event) => event.type === 'whatsapp.webhook.quarantined').map((event) => event.rawId),
    );
    for (const payload of bad) expect(quarantinedRawIds.has(rawIdOf(payload))).toBe(true);
    expect(await closedIngressConnections()).toEqual([]);
  });
});
