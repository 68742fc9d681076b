import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { parseWebhookEvent } from '@reserveit/contracts';
import { RawBodies } from '@reserveit/messaging';
import {
  batchWebhook,
  signedRequest,
  statusWebhook,
  type TestNats,
  textWebhook,
  useNats,
} from '@reserveit/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningIngress } from '../src/server.js';
import {
  derivationCaughtUp,
  ingressUnderTest,
  OLD_SECRET,
  SECRET,
  VERIFY_TOKEN,
} from './ingress-under-test.js';

let nats: TestNats;
let ingress: RunningIngress;
let url: string;

beforeAll(async () => {
  nats = await useNats();
  ingress = await ingressUnderTest(nats.url, nats.prefix, { INGRESS_BODY_LIMIT_BYTES: String(64 * 1024) });
  url = `${ingress.address}/webhooks/whatsapp`;
});

afterAll(async () => {
  await ingress.close();
  await nats.cleanup();
});

const post = (payload: Buffer | string, headers: Record<string, string>) =>
  fetch(url, { method: 'POST', body: payload, headers });

/** The events in WHATSAPP once the deriver took every raw body stored so far. */
async function storedEvents(filter = '>') {
  await derivationCaughtUp(nats.jsm, ingress.topology);
  const stream = ingress.topology.streams.whatsapp.name;
  const consumer = await nats.js.consumers.get(stream, { filter_subjects: `${nats.prefix}.wa.in.${filter}` });
  const info = await nats.jsm.streams.info(stream, { subjects_filter: `${nats.prefix}.wa.in.${filter}` });
  const total = Object.values(info.state.subjects ?? {}).reduce((sum, count) => sum + count, 0);
  const events = [];
  for (let i = 0; i < total; i++) {
    const message = await consumer.next({ expires: 2000 });
    if (!message) break;
    const parsed = parseWebhookEvent(message.json());
    if (!parsed.ok) throw new Error(`stored event does not match its schema: ${parsed.reason}`);
    events.push({
      subject: message.subject,
      msgId: message.headers?.get('Nats-Msg-Id'),
      event: parsed.event,
    });
  }
  return events;
}

async function eventsWithMsgId(msgId: string) {
  return (await storedEvents()).filter((stored) => stored.msgId === msgId);
}

describe('hub challenge', () => {
  it('answers 200 with the challenge as plain text when the verify token matches', async () => {
    const response = await fetch(
      `${url}?hub.mode=subscribe&hub.verify_token=${VERIFY_TOKEN}&hub.challenge=1158201444`,
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await response.text()).toBe('1158201444');
  });

  it('answers 403 to a wrong verify token', async () => {
    const response = await fetch(`${url}?hub.mode=subscribe&hub.verify_token=nope&hub.challenge=1`);
    expect(response.status).toBe(403);
  });

  it('answers 403 when hub.mode, the token or the challenge is missing', async () => {
    for (const query of [
      `hub.verify_token=${VERIFY_TOKEN}&hub.challenge=1`,
      'hub.mode=subscribe&hub.challenge=1',
      `hub.mode=subscribe&hub.verify_token=${VERIFY_TOKEN}`,
      '',
    ]) {
      expect((await fetch(`${url}?${query}`)).status).toBe(403);
    }
  });
});

