/**
 * pnpm bench:sender — the outbox with a backlog: 100,000 sent rows and 5,000 due ones (1,250
 * guests with four replies each: a head, and three queued behind it that became due first, as
 * after the head's retries), after ANALYZE.
 *
 * Prints the time of one claim of a batch (p50/p99 over CLAIMS claims of BATCH rows, the leases
 * released between them) with a generic plan (what a pooled connection keeps after five runs) and
 * a custom one, beside the same claim on an empty outbox measured in this run, and once more with
 * statistics taken before the backlog came (ANALYZE of the empty table). Then the drain of the
 * 5,000 due rows through the Dispatcher, 128 at once, against the fake Graph API on a local socket,
 * beside the same 5,000 rows in an outbox without the sent rows.
 *
 * DATABASE_URL when set (fresh databases are made and dropped), else a private embedded Postgres.
 * BENCH_CLAIMS changes the number of claims.
 */
import { randomUUID } from 'node:crypto';
import { createDatabase, migrateSchema } from '@reserveit/db';
import { type EmbeddedPostgres, startEmbeddedPostgres } from '@reserveit/localstack';
import { createLogger, createMetrics } from '@reserveit/telemetry';
import { startFakeGraphApi, type TestDatabase, useDatabase } from '@reserveit/testkit';
import { type Kysely, sql } from 'kysely';
import { Dispatcher } from '../src/dispatcher.js';
import { createGraphClient } from '../src/graph/graph-client.js';
import { senderMetrics } from '../src/metrics.js';
import { senderMigrations } from '../src/outbox/migrations.js';
import { type NewCommand, OutboxStore } from '../src/outbox/outbox-store.js';
import { RateLimitStore } from '../src/outbox/rate-limit-store.js';
import { SENDER_SCHEMA, type SenderDb } from '../src/outbox/tables.js';
import { SendSlots } from '../src/send-slots.js';

const CLAIMS = Number(process.env.BENCH_CLAIMS ?? 200);
const BATCH = 128;
const SENT = 100_000;
const GUESTS = 1_250;
const REPLIES = 4;
const PNID = '106540352242922';
const TOKEN = 'bench-access-token';
const out = (line: string) => process.stdout.write(`${line}\n`);
const silent = createLogger('bench', 'silent');

type Plan = 'generic' | 'custom';

let seq = 1_000_000;
function reply(guest: string): NewCommand {
  seq += 1;
  const key = `bench-${seq}`;
  const command = {
    v: 1,
    type: 'whatsapp.send.requested',
    id: key,
    phoneNumberId: PNID,
    to: guest,
    requestedAt: new Date().toISOString(),
    message: { kind: 'text', body: `reply ${seq}`, previewUrl: false },
  };
  return {
    key,
    streamSeq: seq,
    subject: `out.cmd.0.${PNID}.${guest}`,
    msgId: key,
    phoneNumberId: PNID,
    recipient: guest,
    kind: 'text',
    command,
    traceparent: undefined,
    tracestate: undefined,
  };
}

async function migrated(url: string, plan: Plan, connections = 1): Promise<Kysely<SenderDb>> {
  const db = createDatabase<SenderDb>({
    url,
    applicationName: 'bench-sender',
    maxConnections: connections,
    customPlans: plan === 'custom',
  });
  await migrateSchema(db as never, SENDER_SCHEMA, senderMigrations);
  // Postgres would pick the generic plan after five runs only if it looked no dearer: take it always.
  if (plan === 'generic') await sql`set plan_cache_mode = force_generic_plan`.execute(db);
  return db;
}

/** 100,000 sent rows (when `sent`) and the due ones, recorded as the intake records them. */
async function fill(db: Kysely<SenderDb>, sent: boolean, guestCount = GUESTS): Promise<string[]> {
  if (sent) {
    await sql`
      insert into sender.outbox (key, stream_seq, subject, msg_id, phone_number_id, recipient, kind, command,
        state, attempts, next_attempt_at, published, created_at, updated_at, finished_at, wamid)
      select 'sent-' || i, i, 'out.cmd.0.p.g', 'sent-' || i, ${PNID}, 'sent-guest-' || (i % 20000), 'text', '{}',
        'sent', 1, now() - interval '2 days', true, now() - interval '2 days', now() - interval '2 days',
        now() - interval '2 days', 'wamid.sent-' || i
      from generate_series(1, ${SENT}::int) i`.execute(db);
  }
  const store = new OutboxStore(db);
  const guests = Array.from({ length: guestCount }, (_, i) => `9715${String(i).padStart(8, '0')}`);
  const keys: string[] = [];
  const now = Date.now();
  for (let round = 0; round < REPLIES; round += 1) {
    // The queued replies became due before their heads: walking every due row would meet them first.
    const at = new Date(now - (round === 0 ? 60_000 : 7_200_000));
    const rows = await Promise.all(guests.map((guest) => store.insert(reply(guest), at)));
    for (const row of rows) if (row) keys.push(row.key);
  }
  return keys;
}

const pct = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

/** Claim times in ms, each claim's leases released before the next. */
async function claims(db: Kysely<SenderDb>): Promise<{ p50: number; p99: number; rows: number }> {
  const store = new OutboxStore(db);
  const times: number[] = [];
  let rows = 0;
  for (let i = 0; i < CLAIMS; i += 1) {
    const started = performance.now();
    const claimed = await store.claimDue('bench', new Date(), 30_000, BATCH);
    times.push(performance.now() - started);
    rows = claimed.length;
    if (claimed.length > 0)
      await sql`update sender.outbox set lease_owner = null, lease_until = null
        where key = any(${claimed.map((row) => row.key)})`.execute(db);
  }
  times.sort((a, b) => a - b);
  return { p50: pct(times, 50), p99: pct(times, 99), rows };
}

