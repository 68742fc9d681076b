/**
 * pnpm bench:intent — Interpret over gRPC with the local provider (the trained intent model beside
 * the rules, as the service runs by default): 32 concurrent callers for
 * BENCH_DURATION_S (10) seconds against the real service in its own process (dist/main.js), then
 * the same callers, channel and duration on grpc.health.v1 Check as the baseline: what the gRPC
 * stack alone costs on this machine. Needs `pnpm build` and Postgres (DATABASE_URL, default local).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { credentials, Metadata } from '@grpc/grpc-js';
import { IntentServiceClient, type InterpretRequest } from '@reserveit/rpc/intent/v1/intent';
import { devCallerOptions } from '@reserveit/testkit';
import pg from 'pg';
import { healthClient } from '../test/health-check.js';

const CALLERS = 32;
const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 10);
const WARMUP_S = 2;
const TARGET_RATE = 2_000;
/** The flags of the package's start script: a larger young generation halves scavenges under chrono-node's garbage. */
const NODE_FLAGS = process.env.BENCH_NODE_FLAGS ?? '--max-semi-space-size=32';
const ADMIN_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const main = fileURLToPath(new URL('../dist/main.js', import.meta.url));
/** Training corpus and held-out split alike: traffic, not labels. */
const corpusDirs = [
  fileURLToPath(new URL('../corpus/', import.meta.url)),
  fileURLToPath(new URL('../test/heldout/', import.meta.url)),
];

if (!existsSync(main)) {
  process.stderr.write('services/intent/dist/main.js is missing: run `pnpm build` first.\n');
  process.exit(1);
}

/** The labelled corpus as traffic: greetings, bookings with dates and times, Arabic, answers. */
const texts = corpusDirs
  .flatMap((dir) =>
    readdirSync(dir)
      .filter((file) => file.endsWith('.jsonl'))
      .map((file) => `${dir}${file}`),
  )
  .flatMap((file) => readFileSync(file, 'utf8').split('\n').filter(Boolean))
  .map((line) => (JSON.parse(line) as { text: string }).text);

async function admin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

function startService(env: Record<string, string>): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, [...NODE_FLAGS.split(' ').filter(Boolean), main], {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`intent did not start:\n${output}`)), 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /"grpc":"[\d.]+:(\d+)"/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve({ child, port: Number(match[1]) });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`intent exited with ${code}:\n${output}`)));
  });
}

interface Result {
  calls: number;
  errors: number;
  seconds: number;
  latencies: Float64Array;
}

/**
 * CALLERS loops, each issuing its next call when the previous one answered; with `ratePerSecond`
 * each loop also waits for its next slot, so together they offer that rate and no more.
 */
async function load(
  seconds: number,
  call: (i: number) => Promise<void>,
  ratePerSecond?: number,
): Promise<Result> {
  const latencies: number[] = [];
  let errors = 0;
  let counter = 0;
  const started = performance.now();
  const until = started + seconds * 1000;
  const intervalMs = ratePerSecond ? (CALLERS * 1000) / ratePerSecond : 0;
  await Promise.all(
    Array.from({ length: CALLERS }, async (_, caller) => {
      let slot = started + (caller * intervalMs) / CALLERS;
      while (performance.now() < until) {
        if (intervalMs > 0) {
          const wait = slot - performance.now();
          if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
          slot += intervalMs;
        }
        const begin = performance.now();
        try {
          await call(counter++);
          latencies.push(performance.now() - begin);
        } catch {
          errors += 1;
        }
      }
    }),
  );
  const sorted = Float64Array.from(latencies).sort();
  return { calls: sorted.length, errors, seconds: (performance.now() - started) / 1000, latencies: sorted };
}

const percentile = (sorted: Float64Array, p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
const line = (name: string, r: Result) =>
  `  ${name.padEnd(30)} ${(r.calls / r.seconds).toFixed(0).padStart(8)} calls/s   p50 ${percentile(r.latencies, 50).toFixed(2).padStart(6)} ms   p99 ${percentile(r.latencies, 99).toFixed(2).padStart(6)} ms   errors ${r.errors}`;

const database = `bench_intent_${randomBytes(4).toString('hex')}`;
await admin(`CREATE DATABASE ${database}`);
const url = new URL(ADMIN_URL);
url.pathname = `/${database}`;
let service: { child: ChildProcess; port: number } | undefined;
try {
  service = await startService({
    DATABASE_URL: url.toString(),
    INTENT_HOST: '127.0.0.1',
    INTENT_GRPC_PORT: '0',
    INTENT_HTTP_PORT: '0',
    INTENT_MEMORY_PROJECTOR: 'false',
    INTENT_PROVIDER: 'rules',
    LOG_LEVEL: 'info',
    OTEL_SDK_DISABLED: process.env.OTEL_SDK_DISABLED ?? 'true',
  });
  const address = `127.0.0.1:${service.port}`;
  const client = new IntentServiceClient(address, credentials.createInsecure(), devCallerOptions());
  const health = healthClient(address);
  const now = new Date().toISOString();

  const interpret = (i: number) =>
    new Promise<void>((resolve, reject) => {
      const request: InterpretRequest = {
        text: texts[i % texts.length] ?? 'hi',
        localeHint: '',
        conversationId: `bench-${i % 500}`,
        businessTimezone: 'Asia/Dubai',
        now,
        interactive: undefined,
        expecting: '',
      };
      client.interpret(request, new Metadata(), { deadline: new Date(Date.now() + 2_000) }, (error) =>
        error ? reject(error) : resolve(),
      );
    });
  const check = async () => {
    await health.check('intent.v1.IntentService');
  };

  await load(WARMUP_S, check);
  const baseline = await load(DURATION_S, check);
  await load(WARMUP_S, interpret);
  const result = await load(DURATION_S, interpret);
  const pacedBaseline = await load(DURATION_S, check, TARGET_RATE);
  const paced = await load(DURATION_S, interpret, TARGET_RATE);
  client.close();
  health.close();

  process.stdout.write(
    [
      `intent bench: ${CALLERS} concurrent callers, ${DURATION_S} s each, one HTTP/2 channel per client, service in its own process (tracing ${process.env.OTEL_SDK_DISABLED === 'false' ? 'on' : 'off'}; node flags: ${NODE_FLAGS || 'none'})`,
      'as fast as the callers go (closed loop):',
      line('baseline grpc.health.v1 Check', baseline),
      line('Interpret (model + rules)', result),
      `offered at the target rate of ${TARGET_RATE} calls/s (same callers, paced):`,
      line('baseline grpc.health.v1 Check', pacedBaseline),
      line('Interpret (model + rules)', paced),
      `Interpret at ${((result.calls / result.seconds / (baseline.calls / baseline.seconds)) * 100).toFixed(0)}% of the baseline rate; ${texts.length} corpus messages in rotation; target ≥ 2000 calls/s, p99 < 20 ms`,
      '',
    ].join('\n'),
  );
} finally {
  service?.child.kill('SIGTERM');
  await new Promise((resolve) => setTimeout(resolve, 500));
  await admin(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
}
