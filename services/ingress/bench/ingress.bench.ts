import { type ChildProcess, spawn } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { type NatsServer, serializeLikeMeta, startNatsServer, textMessageBody } from '@reserveit/localstack';
import autocannon from 'autocannon';

const CONNECTIONS = 64;
const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 8);
/** Rounds of the minimal JetStream ingress and ingress alone, taking turns. */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 4);
const SECRET = 'bench-app-secret';
const main = fileURLToPath(new URL('../dist/main.js', import.meta.url));
const bare = fileURLToPath(new URL('./bare-server.ts', import.meta.url));
const minimal = fileURLToPath(new URL('./minimal-jetstream-server.ts', import.meta.url));
/** The deriver hop is measured at a steady rate well under saturation, as traffic arrives. */
const HOP_RATE = Number(process.env.BENCH_HOP_RATE ?? 200);
const HOP_S = Number(process.env.BENCH_HOP_S ?? 5);

/**
 * The Node flags of the start script (package.json "start": `node <flags> dist/main.js`), so ingress
 * is measured as it runs in production, never with bench-only flags.
 */
const startScript: string = JSON.parse(
  readFileSync(fileURLToPath(new URL('../package.json', import.meta.url)), 'utf8'),
).scripts.start;
const nodeFlags = startScript.split(/\s+/).filter((word) => word.startsWith('--'));

if (!existsSync(main)) {
  process.stderr.write('services/ingress/dist/main.js is missing: run `pnpm build` first.\n');
  process.exit(1);
}

/** A realistic text-message webhook; only the wamid changes per request, so each is a new event. */
const template = serializeLikeMeta(
  textMessageBody({
    text: 'Hi! A table for 4 tomorrow at 8pm please, café terrace if possible',
    wamid: 'wamid.PLACEHOLDER',
    from: '971501234567',
    name: 'Sara',
  }),
);

function nextRequest(wamid = `wamid.${randomBytes(24).toString('base64url')}`) {
  const body = template.replace('wamid.PLACEHOLDER', wamid);
  return {
    method: 'POST' as const,
    path: '/webhooks/whatsapp',
    headers: {
      'content-type': 'application/json',
      'x-hub-signature-256': `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`,
    },
    body,
  };
}

function startProcess(
  args: string[],
  env: Record<string, string>,
  ready: RegExp,
): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, args, {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`did not start:\n${output}`)), 20_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = ready.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve({ child, url: match[1] });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`exited with ${code}:\n${output}`)));
  });
}

async function load(url: string, label: string, seconds = DURATION_S) {
  process.stdout.write(`\n${label}: ${CONNECTIONS} connections for ${seconds} s against ${url}\n`);
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url,
        connections: CONNECTIONS,
        duration: seconds,
        requests: [{ setupRequest: () => nextRequest() }],
      },
      (error, finished) => (error ? reject(error) : resolve(finished)),
    );
    autocannon.track(instance, {
      renderProgressBar: process.stdout.isTTY === true,
      renderResultsTable: false,
      renderLatencyTable: false,
    });
  });
  return {
    label,
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx + result.errors + result.timeouts,
  };
}

