import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JetStreamApiCodes, JetStreamApiError } from '@nats-io/jetstream';
import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { MAX_CONTROL_LINE, topology as makeTopology, subjectTemplate } from '@reserveit/contracts';
import { startNatsServer } from '@reserveit/localstack';
import { type TestNats, useNats } from '@reserveit/testkit';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { backoffDelay, ensureStream, isWrongLastSequence, publish, RawBodies } from '../src/index.js';
import { recordSpans } from './tracing.js';

const spans = recordSpans();
let nats: TestNats;

beforeAll(async () => {
  nats = await useNats();
});
afterAll(async () => {
  await nats.cleanup();
});

const topologyFor = (t: TestNats) => makeTopology(t.prefix);

describe('ensureStream', () => {
  it('creates an append-only stream once and is a no-op when called again, also concurrently', async () => {
    const topology = topologyFor(nats);
    const spec = topology.streams.whatsapp;
    await Promise.all([1, 2, 3].map(() => ensureStream(nats.jsm, spec, { replicas: 1 })));
    await ensureStream(nats.jsm, spec, { replicas: 1 });
    const info = await nats.jsm.streams.info(spec.name);
    expect(info.config).toMatchObject({
      deny_delete: true,
      deny_purge: true,
      subjects: spec.subjects,
      duplicate_window: 120_000_000_000,
    });
    await expect(nats.jsm.streams.purge(spec.name)).rejects.toThrow();
  });
});

describe('publish', () => {
  it('drops a second publish with the same Msg-Id and carries the trace context in the headers', async () => {
    const topology = topologyFor(nats);
    await ensureStream(nats.jsm, topology.streams.whatsapp, { replicas: 1 });
    const subject = topology.subjects.inboundMessage('100', '971501234567');
    const tracer = trace.getTracer('test');
    const [first, second] = await tracer.startActiveSpan('request', async (span) => {
      const acks = [
        await publish(nats.js, {
          subject,
          msgId: 'wamid.A',
          data: '{}',
          timeoutMs: 2000,
          attributes: { 'whatsapp.message.id': 'wamid.A' },
        }),
        await publish(nats.js, { subject, msgId: 'wamid.A', data: '{}', timeoutMs: 2000 }),
      ];
      span.end();
      return acks;
    });
    expect(first?.duplicate).toBe(false);
    expect(second).toMatchObject({ duplicate: true, seq: first?.seq });
    const stored = await nats.jsm.streams.getMessage(topology.streams.whatsapp.name, { seq: first!.seq });
    const request = spans.getFinishedSpans().find((span) => span.name === 'request')!;
    expect(stored?.header.get('traceparent')).toContain(request.spanContext().traceId);
    const producer = spans
      .getFinishedSpans()
      .find((span) => span.name === `publish ${subjectTemplate(subject)}`)!;
    expect(producer.kind).toBe(SpanKind.PRODUCER);
    expect(producer.parentSpanContext?.spanId).toBe(request.spanContext().spanId);
    expect(producer.attributes).toMatchObject({
      'messaging.system': 'nats',
      'messaging.message.id': 'wamid.A',
      'whatsapp.message.id': 'wamid.A',
    });
  });

  it('refuses a subject over the control line without sending it: the connection stays up and a publish beside it is acknowledged', async () => {
    const t = await useNats();
    try {
      const topology = topologyFor(t);
      await ensureStream(t.jsm, topology.streams.whatsapp, { replicas: 1 });
      const statuses: string[] = [];
      void (async () => {
        for await (const status of t.nc.status()) statuses.push(status.type);
      })();
      const [refused, beside] = await Promise.allSettled([
        publish(t.js, {
          subject: topology.subjects.inboundMessage('100', '9'.repeat(MAX_CONTROL_LINE)),
          msgId: 'wamid.LONG',
          data: '{}',
          timeoutMs: 2000,
        }),
        publish(t.js, {
          subject: topology.subjects.inboundMessage('100', '971501234567'),
          msgId: 'wamid.BESIDE',
          data: '{}',
          timeoutMs: 2000,
        }),
      ]);
      expect(refused).toMatchObject({
        status: 'rejected',
        reason: {
          message: expect.stringMatching(/^not published, NATS would refuse it: subject of \d+ bytes/),
        },
      });
      expect(beside).toMatchObject({ status: 'fulfilled', value: { duplicate: false } });
      expect(statuses).toEqual([]);
      expect((await t.jsm.streams.info(topology.streams.whatsapp.name)).state.messages).toBe(1);
    } finally {
      await t.cleanup();
    }
  });

  it('refuses a Msg-Id the client would trim or throw on, and stores nothing', async () => {
    const topology = topologyFor(nats);
    await ensureStream(nats.jsm, topology.streams.whatsapp, { replicas: 1 });
    const subject = topology.subjects.inboundMessage('100', '447700900123');
    for (const msgId of ['wamid.TRIMMED ', 'wamid.A\r\nNats-Expected-Stream: OTHER']) {
      await expect(publish(nats.js, { subject, msgId, data: '{}', timeoutMs: 2000 })).rejects.toThrow(
        /^not published, NATS would refuse it: Nats-Msg-Id/,
      );
    }
    const info = await nats.jsm.streams.info(topology.streams.whatsapp.name, { subjects_filter: subject });
    expect(info.state.subjects?.[subject] ?? 0).toBe(0);
  });
});

