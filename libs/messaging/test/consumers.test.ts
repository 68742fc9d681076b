import type { JsMsg } from '@nats-io/jetstream';
import { jetstream } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { SpanKind, trace } from '@opentelemetry/api';
import {
  topology as makeTopology,
  type ProjectionConsumer,
  partitionConsumer,
  partitionOf,
  subjectTemplate,
  type Topology,
  tuned,
} from '@reserveit/contracts';
import { type TestNats, useNats } from '@reserveit/testkit';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../telemetry/src/logger.js';
import {
  consumeFree,
  consumePartitioned,
  consumeProjection,
  DEAD_LETTER_HEADERS,
  ensureStream,
  publish,
  type RunningConsumer,
} from '../src/index.js';
import { recordSpans } from './tracing.js';

const spans = recordSpans();
const logger = createLogger('messaging-test', 'silent');
const PNID = '100';

async function setup(): Promise<{ t: TestNats; topology: Topology }> {
  const t = await useNats();
  const topology = makeTopology(t.prefix);
  for (const stream of [topology.streams.whatsapp, topology.streams.outbound, topology.streams.deadLetters])
    await ensureStream(t.jsm, stream, { replicas: 1 });
  return { t, topology };
}

const inbound = (t: TestNats, topology: Topology, guest: string, msgId: string, data: unknown) =>
  publish(t.js, {
    subject: topology.subjects.inboundMessage(PNID, guest),
    msgId,
    data: JSON.stringify(data),
    timeoutMs: 2000,
  });

