/**
 * End-to-end benchmark: all five services as processes (as in the e2e tests), guests sending
 * signed webhooks to ingress, the fake Graph API recording when each reply arrives.
 *
 *   pnpm build && pnpm bench:e2e
 *   BENCH_RATE=300 BENCH_DURATION_S=20 BENCH_GUESTS=3000 BENCH_CLOSED_GUESTS=64 pnpm bench:e2e
 *
 * NATS_URL (default: a private nats-server) and DATABASE_URL (default the local Postgres at
 * 127.0.0.1:5432; a fresh database is made and dropped) as for the tests.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { appendFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { AckPolicy, DeliverPolicy, type JsMsg, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { conversationEventsOf, conversationTurnRecordedSchema, topology } from '@reserveit/contracts';
import {
  DEV_WHATSAPP,
  findRepoRoot,
  type NatsServer,
  natsServerEnv,
  serializeLikeMeta,
  startNatsServer,
} from '@reserveit/localstack';
import { readStream } from '@reserveit/replay';
import {
  cpuTicksByGroup,
  MS_PER_TICK,
  machineCpuTicks,
  processCommandLine,
  useDatabase,
  useSecuredNats,
} from '@reserveit/testkit';
import pg from 'pg';
import { Pool } from 'undici';
import { FakeWhatsApp, messageWebhook, startSystem } from '../src/index.js';
import { type RunSummary, TARGET } from './run-summary.js';

const RATE = Number(process.env.BENCH_RATE ?? 300);
const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 20);
const WARMUP_S = Number(process.env.BENCH_WARMUP_S ?? 3);
// Real guests write every few seconds: the anti-spam limit (20 a minute each) must not kick in.
const GUESTS = Number(process.env.BENCH_GUESTS ?? 3000);
const CLOSED_GUESTS = Number(process.env.BENCH_CLOSED_GUESTS ?? 64);
const CLOSED_S = Number(process.env.BENCH_CLOSED_S ?? 10);
const TEXTS = ['Hi', 'What are your opening hours?', 'Can I see the menu?', 'Thank you'];
/**
 * Who writes in the open-loop phase: `repeat` rotates over BENCH_GUESTS guests whose conversations
 * exist after the first round; `new` makes every message a guest never seen (a new conversation,
 * the common case at a restaurant's peak). Both by default, one after the other on the same system.
 */
const GUEST_MODES = (process.env.BENCH_GUEST_MODES ?? 'repeat,new').split(',').filter(Boolean);
if (GUEST_MODES.length === 0 || GUEST_MODES.some((mode) => mode !== 'repeat' && mode !== 'new')) {
  process.stderr.write(`BENCH_GUEST_MODES must list "repeat" and/or "new", not "${GUEST_MODES}".\n`);
  process.exit(2);
}
/** e.g. `conversation,sender`: run those with --cpu-prof, profiles in BENCH_PROFILE_DIR (default /tmp/e2e-profiles). */
const PROFILE = (process.env.BENCH_PROFILE ?? '').split(',').filter(Boolean);
const PROFILE_DIR = process.env.BENCH_PROFILE_DIR ?? '/tmp/e2e-profiles';
/** Node flags for every service, e.g. `--perf-basic-prof` so `perf record -a` names JavaScript frames. */
const NODE_ARGS = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
/**
 * `off` runs the gRPC servers with RPC_VERIFY_CALLERS=false (tokens read, not verified), for
 * bench:auth to compare with `on`, the default and what production runs.
 */
const AUTH = process.env.BENCH_AUTH ?? 'on';
if (AUTH !== 'on' && AUTH !== 'off') {
  process.stderr.write(`BENCH_AUTH must be "on" or "off", not "${AUTH}".\n`);
  process.exit(2);
}
/** Where `bench:e2e:series` and `bench:auth` collect one JSON line per run. */
const SUMMARY_FILE = process.env.BENCH_SUMMARY_FILE;

const SERVICES = ['ingress', 'intent', 'reservation', 'conversation', 'sender'] as const;
const root = findRepoRoot();
for (const name of SERVICES) {
  if (!existsSync(join(root, 'services', name, 'dist', 'main.js'))) {
    process.stderr.write(`services/${name}/dist/main.js is missing: run \`pnpm build\` first.\n`);
    process.exit(1);
  }
}