describe('signed webhooks', () => {
  it('publishes one event per message with the wamid as Nats-Msg-Id, received when its raw body was stored, and keeps the raw body byte for byte', async () => {
    const body = textWebhook({
      text: 'Table for 2 tonight? café / terrace',
      from: '971501234567',
      name: 'Sara',
    });
    const request = signedRequest(body, SECRET);
    const sent = Date.now();
    const response = await post(request.payload, request.headers);
    const answered = Date.now();
    expect(response.status).toBe(200);
    const wamid = body.entry[0]!.changes[0]!.value.messages![0]!.id;
    const [stored] = await eventsWithMsgId(wamid);
    expect(stored?.event).toMatchObject({
      type: 'whatsapp.message.received',
      id: wamid,
      guest: { id: '971501234567', name: 'Sara' },
    });
    expect(stored?.subject).toContain('.971501234567');
    const receivedAt = Date.parse(stored!.event.receivedAt);
    expect(receivedAt).toBeGreaterThanOrEqual(sent);
    expect(receivedAt).toBeLessThanOrEqual(answered);
    const rawId = stored!.event.rawId;
    const raw = await new RawBodies(nats.nc, nats.js, nats.jsm, ingress.topology).get(rawId);
    expect(raw?.equals(request.payload)).toBe(true);
  });

  it('turns a batch of 3 messages and 2 statuses into 5 events', async () => {
    const body = batchWebhook([
      { kind: 'text', text: 'hi', from: '447700900001' },
      { kind: 'text', text: 'hello', from: '447700900002' },
      { kind: 'status', wamid: 'wamid.OUT1', status: 'delivered', recipientId: '447700900001' },
      { kind: 'text', text: 'hola', from: '447700900003' },
      { kind: 'status', wamid: 'wamid.OUT2', status: 'read', recipientId: '447700900002' },
    ]);
    const request = signedRequest(body, SECRET);
    expect((await post(request.payload, request.headers)).status).toBe(200);
    const rawId = createHash('sha256').update(request.payload).digest('hex');
    const ofThisBody = (await storedEvents()).filter((stored) => stored.event.rawId === rawId);
    expect(ofThisBody.map((stored) => stored.event.type).sort()).toEqual([
      'whatsapp.message.received',
      'whatsapp.message.received',
      'whatsapp.message.received',
      'whatsapp.status.received',
      'whatsapp.status.received',
    ]);
  });

  it('stores exactly one event per wamid when the same body arrives 3 times at once and 3 times in a row', async () => {
    const body = textWebhook({ text: 'book for 4 tomorrow', from: '33612345678' });
    const wamid = body.entry[0]!.changes[0]!.value.messages![0]!.id;
    const request = signedRequest(body, SECRET);
    const concurrent = await Promise.all([1, 2, 3].map(() => post(request.payload, request.headers)));
    expect(concurrent.map((r) => r.status)).toEqual([200, 200, 200]);
    for (let i = 0; i < 3; i++) expect((await post(request.payload, request.headers)).status).toBe(200);
    expect(await eventsWithMsgId(wamid)).toHaveLength(1);
    // Stored once: the five repeats were duplicates of the raw body, so nothing was derived twice.
    const metrics = await (await fetch(`${ingress.address}/metrics`)).text();
    expect(metrics).toMatch(/ingress_raw_duplicates_total\{service="ingress"\} ([5-9]|\d\d)/);
  });

  it("keeps the order of one guest's messages within a body", async () => {
    const from = '201001234567';
    const body = batchWebhook(['one', 'two', 'three'].map((text) => ({ kind: 'text' as const, text, from })));
    const request = signedRequest(body, SECRET);
    expect((await post(request.payload, request.headers)).status).toBe(200);
    const texts = (await storedEvents())
      .filter((e) => e.subject.endsWith(`.${from}`))
      .map((e) =>
        e.event.type === 'whatsapp.message.received'
          ? (e.event.message as { text?: { body: string } }).text?.body
          : '',
      );
    expect(texts).toEqual(['one', 'two', 'three']);
  });

  it('stores a webhook whose upload alone took longer than INGRESS_PUBLISH_TIMEOUT_MS leaves for waiting', async () => {
    const body = textWebhook({ text: 'sent over a slow link', from: '447700900555' });
    const request = signedRequest(body, SECRET);
    // Half the body, a pause past three quarters of the 2 s timeout, then the rest.
    const status = await new Promise<number>((resolve, reject) => {
      const upload = httpRequest(
        url,
        { method: 'POST', headers: { ...request.headers, 'content-length': String(request.payload.length) } },
        (response) => {
          response.resume();
          resolve(response.statusCode ?? 0);
        },
      );
      upload.on('error', reject);
      const half = Math.floor(request.payload.length / 2);
      upload.write(request.payload.subarray(0, half));
      setTimeout(() => upload.end(request.payload.subarray(half)), 1_800);
    });
    expect(status).toBe(200);
    expect(await eventsWithMsgId(body.entry[0]!.changes[0]!.value.messages![0]!.id)).toHaveLength(1);
  });

  it('routes a status update to its recipient with the id <wamid>:<status>', async () => {
    const request = signedRequest(
      statusWebhook({ wamid: 'wamid.OUT9', status: 'sent', recipientId: '15550002222' }),
      SECRET,
    );
    expect((await post(request.payload, request.headers)).status).toBe(200);
    const [stored] = await eventsWithMsgId('wamid.OUT9:sent');
    expect(stored?.subject).toBe(
      ingress.topology.subjects.inboundStatus(
        stored!.event.type === 'whatsapp.status.received' ? stored!.event.phoneNumberId : '',
        '15550002222',
      ),
    );
  });
});

