import { type ChildProcess, spawn } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { type NatsServer, serializeLikeMeta, startNatsServer, textMessageBody } from '@reserveit/localstack';
import autocannon from 'autocannon';

const CONNECTIONS = 64;
const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 10);
const SECRET = 'bench-app-secret';
const main = fileURLToPath(new URL('../dist/main.js', import.meta.url));
const bare = fileURLToPath(new URL('./bare-server.ts', import.meta.url));

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

function nextRequest() {
  const body = template.replace('wamid.PLACEHOLDER', `wamid.${randomBytes(24).toString('base64url')}`);
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

async function load(url: string, label: string) {
  process.stdout.write(`\n${label}: ${CONNECTIONS} connections for ${DURATION_S} s against ${url}\n`);
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url,
        connections: CONNECTIONS,
        duration: DURATION_S,
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
    total: result.requests.total,
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

const baseline = await startProcess(
  ['--import', 'tsx', bare],
  { PORT: '0' },
  /listening on (http:\/\/[\d.:]+)/,
);
const bareResult = await load(`${baseline.url}/webhooks/whatsapp`, 'bare Fastify (read body, 200)');
await stop(baseline.child);

const ingress = await startProcess(
  [
    ...(process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : []),
    main,
  ],
  {
    NATS_URL: natsUrl,
    NATS_PREFIX: prefix,
    INGRESS_HOST: '127.0.0.1',
    INGRESS_PORT: '0',
    WHATSAPP_APP_SECRET: SECRET,
    LOG_LEVEL: 'info',
    OTEL_SDK_DISABLED: process.env.OTEL_SDK_DISABLED ?? 'true',
  },
  /"webhook":"(http:\/\/[\d.:]+)\/webhooks\/whatsapp"/,
);
const ingressResult = await load(
  `${ingress.url}/webhooks/whatsapp`,
  'ingress (verify, parse, publish to JetStream, 200)',
);
await stop(ingress.child);

const nc = await connect({ servers: natsUrl });
const jsm = await jetstreamManager(nc);
const stored = (await jsm.streams.info(`${prefix}_WHATSAPP`)).state.messages;
for (const name of [`${prefix}_WHATSAPP`, `${prefix}_WHATSAPP_RAW`]) await jsm.streams.delete(name);
await nc.close();
await nats?.stop();

const row = (r: typeof bareResult) =>
  `${r.label.padEnd(52)} ${r.rps.toFixed(0).padStart(8)} ${r.p50.toFixed(1).padStart(8)} ${r.p99.toFixed(1).padStart(8)} ${String(r.non2xx).padStart(8)}`;
process.stdout.write(
  `\n${'run'.padEnd(52)} ${'req/s'.padStart(8)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'non-2xx'.padStart(8)}\n`,
);
process.stdout.write(`${row(bareResult)}\n${row(ingressResult)}\n`);
process.stdout.write(
  `\ningress/bare: ${(ingressResult.rps / bareResult.rps).toFixed(2)} (target ≥ 0.35), ingress p99 ${ingressResult.p99.toFixed(1)} ms (target < 60), non-2xx ${ingressResult.non2xx} (target 0)\n`,
);
process.stdout.write(
  `events in the stream: ${stored} for ${ingressResult.total} accepted webhooks (tracing ${process.env.OTEL_SDK_DISABLED === 'false' ? 'on' : 'off'}; NATS ${process.env.NATS_URL ? 'from NATS_URL' : 'spawned for this run'})\n`,
);
