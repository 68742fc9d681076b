/**
 * pnpm bench:reservation — CreateReservation and CheckAvailability over gRPC against two service
 * processes (one runs the projector) sharing one RESERVATIONS stream, 32 concurrent callers,
 * bookings spread over many businesses and days. Baselines measured in the same run, at the same
 * concurrency: grpc.health.v1 Check (gRPC round trip, no work) and a raw JetStream publish with
 * expected-last-subject-sequence (the append every booking does).
 *
 * Uses NATS_URL / DATABASE_URL when set (a fresh database is created and dropped); otherwise a
 * private nats-server and the Postgres at 127.0.0.1:5432. Needs `pnpm build` first.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { appendFileSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { makeGenericClientConstructor } from '@grpc/grpc-js';
import { JetStreamApiError, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { topology } from '@reserveit/contracts';
import { deadlineIn, errorCodeOf, type UnaryMethod, unaryCall } from '@reserveit/rpc';
import { ReservationServiceClient } from '@reserveit/rpc/reservation/v1/reservation';
import { devCallerOptions, MS_PER_TICK, processCpuTicks } from '@reserveit/testkit';
import { service as healthService } from 'grpc-health-check';
import { hoursToProto } from '../src/grpc/mapping.js';
import { everyDay } from '../test/fixtures.js';
import { benchInfra } from './bench-infra.js';

const CALLERS = 32;
const DURATION_MS = Number(process.env.BENCH_DURATION_S ?? 8) * 1000;
const BUSINESSES = 40;
const DAYS = 14;
/** 2 by default: the second replica (no projector) makes the cross-replica conflicts real. */
const REPLICAS = Number(process.env.BENCH_REPLICAS ?? 2);
/** `off`: RPC_VERIFY_CALLERS=false on the replicas (tokens read, not verified), for bench:auth. */
const AUTH = process.env.BENCH_AUTH ?? 'on';
if (AUTH !== 'on' && AUTH !== 'off') {
  process.stderr.write(`BENCH_AUTH must be "on" or "off", not "${AUTH}".\n`);
  process.exit(2);
}
/** bench:auth collects one JSON line per run here. */
const SUMMARY_FILE = process.env.BENCH_SUMMARY_FILE;
const main = fileURLToPath(new URL('../dist/main.js', import.meta.url));
const out = (line: string) => process.stdout.write(`${line}\n`);

if (!existsSync(main)) {
  process.stderr.write('services/reservation/dist/main.js is missing: run `pnpm build` first.\n');
  process.exit(1);
}

interface Replica {
  child: ChildProcess;
  pid: number;
  grpc: string;
  http: string;
}

function startReplica(env: Record<string, string>): Promise<Replica> {
  const child = spawn(process.execPath, [main], {
    env: { PATH: process.env.PATH ?? '', OTEL_SDK_DISABLED: 'true', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`did not start:\n${output}`)), 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const grpc = /"grpc":"([^"]+)"/.exec(output)?.[1];
      const http = /"metrics":"(http:[^"]+)\/metrics"/.exec(output)?.[1];
      if (grpc && http) {
        clearTimeout(timer);
        resolve({ child, pid: child.pid ?? 0, grpc, http });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      if (code) process.stderr.write(`replica exited with ${code}:\n${output.slice(-4000)}\n`);
      reject(new Error(`exited with ${code}`));
    });
  });
}

const rpc = <Req, Res>(
  client: ReservationServiceClient,
  method: UnaryMethod<Req, Res>,
  request: Req,
): Promise<Res> => unaryCall(client, method, request, 5_000);

interface Run {
  ok: number;
  outcomes: Map<string, number>;
  latencies: number[];
  seconds: number;
}

/** `CALLERS` loops calling `work` back to back for DURATION_MS; counts outcomes and latencies. */
async function closedLoop(work: (caller: number, i: number) => Promise<string>): Promise<Run> {
  const latencies: number[] = [];
  const outcomes = new Map<string, number>();
  const started = performance.now();
  const stopAt = started + DURATION_MS;
  await Promise.all(
    Array.from({ length: CALLERS }, async (_, caller) => {
      for (let i = 0; performance.now() < stopAt; i++) {
        const t0 = performance.now();
        const outcome = await work(caller, i).catch(
          (error: unknown) => errorCodeOf(error) ?? (error as Error).message,
        );
        latencies.push(performance.now() - t0);
        outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
      }
    }),
  );
  return { ok: outcomes.get('ok') ?? 0, outcomes, latencies, seconds: (performance.now() - started) / 1000 };
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
};