function claimLine(name: string, r: { p50: number; p99: number; rows: number }) {
  out(
    `  ${name.padEnd(56)} p50 ${r.p50.toFixed(2).padStart(7)} ms   p99 ${r.p99.toFixed(2).padStart(7)} ms   (${r.rows} rows a claim)`,
  );
}

function drainLine(name: string, r: { seconds: number; rate: number }) {
  out(`  ${name.padEnd(56)} ${r.rate.toFixed(0).padStart(6)} rows/s   (${r.seconds.toFixed(2)} s)`);
}

/** The 5,000 due rows sent through a Dispatcher against the fake Graph API; rows per second. */
async function drain(
  url: string,
  keys: string[],
  graphBaseUrl: string,
): Promise<{ seconds: number; rate: number }> {
  const db = createDatabase<SenderDb>({ url, applicationName: 'bench-sender', maxConnections: 10 });
  const graph = createGraphClient({
    baseUrl: graphBaseUrl,
    version: 'v23.0',
    accessToken: TOKEN,
    timeoutMs: 10_000,
    connections: BATCH,
  });
  const metrics = senderMetrics(createMetrics('bench'), {
    outboxActive: async () => 0,
    deadLetters: async () => 0,
  });
  const dispatcher = new Dispatcher({
    store: new OutboxStore(db),
    graph,
    // Not the number's throughput limit (80/s): the outbox and the dispatcher are what is measured,
    // with the shared limit's statement per send that every send makes.
    slots: new SendSlots({
      limits: new RateLimitStore(db, { perSecond: 1_000_000, burst: 1_000_000 }),
      rate: { perSecond: 1_000_000, burst: 1_000_000 },
      metrics,
      logger: silent,
      sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
      nowMs: () => performance.now(),
    }),
    policy: { maxAttempts: 6, baseMs: 1_000, maxMs: 300_000, pairBaseMs: 4_000, reconcileWindowMs: 60_000 },
    owner: `bench-${randomUUID()}`,
    concurrency: BATCH,
    leaseMs: 30_000,
    pollMs: 500,
    dryRun: false,
    logReplies: false,
    logger: silent,
    metrics,
    now: () => new Date(),
    onFinal: async () => {},
    publishOutcome: async () => true,
    deferRead: async () => {},
  });
  const started = performance.now();
  dispatcher.start();
  for (;;) {
    const { rows } = await sql<{ n: number }>`
      select count(*)::int as n from sender.outbox where key = any(${keys}) and state = 'sent'`.execute(db);
    if ((rows[0]?.n ?? 0) === keys.length) break;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const seconds = (performance.now() - started) / 1000;
  await dispatcher.stop();
  await graph.close();
  await db.destroy();
  return { seconds, rate: keys.length / seconds };
}

async function main() {
  let embedded: EmbeddedPostgres | undefined;
  let adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) {
    embedded = await startEmbeddedPostgres();
    adminUrl = embedded.url;
  }
  const databases: TestDatabase[] = [];
  const fresh = async () => {
    const database = await useDatabase(adminUrl);
    databases.push(database);
    return database.url;
  };
  const fake = await startFakeGraphApi({ accessToken: TOKEN });
  try {
    /** A fresh database with the due rows (and the sent ones when `sent`), statistics taken before or after. */
    const outbox = async (sent: boolean, analyze: 'after' | 'before' | 'never', guestCount = GUESTS) => {
      const url = await fresh();
      const db = await migrated(url, 'custom', 10);
      if (analyze === 'before') {
        // Kept as they are: autovacuum would otherwise analyze the table again once it filled up.
        await sql`alter table sender.outbox set (autovacuum_enabled = false)`.execute(db);
        await sql`analyze sender.outbox`.execute(db);
      }
      const keys = analyze === 'never' ? [] : await fill(db, sent, guestCount);
      if (analyze === 'after') await sql`analyze sender.outbox`.execute(db);
      await db.destroy();
      return { url, keys };
    };
    const measure = async (name: string, url: string) => {
      for (const plan of ['generic', 'custom'] as const) {
        const db = await migrated(url, plan);
        claimLine(`${name}, ${plan} plan`, await claims(db));
        await db.destroy();
      }
    };

    out(`claim of up to ${BATCH} due rows, ${CLAIMS} claims each, leases released in between`);
    const empty = await outbox(false, 'never');
    const bare = await outbox(false, 'after');
    const backlog = await outbox(true, 'after');
    const stale = await outbox(true, 'before');
    await measure('baseline: empty outbox', empty.url);
    await measure('baseline: 5,000 due rows, no sent ones', bare.url);
    await measure('100,000 sent + 5,000 due', backlog.url);
    await measure('same, statistics of the empty outbox', stale.url);

    out(`\ndrain of the 5,000 due rows through the Dispatcher (${BATCH} at once, fake Graph API)`);
    // Not printed: the first drain of the process also warms up the HTTP client and the fake API.
    const warmUp = await outbox(false, 'after', GUESTS / 5);
    await drain(warmUp.url, warmUp.keys, fake.baseUrl);
    // Fresh outboxes: the claims above left thousands of dead row versions in theirs.
    const dueOnly = await outbox(false, 'after');
    drainLine('baseline: no sent rows', await drain(dueOnly.url, dueOnly.keys, fake.baseUrl));
    const beside = await outbox(true, 'after');
    drainLine('100,000 sent rows besides', await drain(beside.url, beside.keys, fake.baseUrl));
  } finally {
    await fake.close();
    for (const database of databases) await database.drop().catch(() => undefined);
    await embedded?.stop();
  }
}

await main();
