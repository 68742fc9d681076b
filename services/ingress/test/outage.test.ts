import { type NatsServer, startNatsServer } from '@reserveit/localstack';
import { signedRequest, type TestNats, textWebhook, useNats } from '@reserveit/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningIngress } from '../src/server.js';
import { ingressUnderTest, SECRET } from './ingress-under-test.js';

// Its own nats-server: this file stops and deletes things under the ingress's feet.
let server: NatsServer;
let nats: TestNats;
let ingress: RunningIngress;

beforeAll(async () => {
  server = await startNatsServer();
  nats = await useNats(server.url);
  ingress = await ingressUnderTest(server.url, nats.prefix);
});

afterAll(async () => {
  await ingress.close().catch(() => undefined);
  await nats.cleanup().catch(() => undefined);
  await server.stop();
});

const post = (body = textWebhook({ text: 'table for two' })) => {
  const request = signedRequest(body, SECRET);
  return {
    body,
    request,
    send: () =>
      fetch(`${ingress.address}/webhooks/whatsapp`, {
        method: 'POST',
        body: request.payload,
        headers: request.headers,
      }),
  };
};

async function timed(send: () => Promise<Response>) {
  const started = performance.now();
  const response = await send();
  return { status: response.status, ms: performance.now() - started };
}

describe('JetStream unavailable', () => {
  it('answers 503 within 2.5 s while nats-server is down, and the same delivery succeeds once it is back', async () => {
    const delivery = post();
    expect((await timed(post().send)).status).toBe(200);

    await server.kill();
    const during = await timed(delivery.send);
    expect(during.status).toBe(503);
    expect(during.ms).toBeLessThan(2_500);
    expect((await fetch(`${ingress.address}/readyz`)).status).toBe(503);

    await server.restart();
    await expect
      .poll(async () => (await fetch(`${ingress.address}/readyz`)).status, { timeout: 10_000, interval: 200 })
      .toBe(200);
    expect((await timed(delivery.send)).status).toBe(200);
    const wamid = delivery.body.entry[0]!.changes[0]!.value.messages![0]!.id;
    const stored = await nats.jsm.streams.getMessage(ingress.topology.streams.whatsapp.name, {
      last_by_subj: `${nats.prefix}.wa.in.msg.>`,
    });
    expect(stored?.header.get('Nats-Msg-Id')).toBe(wamid);
  });

  it('answers 503 quickly and never 200 when the stream has been removed', async () => {
    await nats.jsm.streams.delete(ingress.topology.streams.whatsapp.name);
    const result = await timed(post().send);
    expect(result.status).toBe(503);
    expect(result.ms).toBeLessThan(2_500);
    expect((await fetch(`${ingress.address}/readyz`)).status).toBe(503);
  });
});
