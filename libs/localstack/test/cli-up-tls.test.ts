// biome-ignore-all lint/suspicious/noTemplateCurlyInString: stack.json placeholders are literal ${VAR} strings
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { connect } from '@nats-io/transport-node';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { findRepoRoot, freePort, loadStackConfig } from '../src/index.js';

const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const ROOT = findRepoRoot(import.meta.dirname);
const INGRESS = join(ROOT, 'services/ingress/dist/main.js');

async function until(condition: () => boolean, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'reserveit-up-tls-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

it('up --tls makes development certificates, runs the real nats process with TLS and a service trusting it, and records the CA for the CLIs', async () => {
  // deploy/local/stack.json's own nats command, its config file found from the test's root.
  const nats = loadStackConfig(join(ROOT, 'deploy/local/stack.json')).processes.find(
    (p) => p.name === 'nats',
  );
  if (!nats) throw new Error('deploy/local/stack.json has no nats process');
  // Free ports rather than 4222/8080, which other stacks on the machine may be taking right now.
  const natsPort = await freePort();
  const ingressPort = await freePort(new Set([natsPort]));
  const configPath = join(dir, 'stack.json');
  await writeFile(
    configPath,
    JSON.stringify({
      webhookUrl: 'http://127.0.0.1:${INGRESS_PORT}/webhooks/whatsapp',
      processes: [
        {
          name: 'nats',
          command: nats.command.replace('deploy/nats/single.conf', join(ROOT, 'deploy/nats/single.conf')),
          // Its users' development passwords, as deploy/local/stack.json gives them.
          env: nats.env,
          ports: [{ env: 'NATS_PORT', default: natsPort }],
          exports: { NATS_URL: 'nats://127.0.0.1:${NATS_PORT}' },
          readiness: { tcp: '${NATS_PORT}' },
        },
        {
          name: 'ingress',
          command: `exec node ${INGRESS}`,
          ports: [{ env: 'INGRESS_PORT', default: ingressPort }],
          env: { NATS_URL: '${NATS_URL}' },
          readiness: { http: 'http://127.0.0.1:${INGRESS_PORT}/readyz' },
          deps: ['nats'],
        },
      ],
    }),
  );
  const record = join(dir, 'running-stack.json');
  const { NATS_URL: _, INGRESS_PORT: __, NATS_PORT: ___, ...parent } = process.env;
  const runner = spawn(process.execPath, [CLI, 'up', '--tls', '--config', configPath, '--root', dir], {
    env: { ...parent, LOCAL_STACK_FILE: record, OTEL_SDK_DISABLED: 'true', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  runner.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  runner.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => runner.once('exit', (code) => resolve(code)));
  try {
    await until(
      () => output.includes('Ctrl-C stops everything') || runner.exitCode !== null,
      'the startup summary',
    );
    expect(runner.exitCode, output).toBeNull();
    expect(output).toContain('TLS on: development CA');
    const written = JSON.parse(readFileSync(record, 'utf8')) as { env: Record<string, string> };
    const caFile = join(dir, '.local/certs/ca.pem');
    expect(written.env).toMatchObject({ GRPC_TLS_CA_FILE: caFile, NATS_TLS_CA_FILE: caFile });
    expect((await stat(join(dir, '.local/certs/server-key.pem'))).mode & 0o777).toBe(0o600);

    const url = written.env.NATS_URL ?? '';
    const nc = await connect({
      servers: url,
      tls: { caFile },
      user: 'ops',
      pass: nats.env.NATS_PASSWORD_OPS ?? '',
      inboxPrefix: '_INBOX.ops',
    });
    expect(nc.info?.tls_required).toBe(true);
    await nc.close();
    await expect(connect({ servers: url, reconnect: false })).rejects.toThrow(
      /unable to verify the first certificate/,
    );

    const sent = spawn(process.execPath, [CLI, 'send', 'Hi over TLS'], {
      env: { ...parent, LOCAL_STACK_FILE: record },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let sendOutput = '';
    sent.stdout.on('data', (chunk: Buffer) => {
      sendOutput += chunk.toString();
    });
    await new Promise((resolve) => sent.once('close', resolve));
    expect(sendOutput).toContain('-> 200');
  } finally {
    // Asserted after, so a failure above is the one reported.
    if (runner.exitCode === null) runner.kill('SIGINT');
    await exited;
  }
  expect(runner.exitCode, output).toBe(0);
  expect(existsSync(record)).toBe(false);
}, 120_000);