/** A projection row of its own over WHATSAPP, so a test can choose the batch size. */
const projectionRow = (topology: Topology, durable: string, batchSize: number): ProjectionConsumer => ({
  ...topology.consumers.reservation.projector,
  id: `test.${durable}`,
  stream: topology.streams.whatsapp.name,
  durable,
  filterSubject: null,
  batchSize,
  deadLetter: {
    consumer: durable,
    subject: topology.subjects.deadLetter(durable),
    redrive: { kind: 'republish' },
  },
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('consumePartitioned', () => {
  it('handles one conversation in order, retries a failing message with backoff and dead-letters it to the row’s subject after maxDeliver, then moves on', async () => {
    const { t, topology } = await setup();
    const guest = '447700900001';
    for (const n of [1, 2, 3]) await inbound(t, topology, guest, `m${n}`, { n });
    const row = tuned(topology.consumers.conversation.inbound, {
      ackWaitMs: 5_000,
      maxDeliver: 3,
      backoff: { baseMs: 50, maxMs: 200 },
    });
    const seen: string[] = [];
    const deadLettered: number[] = [];
    const running = await consumePartitioned(row, {
      js: t.js,
      jsm: t.jsm,
      logger,
      partitions: [partitionOf(PNID, guest)],
      handler: async (message: JsMsg, ctx) => {
        const { n } = message.json<{ n: number }>();
        seen.push(`${n}#${ctx.deliveryCount}${ctx.lastAttempt ? '!' : ''}`);
        if (n === 2) throw new Error('poison');
      },
      onDeadLetter: (message) => deadLettered.push(message.seq),
    });
    await expect.poll(() => seen.length, { timeout: 10_000 }).toBe(5);
    await running.stop();
    expect(seen).toEqual(['1#1', '2#1', '2#2', '2#3!', '3#1']);
    expect(deadLettered).toEqual([2]);
    const dead = await t.jsm.streams.getMessage(topology.streams.deadLetters.name, {
      last_by_subj: row.deadLetter.subject,
    });
    expect(row.deadLetter.subject).toBe(topology.subjects.deadLetter('conversation'));
    expect(dead?.json()).toEqual({ n: 2 });
    expect(dead?.header.get(DEAD_LETTER_HEADERS.error)).toBe('Error: poison');
    expect(dead?.header.get(DEAD_LETTER_HEADERS.consumer)).toBe('conversation');
    expect(dead?.header.get(DEAD_LETTER_HEADERS.msgId)).toBe('m2');
    expect(dead?.header.get(DEAD_LETTER_HEADERS.deliveries)).toBe('3');
    await t.cleanup();
  });

  it("keeps each conversation's order with two replicas consuming the same partitions, one message of a conversation at a time", async () => {
    const { t, topology } = await setup();
    const second = await connect({ servers: t.url, name: 'reserveit-test-replica' });
    const row = tuned(topology.consumers.conversation.inbound, { ackWaitMs: 5_000 });
    const guests = Array.from({ length: 6 }, (_, g) => `4477009002${g}0`);
    const partitions = [...new Set(guests.map((guest) => partitionOf(PNID, guest)))];
    const handled = new Map<string, number[]>(guests.map((guest) => [guest, []]));
    const inFlight = new Map<string, number>();
    const byReplica = [0, 0];
    let overlaps = 0;
    const replica = (index: number) => async (message: JsMsg) => {
      const { guest, n } = message.json<{ guest: string; n: number }>();
      const busy = (inFlight.get(guest) ?? 0) + 1;
      inFlight.set(guest, busy);
      if (busy > 1) overlaps++;
      await sleep(5 + ((n * 7 + index * 3) % 15));
      handled.get(guest)?.push(n);
      byReplica[index] = (byReplica[index] ?? 0) + 1;
      inFlight.set(guest, busy - 1);
    };
    const running: RunningConsumer[] = [];
    try {
      running.push(
        await consumePartitioned(row, { js: t.js, jsm: t.jsm, logger, partitions, handler: replica(0) }),
        await consumePartitioned(row, {
          js: jetstream(second),
          jsm: t.jsm,
          logger,
          partitions,
          handler: replica(1),
        }),
      );
      for (let n = 1; n <= 10; n++) {
        await Promise.all(guests.map((guest) => inbound(t, topology, guest, `${guest}-${n}`, { guest, n })));
      }
      await expect
        .poll(() => [...handled.values()].reduce((sum, list) => sum + list.length, 0), { timeout: 20_000 })
        .toBe(60);
    } finally {
      for (const consumer of running) await consumer.stop();
      await second.close();
    }
    for (const guest of guests) expect(handled.get(guest)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(overlaps).toBe(0);
    expect(byReplica.every((count) => count > 0)).toBe(true);
    for (const partition of partitions) {
      const info = await t.jsm.consumers.info(row.stream, partitionConsumer(row, partition).durable);
      expect(info.config).toMatchObject({
        max_ack_pending: 1,
        filter_subject: topology.subjects.inboundMessagePartition(partition),
      });
    }
    await t.cleanup();
  });

  it('keeps a slow message from being redelivered past AckWait by marking it in progress', async () => {
    const { t, topology } = await setup();
    const guest = '447700900002';
    await inbound(t, topology, guest, 'slow', {});
    const row = tuned(topology.consumers.conversation.inbound, { ackWaitMs: 600, maxDeliver: 5 });
    let deliveries = 0;
    const running = await consumePartitioned(row, {
      js: t.js,
      jsm: t.jsm,
      logger,
      partitions: [partitionOf(PNID, guest)],
      handler: async () => {
        deliveries++;
        await sleep(2_000);
      },
    });
    await sleep(2_600);
    await running.stop();
    expect(deliveries).toBe(1);
    const info = await t.jsm.consumers.info(
      row.stream,
      partitionConsumer(row, partitionOf(PNID, guest)).durable,
    );
    expect(info.num_ack_pending).toBe(0);
    await t.cleanup();
  });

  it('makes the consumer span a child of the producer span', async () => {
    const { t, topology } = await setup();
    const guest = '447700900003';
    const subject = topology.subjects.inboundMessage(PNID, guest);
    await trace.getTracer('test').startActiveSpan('webhook', async (span) => {
      await publish(t.js, { subject, msgId: 'traced', data: '{}', timeoutMs: 2000 });
      span.end();
    });
    let handled = false;
    const running = await consumePartitioned(topology.consumers.conversation.inbound, {
      js: t.js,
      jsm: t.jsm,
      logger,
      partitions: [partitionOf(PNID, guest)],
      handler: async () => {
        handled = true;
      },
    });
    await expect.poll(() => handled).toBe(true);
    await running.stop();
    const producer = spans
      .getFinishedSpans()
      .find((span) => span.name === `publish ${subjectTemplate(subject)}`)!;
    const consumer = spans
      .getFinishedSpans()
      .find((span) => span.name === `process ${subjectTemplate(subject)}`)!;
    expect(consumer.kind).toBe(SpanKind.CONSUMER);
    expect(consumer.spanContext().traceId).toBe(producer.spanContext().traceId);
    expect(consumer.parentSpanContext?.spanId).toBe(producer.spanContext().spanId);
    await t.cleanup();
  });
});

describe('consumeFree', () => {
  it('handles up to the row’s concurrency at once, acknowledges each as it finishes, and dead-letters a failing one after maxDeliver', async () => {
    const { t, topology } = await setup();
    for (let n = 0; n < 8; n++) {
      await publish(t.js, {
        subject: topology.subjects.outboundRead(`10${n}`),
        msgId: `c${n}`,
        data: JSON.stringify({ n }),
        timeoutMs: 2000,
      });
    }
    const row = tuned(topology.consumers.sender.reads, {
      maxAckPending: 4,
      concurrency: 4,
      maxDeliver: 2,
      backoff: { baseMs: 50, maxMs: 200 },
    });
    let inFlight = 0;
    let most = 0;
    const handled: number[] = [];
    const running = await consumeFree(row, {
      js: t.js,
      jsm: t.jsm,
      logger,
      handler: async (message: JsMsg) => {
        inFlight++;
        most = Math.max(most, inFlight);
        await sleep(150);
        inFlight--;
        const { n } = message.json<{ n: number }>();
        if (n === 5) throw new Error('Graph API refused it');
        handled.push(n);
      },
    });
    await expect.poll(() => handled.length, { timeout: 10_000 }).toBe(7);
    const dead = () =>
      t.jsm.streams
        .getMessage(topology.streams.deadLetters.name, { last_by_subj: row.deadLetter.subject })
        .catch(() => null);
    await expect.poll(async () => (await dead())?.json(), { timeout: 10_000 }).toEqual({ n: 5 });
    await running.stop();
    expect(most).toBe(4);
    expect([...handled].sort()).toEqual([0, 1, 2, 3, 4, 6, 7]);
    expect((await dead())?.header.get(DEAD_LETTER_HEADERS.consumer)).toBe('sender-reads');
    // Acks are published without waiting for the server, which applies them after it answers
    // a request sent later on the same connection: poll rather than read once.
    await expect
      .poll(async () => {
        const info = await t.jsm.consumers.info(row.stream, row.durable);
        return [info.num_ack_pending, info.num_pending, info.config.max_ack_pending];
      })
      .toEqual([0, 0, 4]);
    await t.cleanup();
  });
});

describe('consumeProjection', () => {
  it('hands over messages in stream order in batches of at most the row’s size, and isolates a poison message one at a time', async () => {
    const { t, topology } = await setup();
    for (let n = 1; n <= 10; n++) await inbound(t, topology, `g${n % 3}`, `b${n}`, { n });
    const row = tuned(projectionRow(topology, 'batch-test', 4), {
      maxDeliver: 2,
      backoff: { baseMs: 20, maxMs: 50 },
    });
    const batches: number[][] = [];
    const single: number[] = [];
    const poison = (message: JsMsg) => message.json<{ n: number }>().n === 7;
    const running = await consumeProjection(row, {
      js: t.js,
      jsm: t.jsm,
      logger,
      healthy: async () => true,
      handleBatch: async (messages) => {
        if (messages.some(poison)) throw new Error('poison in batch');
        batches.push(messages.map((message) => message.json<{ n: number }>().n));
      },
      handler: async (message) => {
        if (poison(message)) throw new Error('poison');
        single.push(message.json<{ n: number }>().n);
      },
    });
    await expect.poll(() => batches.flat().length + single.length, { timeout: 10_000 }).toBe(9);
    await running.stop();
    expect(batches.flat()).toEqual(
      batches
        .flat()
        .slice()
        .sort((a, b) => a - b),
    );
    expect(batches.every((batch) => batch.length <= 4)).toBe(true);
    expect([...batches.flat(), ...single].sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 8, 9, 10]);
    const dead = await t.jsm.streams.getMessage(topology.streams.deadLetters.name, {
      last_by_subj: row.deadLetter.subject,
    });
    expect(dead?.json()).toEqual({ n: 7 });
    await t.cleanup();
  });

  it('retries in stream order while the dependency is down and dead-letters nothing', async () => {
    const { t, topology } = await setup();
    for (let n = 1; n <= 6; n++) await inbound(t, topology, 'g', `o${n}`, { n });
    let up = false;
    setTimeout(() => {
      up = true;
    }, 600);
    const applied: number[] = [];
    const attempt = async (messages: JsMsg[]) => {
      if (!up) throw new Error('database unavailable');
      applied.push(...messages.map((message) => message.json<{ n: number }>().n));
    };
    let deadLetters = 0;
    const row = tuned(projectionRow(topology, 'outage-test', 2), {
      maxDeliver: 2,
      backoff: { baseMs: 50, maxMs: 100 },
    });
    const running = await consumeProjection(row, {
      js: t.js,
      jsm: t.jsm,
      logger,
      healthy: async () => up,
      handleBatch: attempt,
      handler: (message) => attempt([message]),
      onDeadLetter: () => {
        deadLetters++;
      },
    });
    await expect.poll(() => applied.length, { timeout: 10_000 }).toBe(6);
    await running.stop();
    expect(applied).toEqual([1, 2, 3, 4, 5, 6]);
    expect(deadLetters).toBe(0);
    await t.cleanup();
  });

  it('starts a new durable at the given time and leaves an existing one where it was', async () => {
    const { t, topology } = await setup();
    await inbound(t, topology, 'g', 'old', { n: 1 });
    await sleep(50);
    const startTime = new Date();
    await inbound(t, topology, 'g', 'new', { n: 2 });
    const row = projectionRow(topology, 'start-test', 8);
    const applied: number[] = [];
    const options = {
      js: t.js,
      jsm: t.jsm,
      logger,
      startTime,
      healthy: async () => true,
      handleBatch: async (messages: JsMsg[]) => {
        applied.push(...messages.map((message) => message.json<{ n: number }>().n));
      },
      handler: async () => undefined,
    };
    const first = await consumeProjection(row, options);
    await expect.poll(() => applied).toEqual([2]);
    await first.stop();
    await inbound(t, topology, 'g', 'later', { n: 3 });
    const again = await consumeProjection(row, { ...options, startTime: new Date(0) });
    await expect.poll(() => applied).toEqual([2, 3]);
    await again.stop();
    await t.cleanup();
  });
});