describe('publish with an expected last subject sequence', () => {
  /** A stream of its own: subjects here are aggregates with a few messages each. */
  const streamFor = async (name: string) => {
    const stream = `${nats.prefix}_EXPECT_${name.toUpperCase()}`;
    await nats.jsm.streams.add({ name: stream, subjects: [`${nats.prefix}.expect.${name}.>`] });
    return { stream, subject: `${nats.prefix}.expect.${name}.one` };
  };
  const messagesOn = async (stream: string, subject: string) =>
    (await nats.jsm.streams.info(stream, { subjects_filter: subject })).state.subjects?.[subject] ?? 0;
  const refusal = (promise: Promise<unknown>) =>
    promise.then(
      () => 'stored',
      (error: unknown) => error,
    );

  it('stores with 0 on an empty subject, then refuses 0 with the wrong-last-sequence code and stores nothing', async () => {
    const { stream, subject } = await streamFor('zero');
    const first = await publish(nats.js, {
      subject,
      msgId: 'zero-1',
      data: '{}',
      timeoutMs: 2000,
      expectedLastSubjectSequence: 0,
    });
    expect(first.duplicate).toBe(false);
    const second = await refusal(
      publish(nats.js, {
        subject,
        msgId: 'zero-2',
        data: '{}',
        timeoutMs: 2000,
        expectedLastSubjectSequence: 0,
      }),
    );
    expect(second).toBeInstanceOf(JetStreamApiError);
    expect((second as JetStreamApiError).code).toBe(JetStreamApiCodes.StreamWrongLastSequence);
    expect(isWrongLastSequence(second)).toBe(true);
    expect(await messagesOn(stream, subject)).toBe(1);
  });

  it('stores after the sequence it expects, refuses a stale one as a conflict the span does not call an error', async () => {
    const { stream, subject } = await streamFor('stale');
    const first = await publish(nats.js, { subject, msgId: 'stale-1', data: '{}', timeoutMs: 2000 });
    // Another subject of the stream moves the stream's sequence, not this subject's.
    await publish(nats.js, { subject: `${subject}-other`, msgId: 'stale-x', data: '{}', timeoutMs: 2000 });
    const second = await publish(nats.js, {
      subject,
      msgId: 'stale-2',
      data: '{}',
      timeoutMs: 2000,
      expectedLastSubjectSequence: first.seq,
    });
    expect(second.seq).toBeGreaterThan(first.seq);
    const stale = await refusal(
      publish(nats.js, {
        subject,
        msgId: 'stale-3',
        data: '{}',
        timeoutMs: 2000,
        expectedLastSubjectSequence: first.seq,
      }),
    );
    expect(isWrongLastSequence(stale)).toBe(true);
    expect((stale as JetStreamApiError).code).toBe(JetStreamApiCodes.StreamWrongLastSequence);
    expect(await messagesOn(stream, subject)).toBe(2);
    const span = spans
      .getFinishedSpans()
      .find((s) => s.name === `publish ${subject}` && s.attributes['messaging.message.id'] === 'stale-3');
    expect(span?.attributes).toMatchObject({
      'messaging.nats.expected_last_subject_sequence': first.seq,
      'messaging.nats.wrong_last_sequence': true,
    });
    expect(span?.status.code).not.toBe(SpanStatusCode.ERROR);
  });

  it('tells a conflict from other failures', () => {
    expect(isWrongLastSequence(new Error('wrong last sequence'))).toBe(false);
    expect(isWrongLastSequence(undefined)).toBe(false);
  });
});

describe('RawBodies', () => {
  it('splits a body larger than the server max_payload into chunks and reads it back byte for byte', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'nats-conf-'));
    const configFile = join(dir, 'nats.conf');
    await writeFile(configFile, 'max_payload: 65536\n');
    const server = await startNatsServer({ configFile });
    const t = await useNats(server.url);
    try {
      const topology = topologyFor(t);
      await ensureStream(t.jsm, topology.streams.raw, { replicas: 1 });
      const raw = new RawBodies(t.nc, t.js, t.jsm, topology);
      const body = randomBytes(200 * 1024);
      await raw.put('big', body, 2_000);
      await raw.put('big', body, 2_000);
      expect((await raw.get('big'))?.equals(body)).toBe(true);
      const info = await t.jsm.streams.info(topology.streams.raw.name);
      expect(info.state.messages).toBe(4);
      expect(await raw.get('missing')).toBeUndefined();
      // A consumer of the stream is handed the body once: by the chunk stored last.
      const consumer = await t.js.consumers.get(topology.streams.raw.name);
      const completed = [];
      for (let i = 0; i < 4; i++) {
        const message = await consumer.next({ expires: 2_000 });
        if (!message) throw new Error(`chunk ${i} was not delivered`);
        completed.push(await raw.completedBy(message));
      }
      const bodies = completed.filter((each) => each !== undefined);
      expect(bodies).toHaveLength(1);
      expect(bodies[0]?.rawId).toBe('big');
      expect(bodies[0]?.body.equals(body)).toBe(true);
    } finally {
      await t.cleanup();
      await server.stop();
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('backoffDelay', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('grows exponentially, stays within [half, full] of the step and never passes the cap', () => {
    const policy = { baseMs: 100, maxMs: 1_000 };
    // The jitter is cockatiel's Math.random(); its two ends are pinned here.
    const random = vi.spyOn(Math, 'random').mockReturnValue(0);
    expect(backoffDelay(1, policy)).toBe(50);
    random.mockReturnValue(1);
    expect(backoffDelay(1, policy)).toBe(100);
    expect(backoffDelay(3, policy)).toBe(400);
    expect(backoffDelay(20, policy)).toBe(1_000);
  });
});