async function stop(child: ChildProcess) {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

const nats: NatsServer | undefined = process.env.NATS_URL ? undefined : await startNatsServer();
const natsUrl = process.env.NATS_URL ?? nats!.url;
const prefix = `bench${randomBytes(3).toString('hex')}`;
const minimalPrefix = `${prefix}m`;

const baseline = await startProcess(
  ['--import', 'tsx', bare],
  { PORT: '0' },
  /listening on (http:\/\/[\d.:]+)/,
);
const bareResult = await load(`${baseline.url}/webhooks/whatsapp`, 'bare Fastify (read body, 200)');
await stop(baseline.child);

// BENCH_CPU_PROF=<dir>: a V8 CPU profile of each of the two, to compare where they spend it.
const profile = process.env.BENCH_CPU_PROF
  ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`]
  : [];
const floor = await startProcess(
  [...profile, '--import', 'tsx', minimal],
  { PORT: '0', NATS_URL: natsUrl, NATS_PREFIX: minimalPrefix, WHATSAPP_APP_SECRET: SECRET },
  /listening on (http:\/\/[\d.:]+)/,
);

const ingressEnv = (deriver: boolean) => ({
  NATS_URL: natsUrl,
  NATS_PREFIX: prefix,
  INGRESS_HOST: '127.0.0.1',
  INGRESS_PORT: '0',
  WHATSAPP_APP_SECRET: SECRET,
  INGRESS_DERIVER: String(deriver),
  LOG_LEVEL: 'info',
  OTEL_SDK_DISABLED: process.env.OTEL_SDK_DISABLED ?? 'true',
});
const ingressReady = /"webhook":"(http:\/\/[\d.:]+)\/webhooks\/whatsapp"/;

const alone = await startProcess([...profile, ...nodeFlags, main], ingressEnv(false), ingressReady);

// The two take turns, the order swapped each round, so that load from elsewhere on the machine
// falls on both alike; each figure is the mean (req/s) or the median (latency) of its rounds.
type LoadResult = Awaited<ReturnType<typeof load>>;
const minimalRounds: LoadResult[] = [];
const ingressRounds: LoadResult[] = [];
const runMinimal = async () =>
  minimalRounds.push(
    await load(`${floor.url}/webhooks/whatsapp`, 'minimal JetStream ingress (verify, 1 publish, 200)'),
  );
const runIngress = async () =>
  ingressRounds.push(await load(`${alone.url}/webhooks/whatsapp`, 'ingress alone (INGRESS_DERIVER=false)'));
// Neither goes first cold: both get JIT-compiled and their streams created before any round counts.
await load(`${floor.url}/webhooks/whatsapp`, 'warm-up, not counted', 3);
await load(`${alone.url}/webhooks/whatsapp`, 'warm-up, not counted', 3);
for (let round = 0; round < ROUNDS; round++) {
  for (const run of round % 2 === 0 ? [runMinimal, runIngress] : [runIngress, runMinimal]) await run();
}
await stop(floor.child);
await stop(alone.child);
const minimalResult = combined(minimalRounds);
const ingressResult = combined(ingressRounds);

function combined(rounds: LoadResult[]) {
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
  return {
    label: rounds[0]?.label ?? '',
    rps: rounds.reduce((sum, r) => sum + r.rps, 0) / rounds.length,
    p50: median(rounds.map((r) => r.p50)),
    p99: median(rounds.map((r) => r.p99)),
    non2xx: rounds.reduce((sum, r) => sum + r.non2xx, 0),
    each: rounds.map((r) => r.rps.toFixed(0)).join(' / '),
  };
}

const nc = await connect({ servers: natsUrl });
const jsm = await jetstreamManager(nc);
const rawStream = `${prefix}_WHATSAPP_RAW`;
const backlog = (await jsm.streams.info(rawStream)).state.messages;

// The deriver's own pace: the raw bodies ingress alone stored, derived by a fresh durable.
const derivingStarted = performance.now();
const withDeriver = await startProcess([...nodeFlags, main], ingressEnv(true), ingressReady);
await caughtUp(nc, rawStream);
const catchUpS = (performance.now() - derivingStarted) / 1000;
const derived = (await jsm.streams.info(`${prefix}_WHATSAPP`)).state.messages;

const hop = await deriverHop(nc, `${withDeriver.url}/webhooks/whatsapp`);
await stop(withDeriver.child);

for (const name of [`${prefix}_WHATSAPP`, rawStream, `${minimalPrefix}_WHATSAPP_RAW`])
  await jsm.streams.delete(name);
await jsm.streams.delete(`${prefix}_DEADLETTERS`).catch(() => undefined);
await nc.close();
await nats?.stop();

/** Resolves once the deriver durable has nothing pending and nothing unacknowledged. */
async function caughtUp(connection: NatsConnection, stream: string) {
  const manager = await jetstreamManager(connection);
  for (;;) {
    const info = await manager.consumers.info(stream, 'ingress-deriver').catch(() => undefined);
    if (info && info.num_pending + info.num_ack_pending === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * Webhooks at HOP_RATE for HOP_S with the deriver on: for each, the time from its 200 to its event
 * reaching a subscriber of WHATSAPP's message subjects (one core subscription sees what the
 * stream stores, as a consumer's first delivery would).
 */
async function deriverHop(connection: NatsConnection, url: string) {
  const arrived = new Map<string, number>();
  const sub = connection.subscribe(`${prefix}.wa.in.msg.>`, {
    callback: (_error, message) => {
      const id = message.headers?.get('Nats-Msg-Id');
      if (id) arrived.set(id, performance.now());
    },
  });
  const answered = new Map<string, number>();
  const sends: Promise<void>[] = [];
  const total = HOP_RATE * HOP_S;
  const started = performance.now();
  for (let i = 0; i < total; i++) {
    const due = started + (i * 1000) / HOP_RATE;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const wamid = `wamid.hop${i}.${randomBytes(12).toString('base64url')}`;
    const request = nextRequest(wamid);
    sends.push(
      fetch(url, { method: 'POST', headers: request.headers, body: request.body }).then(async (response) => {
        await response.arrayBuffer();
        if (response.status === 200) answered.set(wamid, performance.now());
      }),
    );
  }
  await Promise.all(sends);
  const deadline = performance.now() + 30_000;
  while ([...answered.keys()].some((id) => !arrived.has(id)) && performance.now() < deadline)
    await new Promise((resolve) => setTimeout(resolve, 50));
  sub.unsubscribe();
  const hops = [...answered].flatMap(([id, at]) => {
    const seen = arrived.get(id);
    return seen === undefined ? [] : [seen - at];
  });
  hops.sort((a, b) => a - b);
  const at = (q: number) => hops[Math.min(hops.length - 1, Math.floor(q * hops.length))] ?? Number.NaN;
  return { sent: total, answered: answered.size, seen: hops.length, p50: at(0.5), p99: at(0.99), max: at(1) };
}

const row = (r: typeof bareResult) =>
  `${r.label.padEnd(52)} ${r.rps.toFixed(0).padStart(8)} ${r.p50.toFixed(1).padStart(8)} ${r.p99.toFixed(1).padStart(8)} ${String(r.non2xx).padStart(8)}`;
process.stdout.write(
  `\n${'run'.padEnd(52)} ${'req/s'.padStart(8)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'non-2xx'.padStart(8)}\n`,
);
process.stdout.write(`${row(bareResult)}\n${row(minimalResult)}\n${row(ingressResult)}\n`);
process.stdout.write(
  `req/s per round (${ROUNDS} × ${DURATION_S} s, in turns): minimal ${minimalResult.each}; ingress ${ingressResult.each}\n`,
);
process.stdout.write(
  `\ningress/minimal: ${(ingressResult.rps / minimalResult.rps).toFixed(2)} (target ≥ 1.00), ingress p99 ${ingressResult.p99.toFixed(1)} ms (target < 25), non-2xx ${ingressResult.non2xx} (target 0); ingress/bare ${(ingressResult.rps / bareResult.rps).toFixed(2)}\n`,
);
process.stdout.write(
  `deriver: ${derived} events from ${backlog} raw bodies in ${catchUpS.toFixed(1)} s (${(backlog / catchUpS).toFixed(0)} bodies/s, process start included)\n`,
);
process.stdout.write(
  `deriver hop (200 → event in WHATSAPP) at ${HOP_RATE} webhooks/s for ${HOP_S} s: p50 ${hop.p50.toFixed(1)} ms, p99 ${hop.p99.toFixed(1)} ms, max ${hop.max.toFixed(1)} ms (${hop.seen} of ${hop.answered} answered seen, ${hop.sent} sent; below 0: the event was stored before the 200 reached the client)\n`,
);
process.stdout.write(
  `tracing ${process.env.OTEL_SDK_DISABLED === 'false' ? 'on' : 'off'}; ingress started as \`${startScript}\`; NATS ${process.env.NATS_URL ? 'from NATS_URL' : 'spawned for this run'}\n`,
);