const out = (line: string) => process.stdout.write(`${line}\n`);
const ms = (n: number | undefined) => (n === undefined ? '   -  ' : `${n.toFixed(1).padStart(6)}`);

function percentiles(values: number[]): {
  p50?: number;
  p95?: number;
  p99?: number;
  max?: number;
  n: number;
} {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return { p50: at(0.5), p95: at(0.95), p99: at(0.99), max: sorted.at(-1), n: sorted.length };
}

function cpuFigures(
  from: ReturnType<typeof machineCpuTicks>,
  to: ReturnType<typeof machineCpuTicks>,
  answered: number,
): { busyPercent: number; msPerMessage?: number } | undefined {
  if (!from || !to || to.total === from.total) return undefined;
  const busy = to.busy - from.busy;
  return {
    busyPercent: (100 * busy) / (to.total - from.total),
    ...(answered > 0 ? { msPerMessage: (busy * MS_PER_TICK) / answered } : {}),
  };
}

function cpuLine(figures: ReturnType<typeof cpuFigures>): string {
  if (!figures) return '  machine CPU: not measured here';
  const perMessage =
    figures.msPerMessage === undefined
      ? ''
      : `, ${figures.msPerMessage.toFixed(1)} ms CPU per answered message`;
  return `  machine CPU ${figures.busyPercent.toFixed(0)} % busy${perMessage}`;
}

type CpuByProcess = Map<string, number>;

function cpuSplit(from: CpuByProcess, to: CpuByProcess, answered: number): string[] {
  if (answered === 0 || to.size === 0) return [];
  const rows = [...to].map(([group, ticks]) => [group, ticks - (from.get(group) ?? 0)] as const);
  return rows
    .filter(([, ticks]) => ticks > 0)
    .sort((a, b) => b[1] - a[1])
    .map(
      ([group, ticks]) =>
        `    ${group.padEnd(34)} ${((ticks * MS_PER_TICK) / answered).toFixed(2).padStart(6)} ms per message`,
    );
}

function row(label: string, values: number[]): string {
  const p = percentiles(values);
  return `  ${label.padEnd(44)} p50 ${ms(p.p50)}  p95 ${ms(p.p95)}  p99 ${ms(p.p99)}  max ${ms(p.max)} ms  (n=${p.n})`;
}

interface Sent {
  wamid: string;
  sentAt: number;
  ackedAt?: number;
  status?: number;
  measured: boolean;
}

// Auth on, as production runs: caller tokens verified, and on a private nats-server every service
// as its own NATS user, NATS and gRPC over TLS (development certificates). Off: none of them.
const secured = AUTH === 'on' && !process.env.NATS_URL ? await useSecuredNats() : undefined;
const certs = secured?.certs;
const server: NatsServer | undefined =
  secured?.server ?? (process.env.NATS_URL ? undefined : await startNatsServer());
