/**
 * pnpm bench:scheduler — 100,000 reminders due in the same minute (their instants spread over it),
 * queued before the minute starts. Prints the time from the first due instant until every one was
 * handed over (its schedule.work.due event received from NATS, as the conversation service
 * receives it) and the lateness of each (received − due) at p50/p99/max, beside graphile-worker's
 * bare loop in the same run: the same library, settings and job count with a task that does
 * nothing (lateness = when it ran − due). Then the whole way to the sender: a real conversation
 * service (and the reservation service it reads the restaurant from) takes every reminder and
 * decides it (the restaurant's template, as no guest wrote), and the time is until every OUTBOUND
 * command is published, the sender's input; the sender itself, whose Graph API calls are rate
 * limited on purpose, is not in the measured path.
 *
 * NATS_URL (default: a private nats-server) and DATABASE_URL (default: a private embedded
 * Postgres); fresh databases are made and dropped. BENCH_JOBS, BENCH_SPREAD_S, and the scheduler's
 * SCHEDULER_CONCURRENCY / SCHEDULER_BATCH change the run; BENCH_TO_SENDER=false skips the last part.
 */
import { randomBytes } from 'node:crypto';
import { credentials } from '@grpc/grpc-js';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { conversationEnv, loadSchedulerConfig, reservationEnv } from '@reserveit/config';
import { topology as makeTopology, sendRequestedSchema, workDueSchema } from '@reserveit/contracts';
import {
  type EmbeddedPostgres,
  type NatsServer,
  startEmbeddedPostgres,
  startNatsServer,
} from '@reserveit/localstack';
import { unaryCall } from '@reserveit/rpc';
import { ReservationServiceClient } from '@reserveit/rpc/reservation/v1/reservation';
import { createLogger } from '@reserveit/telemetry';
import { devCallerOptions, useDatabase } from '@reserveit/testkit';
import { run, runMigrations, Logger as WorkerLogger } from 'graphile-worker';
import pg from 'pg';
// The real services the reminders go through, started in-process from their start functions.
import { startConversation } from '../../conversation/src/server.js';
import { startReservation } from '../../reservation/src/server.js';
import { startScheduler } from '../src/server.js';
import { DUE_TASK } from '../src/store/job-queue.js';
import { JOBS_SCHEMA } from '../src/store/tables.js';

const JOBS = Number(process.env.BENCH_JOBS ?? 100_000);
const SPREAD_S = Number(process.env.BENCH_SPREAD_S ?? 60);
const CONCURRENCY = process.env.SCHEDULER_CONCURRENCY ?? '16';
const BATCH = process.env.SCHEDULER_BATCH ?? '64';
const TO_SENDER = process.env.BENCH_TO_SENDER !== 'false';
const BUSINESS = 'bench-kitchen';
const PHONE_NUMBER_ID = '106540352240001';
const TEMPLATE = 'booking_reminder';
const out = (line: string) => process.stdout.write(`${line}\n`);
const silentWorkerLogger = new WorkerLogger(() => () => undefined);

/**
 * Queues JOBS reminder jobs shaped as the intake plans them (with their keys), due from `firstDue`
 * on, spread evenly over SPREAD_S seconds, in one add_jobs call; fails when that took past `firstDue`.
 */
async function queue(url: string, firstDue: number, templateName: string | null = null): Promise<void> {
  const pool = quietPool(url, 1);
  await runMigrations({ pgPool: pool, schema: JOBS_SCHEMA, logger: silentWorkerLogger });
  await pool.query(
    `select count(*) from ${JOBS_SCHEMA}.add_jobs(array(
       select row($1, json_build_object(
           'key', 'reminder:bench-' || n || ':0',
           'dueAt', to_char(d at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
           'work', json_build_object('kind', 'reminder', 'reservationId', 'bench-' || n, 'businessId', $6::text,
             'serviceDate', '2030-01-01', 'startsAt', '2030-01-01T20:00:00.000Z', 'offsetMinutes', 120,
             'guestId', '3460' || lpad(n::text, 7, '0'), 'partySize', 2, 'templateName', $5::text)),
         null, d, 20, 'reminder:bench-' || n || ':0', null, null)::${JOBS_SCHEMA}.job_spec
       from generate_series(1, $2::int) as n,
         lateral (select to_timestamp(($3::double precision + (n - 1) * $4::double precision / $2::int) / 1000)) as t(d)))`,
    [DUE_TASK, JOBS, firstDue, SPREAD_S * 1000, templateName, BUSINESS],
  );
  await pool.end();
  if (Date.now() > firstDue) throw new Error('queueing took longer than the lead: raise leadMs');
}

