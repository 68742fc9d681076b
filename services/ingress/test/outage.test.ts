import { type NatsServer, startNatsServer } from '@reserveit/localstack';
import { streamConfig } from '@reserveit/messaging';
import { batchWebhook, signedRequest, type TestNats, textWebhook, useNats } from '@reserveit/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningIngress } from '../src/server.js';
import { derivationCaughtUp, ingressUnderTest, SECRET } from './ingress-under-test.js';

/** INGRESS_PUBLISH_TIMEOUT_MS as the contract states it (README, "Contract"). */
const PUBLISH_TIMEOUT_MS = 2_000;

// Its own nats-server: this file stops and deletes things under the ingress's feet.
let server: NatsServer;
let nats: TestNats;
let ingress: RunningIngress;

beforeAll(async () => {
  server = await startNatsServer();
  nats = await useNats(server.url);
  ingress = await ingressUnderTest(server.url, nats.prefix, {
    INGRESS_PUBLISH_TIMEOUT_MS: String(PUBLISH_TIMEOUT_MS),
  });
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
  return { status: response.status, ms: Math.round(performance.now() - started) };
}

/**
 * Answer times of several webhooks: three one after another, then ten at once (small bodies and
 * batches of 50 statuses), each signed before its clock starts.
 */
async function answerTimes() {
  const answers = [];
  for (let i = 0; i < 3; i++) answers.push(await timed(post(textWebhook({ text: `one by one ${i}` })).send));
  const atOnce = [
    ...Array.from({ length: 7 }, (_, i) => post(textWebhook({ text: `at once ${i}` }))),
    ...Array.from({ length: 3 }, (_, j) =>
      post(
        batchWebhook(
          Array.from({ length: 50 }, (_, i) => ({
            kind: 'status' as const,
            wamid: `wamid.OUT${j}.${i}`,
            status: 'delivered' as const,
            recipientId: `4477009${String(i).padStart(5, '0')}`,
          })),
        ),
      ),
    ),
  ];
  answers.push(...(await Promise.all(atOnce.map((delivery) => timed(delivery.send)))));
  return answers;
}

function expectAll503WithinTimeout(answers: { status: number; ms: number }[]) {
  expect(answers.filter((answer) => answer.status !== 503 || answer.ms >= PUBLISH_TIMEOUT_MS)).toEqual([]);
}

describe('JetStream unavailable', () => {
  it('answers every webhook 503 within INGRESS_PUBLISH_TIMEOUT_MS while nats-server is down, and the same delivery succeeds once it is back', async () => {
    const delivery = post();
    expect((await timed(post().send)).status).toBe(200);

    await server.kill();
    let during: { status: number; ms: number }[];
    let readyDuring: number;
    try {
      during = [await timed(delivery.send), ...(await answerTimes())];
      readyDuring = (await fetch(`${ingress.address}/readyz`)).status;
    } finally {
      // Whatever happened, the tests after this one start from a running server, reconnected.
      await server.restart();
      await expect
        .poll(async () => (await fetch(`${ingress.address}/readyz`)).status, {
          timeout: 10_000,
          interval: 200,
        })
        .toBe(200);
      // The test's own connection retries every 2 s: it may come back after the ingress's.
      const whatsapp = ingress.topology.streams.whatsapp.name;
      await expect
        .poll(
          () =>
            nats.jsm.streams.info(whatsapp).then(
              () => true,
              () => false,
            ),
          {
            timeout: 20_000,
            interval: 200,
          },
        )
        .toBe(true);
    }
    expectAll503WithinTimeout(during);
    expect(readyDuring).toBe(503);

    expect((await timed(delivery.send)).status).toBe(200);
    // The deriver came back with the connection and derives the delivery stored after the outage.
    // Its pull resumes once @nats-io/jetstream's reconnect check finds the consumer again, retried
    // every PULL_EXPIRES_MS (libs/messaging/src/consume.ts) while JetStream is still starting.
    await derivationCaughtUp(nats.jsm, ingress.topology, 40_000);
    const wamid = delivery.body.entry[0]!.changes[0]!.value.messages![0]!.id;
    const stored = await nats.jsm.streams.getMessage(ingress.topology.streams.whatsapp.name, {
      last_by_subj: `${nats.prefix}.wa.in.msg.>`,
    });
    expect(stored?.header.get('Nats-Msg-Id')).toBe(wamid);
  }, 90_000);

  it('answers 503 within INGRESS_PUBLISH_TIMEOUT_MS, never 200, when the raw body stream has been removed', async () => {
    // The raw body is the durable record a 200 stands for (README, "Contract").
    await nats.jsm.streams.delete(ingress.topology.streams.raw.name);
    expectAll503WithinTimeout(await answerTimes());
    expect((await fetch(`${ingress.address}/readyz`)).status).toBe(503);
  });

  it('answers 503 within INGRESS_PUBLISH_TIMEOUT_MS when JetStream takes the raw bodies but never acknowledges them', async () => {
    // no_ack: the stream stores what it receives and answers nothing, so every publish times out.
    const spec = ingress.topology.streams.raw;
    await nats.jsm.streams.add({ ...streamConfig(spec, { replicas: 1 }), no_ack: true });
    expect((await fetch(`${ingress.address}/readyz`)).status).toBe(200);
    expectAll503WithinTimeout(await answerTimes());
  });
});
