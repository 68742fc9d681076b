/**
 * pnpm bench:conversation — inbound messages through the conversation service with the real intent
 * (rules) and reservation services, all in this process: GUESTS guests in parallel, each sending
 * TURNS messages one after the other (the next once the previous one was answered), as guests do.
 * Prints messages/s and the inbound-publish → first-reply-command latency (p50/p95/p99).
 *
 * Baseline, same run, same NATS: the same traffic through the partition consumers whose handler only
 * publishes one OUTBOUND command (no Postgres, no gRPC, no dialogue): the ceiling the messaging
 * layout itself allows.
 *
 * Uses NATS_URL / DATABASE_URL when set, else 127.0.0.1:4222 and 127.0.0.1:5432; a fresh database
 * and stream prefix are created and removed. Needs `pnpm build` first.
 */
import { randomBytes } from 'node:crypto';
import { credentials, Metadata, type ServiceError } from '@grpc/grpc-js';
import { DeliverPolicy, type JetStreamClient, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { conversationEnv, intentEnv, reservationEnv } from '@reserveit/config';
import { topology, tuned } from '@reserveit/contracts';
import { consumePartitioned, ensureStream, publish } from '@reserveit/messaging';
import { deadlineIn } from '@reserveit/rpc';
import { ReservationServiceClient } from '@reserveit/rpc/reservation/v1/reservation';
import { createLogger } from '@reserveit/telemetry';
import { devCallerOptions } from '@reserveit/testkit';
import pg from 'pg';
import { startIntent } from '../../intent/src/server.js';
import { startReservation } from '../../reservation/src/server.js';
import { startConversation } from '../src/index.js';

const GUESTS = Number(process.env.BENCH_GUESTS ?? 100);
const TURNS = ['hi', 'what are your opening hours?', 'thanks'];
const NATS_URL = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';
const ADMIN_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const PNID = '106540352242922';
const out = (line: string) => process.stdout.write(`${line}\n`);
const silent = createLogger('bench', 'silent');

async function admin(sql: string) {
  const client = new pg.Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

function inbound(guest: string, text: string) {
  const wamid = `wamid.${randomBytes(12).toString('base64url')}`;
  const now = new Date().toISOString();
  return {
    wamid,
    data: JSON.stringify({
      v: 1,
      type: 'whatsapp.message.received',
      id: wamid,
      rawId: `raw-${wamid}`,
      receivedAt: now,
      occurredAt: now,
      wabaId: '1',
      phoneNumberId: PNID,
      displayPhoneNumber: '15550001111',
      guest: { id: guest, waId: guest },
      message: { from: guest, id: wamid, timestamp: '1', type: 'text', text: { body: text } },
    }),
  };
}

/** Drives GUESTS guests × TURNS messages; returns messages/s and latencies (ms). */
async function drive(js: JetStreamClient, prefix: string): Promise<{ rate: number; latencies: number[] }> {
  const t = topology(prefix);
  const waiting = new Map<string, () => void>();
  const consumer = await js.consumers.get(t.streams.outbound.name, { deliver_policy: DeliverPolicy.New });
  const replies = await consumer.consume();
  void (async () => {
    for await (const message of replies) {
      const command = message.json<{ replyTo?: string; message: { kind: string } }>();
      if (command.message.kind === 'read' || !command.replyTo) continue;
      waiting.get(command.replyTo)?.();
      waiting.delete(command.replyTo);
    }
  })();
  const latencies: number[] = [];
  const started = performance.now();
  await Promise.all(
    Array.from({ length: GUESTS }, async (_, g) => {
      const guest = `97150${String(g).padStart(7, '0')}`;
      for (const text of TURNS) {
        const { wamid, data } = inbound(guest, text);
        const sent = performance.now();
        const answered = new Promise<void>((resolve) => waiting.set(wamid, resolve));
        await publish(js, {
          subject: t.subjects.inboundMessage(PNID, guest),
          msgId: wamid,
          data,
          timeoutMs: 10_000,
        });
        await answered;
        latencies.push(performance.now() - sent);
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  await replies.close();
  return { rate: (GUESTS * TURNS.length) / elapsed, latencies: latencies.sort((a, b) => a - b) };
}

const pct = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
const report = (name: string, r: { rate: number; latencies: number[] }) =>
  out(
    `${name.padEnd(44)} ${r.rate.toFixed(0).padStart(6)} msg/s   p50 ${pct(r.latencies, 50).toFixed(1)} ms   p95 ${pct(r.latencies, 95).toFixed(1)} ms   p99 ${pct(r.latencies, 99).toFixed(1)} ms`,
  );

async function baseline(js: JetStreamClient, prefix: string): Promise<{ rate: number; latencies: number[] }> {
  const nc = await connect({ servers: NATS_URL });
  const jsm = await jetstreamManager(nc);
  const t = topology(prefix);
  for (const spec of [t.streams.whatsapp, t.streams.outbound, t.streams.deadLetters])
    await ensureStream(jsm, spec, { replicas: 1 });
  const bjs = jetstream(nc);
  // The service's own row (under this run's prefix), so the baseline has its partitions and limits.
  const inbound = tuned(t.consumers.conversation.inbound, {
    maxDeliver: 3,
    backoff: { baseMs: 50, maxMs: 200 },
  });
  const consumers = await consumePartitioned(inbound, {
    js: bjs,
    jsm,
    logger: silent,
    handler: async (message) => {
      const event = message.json<{ id: string; guest: { id: string } }>();
      await publish(bjs, {
        subject: t.subjects.outboundCommand(PNID, event.guest.id),
        msgId: `${event.id}:1`,
        timeoutMs: 5_000,
        data: JSON.stringify({ replyTo: event.id, message: { kind: 'text' } }),
      });
    },
  });
  const result = await drive(js, prefix);
  await consumers.stop();
  for (const spec of [t.streams.whatsapp, t.streams.outbound, t.streams.deadLetters])
    await jsm.streams.delete(spec.name);
  await nc.close();
  return result;
}

const prefix = `bench${randomBytes(3).toString('hex')}`;
const database = `bench_conversation_${randomBytes(4).toString('hex')}`;
await admin(`create database ${database}`);
const dbUrl = new URL(ADMIN_URL);
dbUrl.pathname = `/${database}`;
const nc = await connect({ servers: NATS_URL });
const js = jetstream(nc);
const jsm = await jetstreamManager(nc);
try {
  out(`conversation bench: ${GUESTS} guests × ${TURNS.length} messages, NATS ${NATS_URL}`);
  report('baseline (consume → publish, no work)', await baseline(js, `${prefix}b`));

  const common = { NATS_URL, NATS_PREFIX: prefix, DATABASE_URL: dbUrl.toString(), LOG_LEVEL: 'silent' };
  const reservation = await startReservation(
    reservationEnv.parse({
      ...common,
      RESERVATION_HOST: '127.0.0.1',
      RESERVATION_GRPC_PORT: '0',
      RESERVATION_HTTP_PORT: '0',
    }),
    silent,
  );
  const intent = await startIntent(
    intentEnv.parse({ ...common, INTENT_HOST: '127.0.0.1', INTENT_GRPC_PORT: '0', INTENT_HTTP_PORT: '0' }),
    silent,
  );
  const client = new ReservationServiceClient(
    reservation.grpcAddress,
    credentials.createInsecure(),
    devCallerOptions(),
  );
  const call = <Req, Res>(
    method: (
      r: Req,
      m: Metadata,
      o: { deadline: Date },
      cb: (e: ServiceError | null, res: Res) => void,
    ) => unknown,
    request: Req,
  ) =>
    new Promise<Res>((resolve, reject) =>
      method.call(client, request, new Metadata(), { deadline: deadlineIn(10_000) }, (e, r) =>
        e ? reject(e) : resolve(r),
      ),
    );
  await call(client.registerBusiness, {
    business: {
      id: 'bench',
      name: 'Bench Bistro',
      phoneNumberId: PNID,
      displayPhoneNumber: '15550001111',
      bookingFlowId: '',
      timezone: 'Asia/Dubai',
      locales: ['en'],
      greetings: {},
      rules: {
        slotMinutes: 15,
        seatingMinutes: 90,
        capacityCovers: 40,
        maxPartySize: 8,
        minLeadMinutes: 30,
        horizonDays: 60,
        cancellationCutoffMinutes: 60,
      },
      hours: {
        weekly: [1, 2, 3, 4, 5, 6, 7].map((isoWeekday) => ({
          isoWeekday,
          intervals: [{ start: '12:00', end: '23:00' }],
        })),
        closedDates: [],
        specialHours: [],
      },
    },
    menu: [],
  });
  for (let i = 0; ; i += 1) {
    try {
      await call(client.getBusinessByPhoneNumberId, { phoneNumberId: PNID });
      break;
    } catch (error) {
      if (i > 200) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  const conversation = await startConversation(
    conversationEnv.parse({
      ...common,
      CONVERSATION_HOST: '127.0.0.1',
      CONVERSATION_GRPC_PORT: '0',
      CONVERSATION_HTTP_PORT: '0',
      INTENT_GRPC_ADDRESS: `127.0.0.1:${intent.grpcPort}`,
      RESERVATION_GRPC_ADDRESS: reservation.grpcAddress,
    }),
    silent,
  );
  report('conversation (intent rules + Postgres + outbox)', await drive(js, prefix));
  await conversation.close(2_000);
  client.close();
  await intent.close(1_000);
  await reservation.close(1_000);
} finally {
  for await (const info of jsm.streams.list())
    if (info.config.name.startsWith(`${prefix}_`)) await jsm.streams.delete(info.config.name);
  await nc.close();
  await admin(`drop database if exists ${database} with (force)`);
}