/** A pool whose lost connections are ignored (graphile-worker wants a handler on it and each client). */
function quietPool(url: string, max: number): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, max });
  pool.on('error', () => undefined);
  pool.on('connect', (client) => client.on('error', () => undefined));
  return pool;
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;

function line(name: string, firstDue: number, done: number, lateness: number[]) {
  lateness.sort((a, b) => a - b);
  out(
    `${name.padEnd(44)} all ${JOBS.toLocaleString('en')} done ${((done - firstDue) / 1000).toFixed(1)} s after the first was due` +
      ` (due over ${SPREAD_S} s); lateness p50 ${percentile(lateness, 50)} ms, p99 ${percentile(lateness, 99)} ms, max ${lateness.at(-1)} ms`,
  );
}

/** A wait long enough to queue every job before the first is due. */
const leadMs = () => 5_000 + JOBS / 20;

async function bareLoop(url: string): Promise<void> {
  const firstDue = Date.now() + leadMs();
  await queue(url, firstDue);
  const pool = quietPool(url, 10);
  const lateness: number[] = [];
  let finished: () => void = () => undefined;
  const all = new Promise<void>((resolve) => {
    finished = resolve;
  });
  const runner = await run({
    pgPool: pool,
    schema: JOBS_SCHEMA,
    concurrency: Number(CONCURRENCY),
    pollInterval: 1_000,
    noHandleSignals: true,
    useNodeTime: true,
    logger: silentWorkerLogger,
    preset: { worker: { localQueue: { size: Number(BATCH) }, completeJobBatchDelay: 0 } },
    taskList: {
      [DUE_TASK]: async (_payload, helpers) => {
        lateness.push(Date.now() - helpers.job.run_at.getTime());
        if (lateness.length === JOBS) finished();
      },
    },
  });
  await all;
  const done = Date.now();
  await runner.stop();
  await pool.end();
  line('baseline: graphile-worker, no-op task', firstDue, done, lateness);
}

async function scheduler(url: string, natsUrl: string): Promise<void> {
  const prefix = `bench${randomBytes(3).toString('hex')}`;
  const topology = makeTopology(prefix);
  const nc = await connect({ servers: natsUrl, name: 'scheduler-bench' });
  const running = await startScheduler(
    loadSchedulerConfig({
      NATS_URL: natsUrl,
      NATS_PREFIX: prefix,
      DATABASE_URL: url,
      SCHEDULER_HTTP_PORT: '0',
      SCHEDULER_INTAKE: 'false',
      SCHEDULER_CONCURRENCY: CONCURRENCY,
      SCHEDULER_BATCH: BATCH,
    }),
    createLogger('scheduler-bench', 'silent'),
  );
  const firstDue = Date.now() + leadMs();
  await queue(url, firstDue);
  const seen = new Set<string>();
  const lateness: number[] = [];
  let done = 0;
  const subscription = nc.subscribe(topology.subjects.workDueAll);
  for await (const message of subscription) {
    const event = workDueSchema.parse(message.json());
    if (seen.has(event.id)) continue;
    seen.add(event.id);
    lateness.push(Date.now() - Date.parse(event.dueAt));
    if (seen.size === JOBS) {
      done = Date.now();
      break;
    }
  }
  await running.close();
  const jsm = await jetstreamManager(nc);
  for (const spec of Object.values(topology.streams)) await jsm.streams.delete(spec.name).catch(() => false);
  await nc.close();
  line('scheduler: published on SCHEDULE (Msg-Id, PubAck)', firstDue, done, lateness);
}