describe('refused webhooks', () => {
  const body = () => textWebhook({ text: 'should never be stored', from: '491701234567' });

  async function expectNothingStoredFor(text: string) {
    const events = await storedEvents();
    expect(
      events.filter(
        (e) => e.event.type === 'whatsapp.message.received' && JSON.stringify(e.event).includes(text),
      ),
    ).toHaveLength(0);
  }

  it('answers 401 and publishes nothing when the signature is missing', async () => {
    const request = signedRequest(body(), SECRET);
    const response = await post(request.payload, { 'content-type': 'application/json' });
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: { code: 'INVALID_SIGNATURE' } });
    await expectNothingStoredFor('should never be stored');
  });

  it('answers 401 and publishes nothing when the signature is malformed or made with another secret', async () => {
    const request = signedRequest(body(), SECRET);
    for (const signature of [
      'sha256=nothex',
      `sha256=${'0'.repeat(64)}`,
      signedRequest(body(), 'wrong-secret').headers['x-hub-signature-256'],
    ]) {
      expect(
        (await post(request.payload, { ...request.headers, 'x-hub-signature-256': signature })).status,
      ).toBe(401);
    }
    await expectNothingStoredFor('should never be stored');
  });

  it('answers 401 and publishes nothing when the signature is over a re-serialized body', async () => {
    const original = signedRequest(
      textWebhook({ text: 'should never be stored: café https://x.example/a', from: '491701234567' }),
      SECRET,
    );
    const reserialized = Buffer.from(JSON.stringify(JSON.parse(original.payload.toString('utf8'))));
    expect(reserialized.equals(original.payload)).toBe(false);
    expect((await post(reserialized, original.headers)).status).toBe(401);
    await expectNothingStoredFor('should never be stored');
  });

  it('accepts the old and the new app secret during a rotation', async () => {
    for (const secret of [SECRET, OLD_SECRET]) {
      const request = signedRequest(textWebhook({ text: `rotation ${secret}` }), secret);
      expect((await post(request.payload, request.headers)).status).toBe(200);
    }
  });

  it('answers 413 to a body over the limit', async () => {
    const request = signedRequest(textWebhook({ text: 'x'.repeat(70 * 1024) }), SECRET);
    const response = await post(request.payload, request.headers);
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ error: { code: 'BODY_TOO_LARGE' } });
  });
});

describe('quarantine', () => {
  async function quarantined() {
    return (await storedEvents('quarantine')).map((e) => e.event);
  }

  it('answers 200 to truncated JSON with a valid signature and keeps it in quarantine', async () => {
    const full = signedRequest(textWebhook({ text: 'truncated' }), SECRET).payload;
    const truncated = full.subarray(0, full.length - 10);
    const request = signedRequest(truncated, SECRET);
    expect((await post(request.payload, request.headers)).status).toBe(200);
    const found = (await quarantined()).find(
      (event) => event.type === 'whatsapp.webhook.quarantined' && event.size === truncated.length,
    );
    expect(found).toMatchObject({ reason: expect.stringMatching(/^not JSON/) });
    const raw = await new RawBodies(nats.nc, nats.js, nats.jsm, ingress.topology).get(found!.rawId);
    expect(raw?.equals(truncated)).toBe(true);
  });

  it('answers 200 to a signed body of unknown shape and keeps it in quarantine', async () => {
    const request = signedRequest('{"object":"page","entry":"not a list"}', SECRET);
    expect((await post(request.payload, request.headers)).status).toBe(200);
    expect(
      (await quarantined()).some(
        (event) => event.type === 'whatsapp.webhook.quarantined' && event.reason.startsWith('unknown shape'),
      ),
    ).toBe(true);
    expect(await (await fetch(`${ingress.address}/metrics`)).text()).toMatch(
      /ingress_quarantined_total\{reason="unknown_shape",service="ingress"\} [1-9]/,
    );
  });

  it('quarantines a body with __proto__ keys without polluting any prototype', async () => {
    const body = signedRequest(textWebhook({ text: 'proto' }), SECRET).payload.toString('utf8');
    const poisoned = body.replace(
      '{"object"',
      '{"__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}},"object"',
    );
    const request = signedRequest(poisoned, SECRET);
    expect((await post(request.payload, request.headers)).status).toBe(200);
    expect(({} as { polluted?: string }).polluted).toBeUndefined();
    expect(
      (await quarantined()).some(
        (event) => event.type === 'whatsapp.webhook.quarantined' && event.size === request.payload.length,
      ),
    ).toBe(true);
  });
});

describe('probes', () => {
  it('reports ready with the streams present, and exposes metrics by outcome', async () => {
    const ready = await fetch(`${ingress.address}/readyz`);
    expect(ready.status).toBe(200);
    expect((await fetch(`${ingress.address}/healthz`)).status).toBe(200);
    const metrics = await (await fetch(`${ingress.address}/metrics`)).text();
    expect(metrics).toMatch(/ingress_webhook_requests_total\{outcome="accepted",service="ingress"\} [1-9]/);
    expect(metrics).toMatch(
      /ingress_webhook_requests_total\{outcome="unauthorized",service="ingress"\} [1-9]/,
    );
    expect(metrics).toContain('ingress_publish_duration_seconds_bucket');
  });
});

// Keeps the fixture files in the contracts package honest against the real endpoint.
describe('Meta fixtures', () => {
  it('accepts every fixture body of the contracts package', async () => {
    const dir = new URL('../../../libs/contracts/test/fixtures/', import.meta.url);
    for (const file of readdirSync(dir).filter((name) => name.endsWith('.json'))) {
      const request = signedRequest(readFileSync(new URL(file, dir)), SECRET);
      expect({ file, status: (await post(request.payload, request.headers)).status }).toEqual({
        file,
        status: 200,
      });
    }
  });
});