const natsUrl = process.env.NATS_URL ?? server?.url ?? '';
const db = await useDatabase(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
const prefix = secured?.prefix ?? `bench${randomBytes(3).toString('hex')}`;
const whatsapp = await FakeWhatsApp.start();
const nc = secured?.nc ?? (await connect({ servers: natsUrl, name: 'e2e-bench' }));
const authDescription =
  AUTH === 'off'
    ? 'auth off (tokens unverified, no NATS users, plaintext)'
    : certs
      ? 'auth on (tokens verified, a NATS user per service, TLS for gRPC and NATS)'
      : 'auth on (tokens verified; NATS_URL given, so no NATS users or TLS)';

out(
  `e2e benchmark: 5 services as processes, rules intent, OTel off, ${authDescription}, NATS ${server ? `private nats-server (GOMAXPROCS=${natsServerEnv().GOMAXPROCS})` : natsUrl}`,
);
const started = Date.now();
const system = await startSystem({
  natsUrl,
  prefix,
  databaseUrl: db.url,
  graphBaseUrl: whatsapp.graphBaseUrl,
  ...(certs && { tls: certs }),
  // BENCH_PGOPTIONS='-c synchronous_commit=off' is a what-if for finding where time goes (no WAL
  // flush wait per commit); it gives up durability and is not a setting to run with.
  env: {
    LOG_LEVEL: 'warn',
    ...(process.env.BENCH_PGOPTIONS ? { PGOPTIONS: process.env.BENCH_PGOPTIONS } : {}),
  },
  serviceEnv: {
    // One business number carries every guest: Meta's upgraded tier (1,000 msg/s) and more, so
    // the sender's limiter is not what is measured.
    sender: { SENDER_RATE_PER_SECOND: '5000' },
    ...(AUTH === 'off'
      ? {
          intent: { RPC_VERIFY_CALLERS: 'false' },
          reservation: { RPC_VERIFY_CALLERS: 'false' },
          conversation: { RPC_VERIFY_CALLERS: 'false' },
        }
      : {}),
  },
  nodeArgs: Object.fromEntries(
    SERVICES.map((name) => [
      name,
      [
        ...NODE_ARGS,
        ...(PROFILE.includes(name) ? ['--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}/${name}`] : []),
      ],
    ]),
  ),
});
whatsapp.connect(system);
out(`system ready in ${Date.now() - started} ms`);
const servicePids = new Map(SERVICES.map((name) => [system.pid(name), name]));
/** Our private nats-server (not another one on the machine), found by its port on the command line. */
const isOurNats = (pid: number, comm: string) =>
  comm === 'nats-server' && server !== undefined && processCommandLine(pid).includes(` ${server.port} `);
const whoIs = (pid: number, comm: string): string =>
  servicePids.get(pid) ??
  (pid === process.pid
    ? 'this bench (load, fake Graph API)'
    : isOurNats(pid, comm)
      ? 'nats-server'
      : comm === 'postgres'
        ? 'postgres (all databases)'
        : 'everything else');
/**
 * CPU of the five services and our nats-server per answered message: what the system itself spent,
 * unlike machine CPU, which also counts whatever else the machine runs meanwhile.
 */
const systemMsPerMessage = (from: CpuByProcess, to: CpuByProcess, answered: number) => {
  const groups = [...SERVICES, 'nats-server'];
  const ticks = groups.reduce((sum, group) => sum + (to.get(group) ?? 0) - (from.get(group) ?? 0), 0);
  return answered > 0 ? (ticks * MS_PER_TICK) / answered : undefined;
};

/**
 * When each inbound message reached the hops the events record, read from the streams after the
 * run (subscribing while it ran cost the measured NATS and this process a delivery per event):
 * ingress's receivedAt, the conversation's guest turn, and the first reply command's store time.
 */
async function hopTimes(since: string) {
  const js = jetstream(nc);
  const jsm = await jetstreamManager(nc);
  const { streams, subjects } = topology(prefix);
  const read = async (stream: string, filterSubject: string, take: (msg: JsMsg) => void) => {
    for await (const msg of readStream(js, jsm, { stream, filterSubject, fromTime: since })) take(msg);
  };
  const receivedAt = new Map<string, number>();
  const turnAt = new Map<string, number>();
  const commandAt = new Map<string, number>();
  await read(streams.whatsapp.name, `${prefix}.wa.in.msg.>`, (msg) => {
    const event = msg.json<{ message: { id: string }; receivedAt: string }>();
    receivedAt.set(event.message.id, Date.parse(event.receivedAt));
  });
  await read(streams.conversations.name, subjects.conversationEventAll, (msg) => {
    for (const event of conversationEventsOf(msg.json())) {
      const turn = conversationTurnRecordedSchema.safeParse(event);
      if (turn.success && turn.data.role === 'guest')
        turnAt.set(turn.data.id.split(':')[1] ?? '', Date.parse(turn.data.occurredAt));
    }
  });
  await read(streams.outbound.name, subjects.outboundCommandAll, (msg) => {
    const command = msg.json<{ replyTo?: string; message: { kind: string } }>();
    if (!command.replyTo || command.message.kind === 'read' || commandAt.has(command.replyTo)) return;
    commandAt.set(command.replyTo, Math.floor(msg.info.timestampNanos / 1e6));
  });
  return { receivedAt, turnAt, commandAt };
}

try {
  // --- Baseline: JetStream publish → pull-consume round trip on the same server, one at a time.
  const jsm = await jetstreamManager(nc);
  const js = jetstream(nc);
  const baseStream = `${prefix}_BASELINE`;
  await jsm.streams.add({ name: baseStream, subjects: [`${prefix}.baseline.>`] });
  await jsm.consumers.add(baseStream, {
    durable_name: 'baseline',
    ack_policy: AckPolicy.Explicit,
    deliver_policy: DeliverPolicy.All,
  });
  const baseConsumer = await js.consumers.get(baseStream, 'baseline');
  const baseline: number[] = [];
  const payload = serializeLikeMeta(
    messageWebhook({ waId: '971500000000', name: 'Base' }, { type: 'text', text: { body: 'Hi' } }, 'wamid.x'),
  );
  for (let i = 0; i < 300; i++) {
    const t0 = performance.now();
    await js.publish(`${prefix}.baseline.${i % 16}`, payload, { msgID: `b${i}` });
    const message = await baseConsumer.next({ expires: 5_000 });
    message?.ack();
    baseline.push(performance.now() - t0);
  }
  await jsm.streams.delete(baseStream);

  const ingress = new Pool(system.http.ingress, { connections: 32, pipelining: 1 });
  const turns = new Map<string, number>();
  /** The next message of one guest, serialized and signed as Meta would send it. */
  const prepare = (guest: number, text?: string) => {
    const waId = `9716${String(10_000_000 + guest)}`;
    const turn = turns.get(waId) ?? 0;
    turns.set(waId, turn + 1);
    const wamid = `wamid.${randomBytes(24).toString('base64url')}`;
    const body = serializeLikeMeta(
      messageWebhook(
        { waId, name: 'Guest' },
        { type: 'text', text: { body: text ?? TEXTS[turn % TEXTS.length] } },
        wamid,
      ),
    );
    const signature = `sha256=${createHmac('sha256', DEV_WHATSAPP.appSecret).update(body).digest('hex')}`;
    return { wamid, body, signature };
  };
  const send = async ({ wamid, body, signature }: ReturnType<typeof prepare>, measured: boolean) => {
    const sent: Sent = { wamid, sentAt: Date.now(), measured };
    const response = await ingress.request({
      method: 'POST',
      path: '/webhooks/whatsapp',
      headers: { 'content-type': 'application/json', 'x-hub-signature-256': signature },
      body,
    });
    await response.body.dump();
    sent.status = response.statusCode;
    sent.ackedAt = Date.now();
    return sent;
  };
  const post = (guest: number, measured: boolean): Promise<Sent> => send(prepare(guest), measured);

  const firstReplyAt = (wamid: string) => whatsapp.repliesTo(wamid)[0]?.at.getTime();

  // --- Phase 1: closed loop, CLOSED_GUESTS guests each waiting for the reply before writing again.
  out(`\nphase 1: closed loop, ${CLOSED_GUESTS} guests each waiting for its reply, ${CLOSED_S} s`);
  const closedEnd = Date.now() + CLOSED_S * 1000;
  const closedLatency: number[] = [];
  let worker = 0;
  const closedGuest = async () => {
    const base = GUESTS + 1_000 * worker++;
    // A new guest every 10 messages: the anti-spam limit (20 a minute each) must not answer instead.
    for (let m = 0; Date.now() < closedEnd; m++) {
      const sent = await post(base + Math.floor(m / 10), true);
      const at = await whatsapp.firstReply(sent.wamid, 15_000);
      if (at !== undefined) closedLatency.push(at - sent.sentAt);
    }
  };
  const closedStart = Date.now();
  const closedCpu = machineCpuTicks();
  const closedSplit = cpuTicksByGroup(whoIs);
  await Promise.all(Array.from({ length: CLOSED_GUESTS }, closedGuest));
  const closedSeconds = (Date.now() - closedStart) / 1000;
  out(
    `  sustained ${(closedLatency.length / closedSeconds).toFixed(0)} msg/s (${closedLatency.length} answered)`,
  );
  out(row('webhook POST → first reply at Graph API', closedLatency));
  out(cpuLine(cpuFigures(closedCpu, machineCpuTicks(), closedLatency.length)));
  for (const line of cpuSplit(closedSplit, cpuTicksByGroup(whoIs), closedLatency.length)) out(line);

  // --- Phase 2: open loop at RATE messages/s (warm-up not counted), as Meta would deliver them.
  /** Guest numbers of the new-guest phase start above every guest the other phases use. */
  const firstNewGuest = GUESTS + 1_000 * (CLOSED_GUESTS + 1);
  const openLoop = async (
    mode: 'repeat' | 'new',
  ): Promise<Omit<RunSummary, 'closedRate' | 'closedP99' | 'baselineP50'>> => {
    out(
      mode === 'repeat'
        ? `\nphase 2 (repeat guests): open loop, ${RATE} msg/s for ${WARMUP_S}+${DURATION_S} s over ${GUESTS} guests`
        : `\nphase 2 (new guests): open loop, ${RATE} msg/s for ${WARMUP_S}+${DURATION_S} s, every message from a guest never seen`,
    );
    const count = RATE * (WARMUP_S + DURATION_S + 1);
    const guestAt = (n: number) =>
      mode === 'repeat' ? prepare(n % GUESTS) : prepare(firstNewGuest + n, TEXTS[n % TEXTS.length]);
    // Serialized and signed beforehand: the load generator shares the two cores it measures.
    const prepared = Array.from({ length: count }, (_, n) => guestAt(n));
    const sends: Promise<Sent>[] = [];
    const phaseStart = Date.now();
    const measureFrom = phaseStart + WARMUP_S * 1000;
    const phaseEnd = measureFrom + DURATION_S * 1000;
    let k = 0;
    let windowCpu: ReturnType<typeof machineCpuTicks>;
    let windowSplit: CpuByProcess = new Map();
    while (Date.now() < phaseEnd) {
      if (!windowCpu && Date.now() >= measureFrom) {
        windowCpu = machineCpuTicks();
        windowSplit = cpuTicksByGroup(whoIs);
      }
      const due = Math.floor(((Date.now() - phaseStart) / 1000) * RATE);
      for (; k < due; k++) {
        sends.push(
          send(prepared[k] ?? guestAt(k), Date.now() >= measureFrom).catch(() => ({
            wamid: '',
            sentAt: 0,
            measured: false,
          })),
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    const windowEndCpu = machineCpuTicks();
    const windowEndSplit = cpuTicksByGroup(whoIs);
    const all = await Promise.all(sends);
    const drainDeadline = Date.now() + 30_000;
    while (
      Date.now() < drainDeadline &&
      all.some((s) => s.status === 200 && firstReplyAt(s.wamid) === undefined)
    ) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const measured = all.filter((s) => s.measured);
    const failed = all.filter((s) => s.status !== 200).length;
    const answered = measured.filter((s) => firstReplyAt(s.wamid) !== undefined);
    const inWindow = all.filter((s) => {
      const at = firstReplyAt(s.wamid);
      return at !== undefined && at >= measureFrom && at < phaseEnd;
    }).length;
    const latency = answered.map((s) => (firstReplyAt(s.wamid) ?? 0) - s.sentAt);
    const { receivedAt, turnAt, commandAt } = await hopTimes(new Date(phaseStart).toISOString());
    const hop = (from: (s: Sent) => number | undefined, to: (s: Sent) => number | undefined) =>
      answered.flatMap((s) => {
        const a = from(s);
        const b = to(s);
        return a === undefined || b === undefined ? [] : [b - a];
      });

    out(
      `  offered ${(measured.length / DURATION_S).toFixed(0)} msg/s, replies arriving in the window ${(inWindow / DURATION_S).toFixed(0)} msg/s, non-200 webhooks ${failed}, unanswered ${measured.length - answered.length}`,
    );
    const windowFigures = cpuFigures(windowCpu, windowEndCpu, inWindow);
    out(cpuLine(windowFigures));
    for (const line of cpuSplit(windowSplit, windowEndSplit, inWindow)) out(line);
    const systemCpu = systemMsPerMessage(windowSplit, windowEndSplit, inWindow);
    if (systemCpu !== undefined)
      out(`  the system (five services + nats-server): ${systemCpu.toFixed(2)} ms CPU per answered message`);

    out(row('webhook POST → first reply at Graph API', latency));
    out(
      row(
        'webhook POST → ingress 200',
        measured.flatMap((s) => (s.ackedAt ? [s.ackedAt - s.sentAt] : [])),
      ),
    );
    out('  per hop (from the events):');
    out(
      row(
        'POST → ingress receivedAt',
        hop(
          (s) => s.sentAt,
          (s) => receivedAt.get(s.wamid),
        ),
      ),
    );
    out(
      row(
        'ingress receivedAt → conversation turn (start)',
        hop(
          (s) => receivedAt.get(s.wamid),
          (s) => turnAt.get(s.wamid),
        ),
      ),
    );
    out(
      row(
        'conversation turn → OUTBOUND command stored',
        hop(
          (s) => turnAt.get(s.wamid),
          (s) => commandAt.get(s.wamid),
        ),
      ),
    );
    out(
      row(
        'OUTBOUND command → Graph API arrival',
        hop(
          (s) => commandAt.get(s.wamid),
          (s) => firstReplyAt(s.wamid),
        ),
      ),
    );
    // Inside the sender, from its outbox rows (all commands of the phase, read receipts included).
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    const { rows: outbox } = await client.query<{
      requested: string;
      created: Date;
      attempted: Date | null;
      finished: Date | null;
    }>(
      `select command->>'requestedAt' as requested, created_at as created, last_attempt_at as attempted, finished_at as finished
       from sender.outbox where created_at >= $1 and created_at < $2`,
      [new Date(measureFrom), new Date(phaseEnd)],
    );
    await client.end();
    const diff = (pick: (r: (typeof outbox)[number]) => [number | undefined, number | undefined]) =>
      outbox.flatMap((r) => {
        const [a, b] = pick(r);
        return a === undefined || b === undefined ? [] : [b - a];
      });
    out(`  inside the sender (${outbox.length} commands, ${(outbox.length / DURATION_S).toFixed(0)}/s):`);
    out(
      row(
        'command requestedAt → outbox row (intake)',
        diff((r) => [Date.parse(r.requested), r.created.getTime()]),
      ),
    );
    out(
      row(
        'outbox row → marked sending (dispatcher)',
        diff((r) => [r.created.getTime(), r.attempted?.getTime()]),
      ),
    );
    out(
      row(
        'marked sending → finished (Graph call + record)',
        diff((r) => [r.attempted?.getTime(), r.finished?.getTime()]),
      ),
    );

    const arriving = inWindow / DURATION_S;
    const p99 = percentiles(latency).p99;
    // Replies arriving in the window count a reply to a message sent just before it and miss one
    // to a message sent at its end: a system that keeps up lands within 1 % of the offered rate.
    const sustained = arriving >= TARGET.rate * 0.99 && failed === 0 && answered.length === measured.length;
    const fast = p99 !== undefined && p99 < TARGET.p99Ms;
    const missed = [...(sustained ? [] : ['rate']), ...(fast ? [] : ['p99'])];
    out(
      `  target (${mode} guests): ≥ ${TARGET.rate} msg/s sustained, p99 < ${TARGET.p99Ms} ms (webhook → Graph API): ${
        missed.length === 0 ? 'met' : `not met (${missed.join(', ')})`
      }`,
    );
    return {
      guests: mode,
      offered: measured.length / DURATION_S,
      arriving,
      ...percentiles(latency),
      cpuPerMessage: windowFigures?.msPerMessage,
      systemCpuPerMessage: systemCpu,
      auth: AUTH,
      busyPercent: windowFigures?.busyPercent,
      met: sustained && fast,
    };
  };
  const phases = [];
  for (const mode of GUEST_MODES as ('repeat' | 'new')[]) phases.push(await openLoop(mode));

  out('\nbaseline (same run, same NATS):');
  out(row('JetStream publish → pull consume, one at a time', baseline));
  if (SUMMARY_FILE) {
    for (const phase of phases) {
      const summary: RunSummary = {
        closedRate: closedLatency.length / closedSeconds,
        closedP99: percentiles(closedLatency).p99,
        baselineP50: percentiles(baseline).p50,
        ...phase,
      };
      appendFileSync(SUMMARY_FILE, `${JSON.stringify(summary)}\n`);
    }
  }

  await ingress.close();
} finally {
  await system.stop();
  await whatsapp.close();
  const jsm = await jetstreamManager(nc);
  for await (const info of jsm.streams.list()) {
    if (info.config.name.startsWith(`${prefix}_`)) await jsm.streams.delete(info.config.name);
  }
  await db.drop();
  if (secured) await secured.cleanup();
  else {
    await nc.close();
    await server?.stop();
  }
}