/** The restaurant the reminders are for, with its approved reminder template, registered and read back. */
async function registerRestaurant(address: string): Promise<void> {
  const client = new ReservationServiceClient(address, credentials.createInsecure(), devCallerOptions());
  try {
    await unaryCall(
      client,
      client.registerBusiness,
      {
        business: {
          id: BUSINESS,
          name: 'Bench Kitchen',
          phoneNumberId: PHONE_NUMBER_ID,
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
          hours: { weekly: [], closedDates: [], specialHours: [] },
          templates: {
            items: [
              { name: TEMPLATE, language: 'en', bodyParameters: 3, category: 'UTILITY', purpose: 'reminder' },
            ],
          },
        },
        menu: [],
      },
      10_000,
    );
    // The business is read from the reservation projection, which follows the stream.
    for (;;) {
      const found = await unaryCall(client, client.getBusiness, { businessId: BUSINESS }, 10_000).catch(
        () => undefined,
      );
      if (found?.business?.templates?.items.length) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  } finally {
    client.close();
  }
}

/**
 * The reminders the whole way to the sender's input: the scheduler hands them over on SCHEDULE, a
 * real conversation service decides each on its guest's conversation (load, decide, one commit,
 * publish) and publishes its OUTBOUND command, which is what is counted here.
 */
async function toSender(url: string, natsUrl: string): Promise<void> {
  const prefix = `bench${randomBytes(3).toString('hex')}`;
  const topology = makeTopology(prefix);
  const silent = createLogger('scheduler-bench', 'silent');
  const common = { NATS_URL: natsUrl, NATS_PREFIX: prefix, DATABASE_URL: url, LOG_LEVEL: 'silent' };
  const reservation = await startReservation(
    reservationEnv.parse({
      ...common,
      RESERVATION_HOST: '127.0.0.1',
      RESERVATION_GRPC_PORT: '0',
      RESERVATION_HTTP_PORT: '0',
    }),
    silent,
  );
  await registerRestaurant(reservation.grpcAddress);
  const conversation = await startConversation(
    conversationEnv.parse({
      ...common,
      CONVERSATION_HOST: '127.0.0.1',
      CONVERSATION_GRPC_PORT: '0',
      CONVERSATION_HTTP_PORT: '0',
      // Reminders need no understanding: intent.v1 is never called on this path.
      INTENT_GRPC_ADDRESS: '127.0.0.1:9',
      RESERVATION_GRPC_ADDRESS: reservation.grpcAddress,
    }),
    silent,
  );
  const scheduler = await startScheduler(
    loadSchedulerConfig({
      ...common,
      SCHEDULER_HTTP_PORT: '0',
      SCHEDULER_INTAKE: 'false',
      SCHEDULER_CONCURRENCY: CONCURRENCY,
      SCHEDULER_BATCH: BATCH,
    }),
    silent,
  );
  const nc = await connect({ servers: natsUrl, name: 'scheduler-bench-outbound' });
  const subscription = nc.subscribe(topology.subjects.outboundCommandAll);
  const firstDue = Date.now() + leadMs();
  await queue(url, firstDue, TEMPLATE);
  const seen = new Set<string>();
  const lateness: number[] = [];
  let done = 0;
  for await (const message of subscription) {
    const command = sendRequestedSchema.parse(message.json());
    if (seen.has(command.id)) continue;
    seen.add(command.id);
    // The command's id is `<conversation>:work:<key>@<due>:<n>` (decider/recorder.ts decisionIds).
    const dueAt = /@([^@]+):\d+$/.exec(command.id)?.[1] ?? '';
    lateness.push(Date.now() - Date.parse(dueAt));
    if (seen.size === JOBS) {
      done = Date.now();
      break;
    }
  }
  await scheduler.close();
  await conversation.close(2_000);
  await reservation.close(1_000);
  const jsm = await jetstreamManager(nc);
  for (const spec of Object.values(topology.streams)) await jsm.streams.delete(spec.name).catch(() => false);
  await nc.close();
  line('to the sender: OUTBOUND command from conversation', firstDue, done, lateness);
}

async function main() {
  let embedded: EmbeddedPostgres | undefined;
  let nats: NatsServer | undefined;
  let adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) {
    embedded = await startEmbeddedPostgres();
    adminUrl = embedded.url;
  }
  if (!process.env.NATS_URL) nats = await startNatsServer();
  const natsUrl = process.env.NATS_URL ?? nats?.url ?? '';
  const databases = [await useDatabase(adminUrl), await useDatabase(adminUrl), await useDatabase(adminUrl)];
  try {
    out(
      `${JOBS.toLocaleString('en')} reminders due within ${SPREAD_S} s, queued before; concurrency ${CONCURRENCY}, batch ${BATCH}, one process`,
    );
    await bareLoop(databases[0]?.url ?? '');
    await scheduler(databases[1]?.url ?? '', natsUrl);
    if (TO_SENDER) await toSender(databases[2]?.url ?? '', natsUrl);
  } finally {
    for (const database of databases) await database.drop().catch(() => undefined);
    await nats?.stop();
    await embedded?.stop();
  }
}

await main();
