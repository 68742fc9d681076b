/**
 * pnpm bench:sender:statements — Postgres statements (and CPU) the sender spends per reply, the
 * figure issue 19's CPU budget turns on: the real sender in this process, against real NATS and
 * Postgres and the fake Graph API on a local socket, fed replies that each carry the read receipt
 * of the guest's message (as the conversation service sends them), every one to a new guest, at
 * BENCH_RATE a second for BENCH_DURATION_S seconds. Statements are counted as pg's client sends
 * them, by kind, from the first command published until the last reply is recorded.
 *
 * The CPU figure is this whole process (the load and the fake Graph API too), so it compares runs
 * of this bench, back to back, and nothing else.
 *
 * NATS_URL and DATABASE_URL as for the tests (the test kit makes and drops a prefix and a database).
 */
import { loadSenderConfig } from '@reserveit/config';
import { topology as makeTopology, type SendRequested } from '@reserveit/contracts';
import { ensureStream, publish } from '@reserveit/messaging';
import { createLogger } from '@reserveit/telemetry';
import { startFakeGraphApi, useDatabase, useNats } from '@reserveit/testkit';
import pg from 'pg';
import { startSender } from '../src/server.js';

const RATE = Number(process.env.BENCH_RATE ?? 300);
const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 10);
const PNID = '106540352242922';
const TOKEN = 'bench-access-token';
const out = (line: string) => process.stdout.write(`${line}\n`);

/** What each of the sender's statements does, told by its text. */
const KINDS: Array<[string, RegExp]> = [
  ['record commands (insert)', /^\s*with batch as/],
  ['finish rounds', /^\s*with v as/],
  ['take free tokens (tryTake)', /insert into sender\.rate_limits as r \(phone_number_id, tat_us, granted\)/],
  ['reserve a place (reserve)', /^\s*with clock as materialized/],
  ['claim due rows', /set lease_owner = \$1, lease_until/],
  ['hand heads on', /^\s*with owed as/],
  ['flag published', /set "published" = \$1/],
  ['mark sending', /set "state" = \$1, "attempts"/],
];

const counts = new Map<string, number>();
let counting = false;
/** The bench's own connection, whose polls are not the sender's. */
let own: pg.Client | undefined;
const query = pg.Client.prototype.query as (...args: unknown[]) => unknown;
pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
  if (counting && this !== own) {
    const first = args[0];
    const text = typeof first === 'string' ? first : ((first as { text?: string } | undefined)?.text ?? '');
    const kind = KINDS.find(([, pattern]) => pattern.test(text))?.[0] ?? `other: ${text.slice(0, 60)}`;
    counts.set(kind, (counts.get(kind) ?? 0) + 1);
  }
  return query.apply(this, args);
} as typeof pg.Client.prototype.query;

const nats = await useNats(process.env.NATS_URL ?? 'nats://127.0.0.1:4222');
const database = await useDatabase(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
const graph = await startFakeGraphApi({ accessToken: TOKEN });
const topology = makeTopology(nats.prefix);
try {
  for (const spec of [topology.streams.outbound, topology.streams.whatsapp, topology.streams.deadLetters])
    await ensureStream(nats.jsm, spec, { replicas: 1 });
  const config = loadSenderConfig({
    NATS_URL: nats.url,
    NATS_PREFIX: nats.prefix,
    DATABASE_URL: database.url,
    SENDER_HOST: '127.0.0.1',
    SENDER_HTTP_PORT: '0',
    WHATSAPP_ACCESS_TOKEN: TOKEN,
    WHATSAPP_GRAPH_BASE_URL: graph.baseUrl,
    // As bench:e2e runs it: the limiter is not what is measured.
    SENDER_RATE_PER_SECOND: '5000',
  });
  const sender = await startSender(config, createLogger('bench', 'silent'));
  const count = RATE * DURATION_S;
  const commands: SendRequested[] = Array.from({ length: count }, (_, n) => ({
    v: 1,
    type: 'whatsapp.send.requested',
    id: `conv-${n}:wamid.in${n}:1`,
    phoneNumberId: PNID,
    to: `9716${String(10_000_000 + n)}`,
    requestedAt: new Date().toISOString(),
    markRead: `wamid.in${n}`,
    message: { kind: 'text', body: 'We are open from noon to eleven.', previewUrl: false },
  }));
  const replies = () =>
    graph.requests.filter((request) => (request.body as { type?: string } | undefined)?.type === 'text')
      .length;
  own = new pg.Client({ connectionString: database.url });
  await own.connect();

  counting = true;
  const cpu = process.cpuUsage();
  const started = performance.now();
  const publishes: Promise<unknown>[] = [];
  for (let k = 0; k < count; ) {
    const due = Math.min(count, Math.floor(((performance.now() - started) / 1000) * RATE));
    for (; k < due; k++) {
      const command = commands[k] as SendRequested;
      publishes.push(
        publish(nats.js, {
          subject: topology.subjects.outboundCommand(PNID, command.to),
          msgId: command.id,
          data: JSON.stringify(command),
          timeoutMs: 5_000,
        }),
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  await Promise.all(publishes);
  const deadline = Date.now() + 60_000;
  // Sent is not recorded yet: wait until every row is final, which is the last statement of each.
  while (Date.now() < deadline) {
    const { rows } = await own.query<{ n: number }>(
      `select count(*)::int as n from sender.outbox where state = 'sent' and kind <> 'read'`,
    );
    if ((rows[0]?.n ?? 0) >= count && replies() >= count) break;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  counting = false;

  const total = [...counts.values()].reduce((sum, n) => sum + n, 0);
  out(
    `sender: ${count} replies (each carrying a read receipt) at ${RATE}/s, ${replies()} sent, ${seconds.toFixed(1)} s`,
  );
  for (const [kind, n] of [...counts].sort((a, b) => b[1] - a[1]))
    out(`  ${kind.padEnd(40)} ${String(n).padStart(6)}  ${(n / count).toFixed(3)} per reply`);
  out(
    `  ${'all statements'.padEnd(40)} ${String(total).padStart(6)}  ${(total / count).toFixed(3)} per reply`,
  );
  out(`  CPU of this process ${((used.user + used.system) / 1000 / count).toFixed(3)} ms per reply`);
  await own.end();
  await sender.close();
} finally {
  await graph.close();
  await nats.cleanup();
  await database.drop();
}
