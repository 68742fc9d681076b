// biome-ignore-all lint/suspicious/noTemplateCurlyInString: stack.json placeholders are literal ${VAR} strings
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findRepoRoot, freePort, type NatsServer, portInUse, startNatsServer } from '../src/index.js';

const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const INGRESS = join(findRepoRoot(import.meta.dirname), 'services/ingress/dist/main.js');

/** The bin with `env` over this process's environment; resolves when it exits. */
function runCli(args: string[], env: Record<string, string>) {
  const child = spawn(process.execPath, [CLI, ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.once('close', (code) => resolve({ code, stdout, stderr })),
  );
}

async function until(condition: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The runner's only child: `bash -c "exec node …"` became the service itself. */
const serviceUnder = (runner: number) =>
  Number(execFileSync('pgrep', ['-P', String(runner)], { encoding: 'utf8' }).trim());

describe('reserveit-stack up (the bin, as a child process, running the real ingress)', () => {
  let nats: NatsServer;
  let dir: string;
  let up: ChildProcess | undefined;
  let busy: Server | undefined;

  beforeAll(async () => {
    nats = await startNatsServer();
    dir = await mkdtemp(join(tmpdir(), 'reserveit-up-test-'));
  });

  afterAll(async () => {
    if (up && up.exitCode === null) up.kill('SIGKILL');
    busy?.close();
    await nats?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('records where it listens, restarts a killed service on its port, lets `send` find it, and removes the record on Ctrl-C', async () => {
    const defaultPort = await freePort();
    busy = createServer();
    await new Promise<void>((resolve) => busy?.listen(defaultPort, '127.0.0.1', () => resolve()));
    const configPath = join(dir, 'stack.json');
    await writeFile(
      configPath,
      JSON.stringify({
        webhookUrl: 'http://127.0.0.1:${INGRESS_PORT}/webhooks/whatsapp',
        processes: [
          {
            name: 'ingress',
            command: `exec node ${INGRESS}`,
            ports: [{ env: 'INGRESS_PORT', default: defaultPort }],
            readiness: { http: 'http://127.0.0.1:${INGRESS_PORT}/readyz' },
          },
        ],
      }),
    );
    const record = join(dir, 'running-stack.json');
    const { INGRESS_PORT: _, ...parent } = process.env;
    const env = {
      ...parent,
      NATS_URL: nats.url,
      LOCAL_STACK_FILE: record,
      OTEL_SDK_DISABLED: 'true',
      LOG_LEVEL: 'warn',
    };
    const runner = spawn(process.execPath, [CLI, 'up', '--config', configPath, '--root', dir], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    up = runner;
    let output = '';
    runner.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    runner.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    const exited = new Promise<number | null>((resolve) => runner.once('exit', (code) => resolve(code)));
    await until(() => output.includes('Ctrl-C stops everything'), 'the startup summary');

    const written = JSON.parse(readFileSync(record, 'utf8')) as { pid: number; env: Record<string, string> };
    expect(written.pid).toBe(runner.pid);
    const port = Number(written.env.INGRESS_PORT);
    expect(port).not.toBe(defaultPort);
    expect(output).toMatch(new RegExp(`ingress\\s+started\\s+INGRESS_PORT=${port}`));

    const sendEnv = { LOCAL_STACK_FILE: record, INGRESS_PORT: '' };
    const sent = await runCli(['send', 'Hi, a table for 2 tomorrow at 8pm'], sendEnv);
    expect(sent.stdout).toContain(`POST http://127.0.0.1:${port}/webhooks/whatsapp -> 200`);
    expect(sent.stdout).toMatch(/pnpm ops trace wamid\.\S+\n$/);
    expect(sent.stderr).toContain(`local stack (pid ${runner.pid}`);
    expect(sent.stderr).toContain(`INGRESS_PORT=${port}`);

    const first = serviceUnder(runner.pid ?? 0);
    process.kill(first, 'SIGKILL');
    await until(() => output.includes('ingress is ready again'), 'the restart');
    expect(output).toContain('ingress exited unexpectedly (signal SIGKILL); restarting in 1 s (restart 1)');
    const second = serviceUnder(runner.pid ?? 0);
    expect(second).not.toBe(first);
    const again = await runCli(['send', 'Still there?'], sendEnv);
    expect(again.stdout).toContain(`POST http://127.0.0.1:${port}/webhooks/whatsapp -> 200`);

    runner.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(existsSync(record)).toBe(false);
    expect(alive(second)).toBe(false);
    expect(await portInUse(port)).toBe(false);
    expect(output).not.toContain('ERR_PNPM');
  });

  it('answers --help and -h for itself and every command with usage and exit 0', async () => {
    const asks = [
      ['--help'],
      ['-h'],
      ['up', '--help'],
      ['send', '--help'],
      ['send', '-h'],
      ['postgres', '-h'],
      ['certs', '--help'],
    ];
    const runs = await Promise.all(asks.map((args) => runCli(args, {})));
    runs.forEach((run, i) => {
      const what = asks[i]?.join(' ');
      expect(run.code, what).toBe(0);
      expect(run.stdout, what).toMatch(/^usage: reserveit-stack /);
    });
    const unknown = await runCli(['start'], {});
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown command "start"');
  });
});