function report(label: string, run: Run, unit: string): void {
  const rate = (run.ok / run.seconds).toFixed(0);
  const others = [...run.outcomes].filter(([k]) => k !== 'ok').map(([k, v]) => `${k}=${v}`);
  out(
    `${label.padEnd(46)} ${rate.padStart(6)} ${unit}/s   p50 ${percentile(run.latencies, 50).toFixed(2).padStart(6)} ms   p99 ${percentile(run.latencies, 99).toFixed(2).padStart(6)} ms${others.length ? `   (${others.join(', ')})` : ''}`,
  );
}

async function counter(http: string, name: string): Promise<number> {
  const text = await (await fetch(`${http}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name}{`) || l.startsWith(`${name} `));
  return Number(line?.split(' ').at(-1) ?? 0);
}

async function benchmark(): Promise<void> {
  // Auth on, as production runs: tokens verified, a NATS user per service, gRPC and NATS over TLS.
  const infra = await benchInfra({ secured: AUTH === 'on' });
  const { natsUrl, dbUrl, dbName, nc, prefix } = infra;
  const env = {
    NATS_URL: natsUrl,
    NATS_PREFIX: prefix,
    DATABASE_URL: dbUrl,
    RESERVATION_HOST: '127.0.0.1',
    RESERVATION_GRPC_PORT: '0',
    RESERVATION_HTTP_PORT: '0',
    ...infra.serviceEnv,
    ...(AUTH === 'off' ? { NODE_ENV: 'test', RPC_VERIFY_CALLERS: 'false' } : {}),
  };
  const replicas = [await startReplica(env)];
  for (let r = 1; r < REPLICAS; r++)
    replicas.push(await startReplica({ ...env, RESERVATION_PROJECTOR: 'false' }));
  const clients = replicas.map(
    (r) => new ReservationServiceClient(r.grpc, infra.grpcCredentials, devCallerOptions()),
  );
  const js = jetstream(nc);
  const jsm = await jetstreamManager(nc);
  try {
    out(
      `reservation benchmark: ${CALLERS} concurrent callers, ${DURATION_MS / 1000} s per phase, ${REPLICAS} service process(es), ${BUSINESSES} businesses × ${DAYS} days, ${AUTH === 'on' ? 'auth on (tokens verified, NATS users, TLS)' : 'auth off (tokens unverified, no NATS users, plaintext)'}`,
    );
    out(
      `NATS ${natsUrl}${infra.privateNats ? ' (private)' : ''}, Postgres database ${dbName}, ${(await import('node:os')).cpus().length} CPUs\n`,
    );
    const client0 = clients[0];
    if (!client0) throw new Error('no client');
    for (let b = 0; b < BUSINESSES; b++) {
      await rpc(client0, client0.registerBusiness, {
        business: {
          id: `bench-${b}`,
          name: `Bench ${b}`,
          phoneNumberId: String(200000000000000 + b),
          displayPhoneNumber: '15550003333',
          bookingFlowId: '',
          timezone: b % 2 ? 'Asia/Dubai' : 'Europe/London',
          locales: ['en'],
          greetings: {},
          rules: {
            slotMinutes: 15,
            seatingMinutes: 90,
            capacityCovers: 400,
            maxPartySize: 8,
            minLeadMinutes: 0,
            horizonDays: 60,
            cancellationCutoffMinutes: 60,
          },
          hours: hoursToProto({
            weekly: everyDay([
              { start: '12:00', end: '15:00' },
              { start: '18:00', end: '23:30' },
            ]),
            closedDates: [],
            specialHours: {},
          }),
        },
        menu: [],
      });
    }
    const today = new Date();
    const dates = Array.from({ length: DAYS }, (_, d) =>
      new Date(today.getTime() + (d + 2) * 86_400_000).toISOString().slice(0, 10),
    );
    const times = [
      '18:00',
      '18:30',
      '19:00',
      '19:30',
      '20:00',
      '20:30',
      '21:00',
      '21:30',
      '22:00',
      '12:00',
      '12:30',
      '13:00',
    ];
    const pick = <T>(list: T[]): T => list[Math.floor(Math.random() * list.length)] as T;
    await new Promise((resolve) => setTimeout(resolve, 500));

    // Baseline 1: gRPC round trip with no work.
    const Health = makeGenericClientConstructor(healthService, 'Health');
    const health = new Health(replicas[0]?.grpc ?? '', infra.grpcCredentials) as unknown as {
      check(r: { service: string }, o: { deadline: Date }, cb: (e: Error | null) => void): void;
      close(): void;
    };
    const healthRun = await closedLoop(
      () =>
        new Promise((resolve, reject) =>
          health.check({ service: '' }, { deadline: deadlineIn(5_000) }, (e) =>
            e ? reject(e) : resolve('ok'),
          ),
        ),
    );

    // Baseline 2: the append alone — JetStream publish with expected last subject sequence.
    const benchStream = `${prefix}_BENCH`;
    await jsm.streams.add({ name: benchStream, subjects: [`${prefix}.bench.>`] });
    const seqs = new Map<number, number>();
    const payload = JSON.stringify({ v: 1, type: 'reservation.created', pad: 'x'.repeat(400) });
    const appendRun = await closedLoop(async (caller, i) => {
      const ack = await js.publish(`${prefix}.bench.${caller}`, payload, {
        msgID: `${caller}:${i}`,
        expect: { lastSubjectSequence: seqs.get(caller) ?? 0 },
      });
      seqs.set(caller, ack.seq);
      return 'ok';
    }).catch((error: unknown) => {
      throw error instanceof JetStreamApiError ? new Error(`baseline append: ${error.message}`) : error;
    });

    // The service: CreateReservation across businesses and days, callers alternating replicas.
    const conflictsBefore = (
      await Promise.all(replicas.map((r) => counter(r.http, 'reservation_append_conflicts_total')))
    ).reduce((a, b) => a + b, 0);
    const replicaTicks = () => replicas.reduce((sum, r) => sum + processCpuTicks(r.pid), 0);
    const createTicksBefore = replicaTicks();
    const createRun = await closedLoop(async (caller, i) => {
      const client = clients[caller % clients.length] as ReservationServiceClient;
      await rpc(client, client.createReservation, {
        businessId: `bench-${Math.floor(Math.random() * BUSINESSES)}`,
        idempotencyKey: `c${caller}-${i}`,
        guestWaId: `97150${caller}${i}`,
        guestName: 'Bench',
        partySize: 2 + (i % 3),
        date: pick(dates),
        time: pick(times),
        notes: '',
        source: 1,
      });
      return 'ok';
    });
    const createCpuMs = (replicaTicks() - createTicksBefore) * MS_PER_TICK;
    const conflictsAfter = (
      await Promise.all(replicas.map((r) => counter(r.http, 'reservation_append_conflicts_total')))
    ).reduce((a, b) => a + b, 0);

    const availabilityRun = await closedLoop(async (caller) => {
      const client = clients[caller % clients.length] as ReservationServiceClient;
      await rpc(client, client.checkAvailability, {
        businessId: `bench-${Math.floor(Math.random() * BUSINESSES)}`,
        partySize: 2,
        date: pick(dates),
        windowStart: '',
        windowEnd: '',
        preferredTime: pick(times),
      });
      return 'ok';
    });

    // How far the projection is behind once the writes stop.
    const lastSeq = (await jsm.streams.info(topology(prefix).streams.reservations.name)).state.last_seq;
    const catchUpStart = performance.now();
    let projected = 0;
    while (performance.now() - catchUpStart < 60_000) {
      projected = await counter(replicas[0]?.http ?? '', 'reservation_projection_stream_sequence');
      if (projected >= lastSeq) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }

    out('');
    report('baseline: grpc.health.v1 Check', healthRun, 'calls');
    report('baseline: JetStream publish + expected last seq', appendRun, 'appends');
    report('CreateReservation (gRPC → decide → append)', createRun, 'bookings');
    report('CheckAvailability (gRPC → projection)', availabilityRun, 'checks');
    const bookings = createRun.ok;
    const cpuPerBooking = createCpuMs / Math.max(1, bookings);
    out(
      `\nCPU of the service process(es) while booking: ${cpuPerBooking.toFixed(3)} ms per booking (${createCpuMs} ms over ${bookings} bookings)`,
    );
    if (SUMMARY_FILE)
      appendFileSync(
        SUMMARY_FILE,
        `${JSON.stringify({ auth: AUTH, cpuPerBooking, bookingsPerSecond: bookings / createRun.seconds })}\n`,
      );
    out(
      `\nconflict retries per booking: ${((conflictsAfter - conflictsBefore) / Math.max(1, bookings)).toFixed(4)} (${conflictsAfter - conflictsBefore} retries over ${bookings} bookings, ${REPLICAS} replica(s))`,
    );
    out(
      `projection: stream seq ${lastSeq}, projected ${projected}, caught up ${((performance.now() - catchUpStart) / 1000).toFixed(1)} s after the last write phase`,
    );
    health.close();
  } finally {
    for (const client of clients) client.close();
    for (const replica of replicas) replica.child.kill('SIGTERM');
    await Promise.all(
      replicas.map(
        (r) =>
          new Promise((resolve) =>
            r.child.exitCode !== null ? resolve(null) : r.child.once('exit', resolve),
          ),
      ),
    );
    for await (const info of jsm.streams.list()) {
      if (info.config.name.startsWith(`${prefix}_`))
        await jsm.streams.delete(info.config.name).catch(() => undefined);
    }
    await infra.release();
  }
}

await benchmark();
