// biome-ignore-all lint/suspicious/noTemplateCurlyInString: stack.json placeholders are literal ${VAR} strings
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { freePort, portInUse, type RunningStack, startStack } from '../src/index.js';

// A tiny HTTP server: listens on the port named by argv[2] and answers /env with chosen variables
// and its pid; /crash makes it exit with code 3. argv[4] names a second port, where it accepts TCP
// (a gRPC port's stand-in).
const SERVER_JS = `
const http = require('node:http');
const net = require('node:net');
const port = Number(process.env[process.argv[2]]);
const delayMs = Number(process.argv[3] || 0);
console.log('booting on ' + port);
setTimeout(() => {
  http.createServer((req, res) => {
    if (req.url === '/crash') { console.log('crashing'); process.exit(3); }
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({
      A_URL: process.env.A_URL,
      GREETING: process.env.GREETING,
      A_GRPC_ADDRESS: process.env.A_GRPC_ADDRESS,
      pid: process.pid,
    }));
  }).listen(port, '127.0.0.1', () => console.log('listening on ' + port));
  if (process.argv[4]) net.createServer((socket) => socket.end()).listen(Number(process.env[process.argv[4]]), '127.0.0.1');
}, delayMs);
process.on('SIGTERM', () => { console.log('bye'); process.exit(0); });
`;

let dir: string;
let stack: RunningStack | undefined;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'reserveit-stack-test-'));
  await writeFile(join(dir, 'server.cjs'), SERVER_JS);
});

afterEach(async () => {
  await stack?.stop();
  stack = undefined;
  await rm(dir, { recursive: true, force: true });
});

async function writeStack(config: unknown): Promise<string> {
  const path = join(dir, 'stack.json');
  await writeFile(path, JSON.stringify(config, null, 2));
  return path;
}

function listen(port: number): Promise<Server> {
  const server = createServer();
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve(server)));
}

async function until(
  condition: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 15_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function pidOf(port: number): Promise<number> {
  return ((await (await fetch(`http://127.0.0.1:${port}/env`)).json()) as { pid: number }).pid;
}

const crash = (port: number) => fetch(`http://127.0.0.1:${port}/crash`).catch(() => undefined);

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('startStack', () => {
  it('starts processes in dependency order, passes exports on, and stops them all', async () => {
    const [portA, portB] = [await freePort(), await freePort()];
    const busy = await listen(portA); // the default for `a` is taken: the runner must move it
    try {
      const configPath = await writeStack({
        env: { GREETING: 'hello' },
        webhookUrl: 'http://127.0.0.1:${B_PORT}/webhooks/whatsapp',
        processes: [
          {
            name: 'b',
            command: 'exec node server.cjs B_PORT',
            ports: [{ env: 'B_PORT', default: portB }],
            env: { A_URL: '${A_URL}' },
            readiness: { http: 'http://127.0.0.1:${B_PORT}/env' },
            deps: ['a'],
            links: ['http://127.0.0.1:${B_PORT}/env'],
          },
          {
            name: 'a',
            command: 'exec node server.cjs A_PORT 300',
            ports: [{ env: 'A_PORT', default: portA }],
            exports: { A_URL: 'http://127.0.0.1:${A_PORT}' },
            readiness: { tcp: '${A_PORT}' },
          },
        ],
      });
      const events: string[] = [];
      const output: string[] = [];
      stack = await startStack({
        configPath,
        rootDir: dir,
        env: { PATH: process.env.PATH },
        onEvent: (m) => events.push(m),
        onOutput: (name, line) => output.push(`${name}: ${line}`),
      });

      expect(stack.processes.map((p) => p.name)).toEqual(['a', 'b']);
      const movedA = Number(stack.env.A_PORT);
      expect(movedA).not.toBe(portA);
      expect(events.some((e) => e.includes(`port ${portA} is busy`))).toBe(true);
      expect(stack.env.A_URL).toBe(`http://127.0.0.1:${movedA}`);
      expect(stack.webhookUrl).toBe(`http://127.0.0.1:${portB}/webhooks/whatsapp`);
      expect(stack.processes[1]?.links).toEqual([{ url: `http://127.0.0.1:${portB}/env` }]);

      const res = await fetch(`http://127.0.0.1:${portB}/env`);
      expect(await res.json()).toMatchObject({ A_URL: `http://127.0.0.1:${movedA}`, GREETING: 'hello' });
      expect(output).toContain(`a: listening on ${movedA}`);

      await stack.stop();
      stack = undefined;
      expect(await portInUse(portB)).toBe(false);
      expect(await portInUse(movedA)).toBe(false);
    } finally {
      busy.close();
    }
  });

  it('moves every busy port of a process and gives later processes addresses built from the ports chosen', async () => {
    const [httpA, grpcA, portB] = [await freePort(), await freePort(), await freePort()];
    const busy = [await listen(httpA), await listen(grpcA)];
    try {
      const configPath = await writeStack({
        processes: [
          {
            name: 'a',
            command: 'exec node server.cjs A_PORT 0 A_GRPC_PORT',
            ports: [
              { env: 'A_PORT', default: httpA },
              { env: 'A_GRPC_PORT', default: grpcA },
            ],
            exports: { A_GRPC_ADDRESS: '127.0.0.1:${A_GRPC_PORT}' },
            readiness: { tcp: '${A_GRPC_PORT}' },
          },
          {
            name: 'b',
            command: 'exec node server.cjs B_PORT',
            ports: [{ env: 'B_PORT', default: portB }],
            env: { A_GRPC_ADDRESS: '${A_GRPC_ADDRESS}' },
            readiness: { http: 'http://127.0.0.1:${B_PORT}/env' },
            deps: ['a'],
          },
        ],
      });
      const events: string[] = [];
      stack = await startStack({
        configPath,
        rootDir: dir,
        env: { PATH: process.env.PATH },
        onEvent: (m) => events.push(m),
      });
      const a = stack.processes[0]?.ports ?? {};
      expect(Object.keys(a)).toEqual(['A_PORT', 'A_GRPC_PORT']);
      expect(a.A_PORT).not.toBe(httpA);
      expect(a.A_GRPC_PORT).not.toBe(grpcA);
      expect(a.A_PORT).not.toBe(a.A_GRPC_PORT);
      expect(events).toContain(
        `a: port ${grpcA} is busy, using ${a.A_GRPC_PORT} instead (A_GRPC_PORT=${a.A_GRPC_PORT})`,
      );
      expect(stack.processes[1]?.ports).toEqual({ B_PORT: portB });
      expect(stack.processes[0]?.provides).toEqual({ A_GRPC_ADDRESS: `127.0.0.1:${a.A_GRPC_PORT}` });
      const res = await fetch(`http://127.0.0.1:${portB}/env`);
      expect(((await res.json()) as { A_GRPC_ADDRESS: string }).A_GRPC_ADDRESS).toBe(
        `127.0.0.1:${a.A_GRPC_PORT}`,
      );
      expect(await portInUse(a.A_GRPC_PORT ?? 0)).toBe(true);
    } finally {
      for (const server of busy) server.close();
    }
  });

  it('restarts a process that exits on its own after growing delays, on the same port, and says so', async () => {
    const port = await freePort();
    const configPath = await writeStack({
      processes: [
        {
          name: 'a',
          command: 'exec node server.cjs A_PORT',
          ports: [{ env: 'A_PORT', default: port }],
          readiness: { http: 'http://127.0.0.1:${A_PORT}/env' },
        },
      ],
    });
    const events: string[] = [];
    const output: string[] = [];
    stack = await startStack({
      configPath,
      rootDir: dir,
      env: { PATH: process.env.PATH },
      restartPolicy: { initialDelayMs: 200, maxDelayMs: 400, resetAfterMs: 60_000 },
      onEvent: (m) => events.push(m),
      onOutput: (_, line) => output.push(line),
    });
    const readyAgain = () => events.filter((e) => e === 'a is ready again').length;
    const first = await pidOf(port);

    await crash(port);
    await until(() => readyAgain() === 1, 'the first restart');
    const second = await pidOf(port);
    expect(second).not.toBe(first);

    process.kill(second, 'SIGKILL');
    await until(() => readyAgain() === 2, 'the second restart');
    const third = await pidOf(port);
    expect(alive(second)).toBe(false);

    expect(events.filter((e) => e.startsWith('a exited') || e.startsWith('a started again'))).toEqual([
      'a exited unexpectedly (code 3); restarting in 200 ms (restart 1)',
      `a started again (restart 1, pid ${second})`,
      'a exited unexpectedly (signal SIGKILL); restarting in 400 ms (restart 2)',
      `a started again (restart 2, pid ${third})`,
    ]);
    expect(output.filter((line) => line === `listening on ${port}`)).toHaveLength(3);
  });

  it('stops restarting once stopped: a crash during the delay is followed by nothing', async () => {
    const port = await freePort();
    const configPath = await writeStack({
      processes: [
        {
          name: 'a',
          command: 'exec node server.cjs A_PORT',
          ports: [{ env: 'A_PORT', default: port }],
          readiness: { http: 'http://127.0.0.1:${A_PORT}/env' },
        },
      ],
    });
    const events: string[] = [];
    stack = await startStack({
      configPath,
      rootDir: dir,
      env: { PATH: process.env.PATH },
      restartPolicy: { initialDelayMs: 300, maxDelayMs: 300, resetAfterMs: 60_000 },
      onEvent: (m) => events.push(m),
    });
    await crash(port);
    await until(() => events.some((e) => e.includes('restarting in 300 ms (restart 1)')), 'the crash');
    await stack.stop();
    stack = undefined;
    await new Promise((r) => setTimeout(r, 600));
    expect(events.some((e) => e.startsWith('a started again'))).toBe(false);
    expect(await portInUse(port)).toBe(false);
  });

  it('ends what a crashed process left running in its process group before starting it again', async () => {
    const port = await freePort();
    // bash keeps running beside its server; when bash is killed, the server still holds the port.
    const configPath = await writeStack({
      processes: [
        {
          name: 'a',
          command: 'node server.cjs A_PORT & wait',
          ports: [{ env: 'A_PORT', default: port }],
          readiness: { http: 'http://127.0.0.1:${A_PORT}/env' },
        },
      ],
    });
    const events: string[] = [];
    stack = await startStack({
      configPath,
      rootDir: dir,
      env: { PATH: process.env.PATH },
      restartPolicy: { initialDelayMs: 100, maxDelayMs: 100, resetAfterMs: 60_000 },
      onEvent: (m) => events.push(m),
    });
    const leftover = await pidOf(port);
    const bash = stack.processes[0]?.pid ?? 0;
    process.kill(bash, 'SIGKILL');
    await until(() => events.includes('a is ready again'), 'the restart');
    expect(alive(leftover)).toBe(false);
    expect(await pidOf(port)).not.toBe(leftover);
  });

  it('skips a process whose skipWhenEnv variable is set and uses that value', async () => {
    const portB = await freePort();
    const configPath = await writeStack({
      processes: [
        { name: 'a', command: 'exit 1', skipWhenEnv: 'A_URL', exports: { A_URL: 'never' } },
        {
          name: 'b',
          command: 'exec node server.cjs B_PORT',
          ports: [{ env: 'B_PORT', default: portB }],
          env: { A_URL: '${A_URL}' },
          readiness: { http: 'http://127.0.0.1:${B_PORT}/env' },
          deps: ['a'],
        },
      ],
    });
    stack = await startStack({
      configPath,
      rootDir: dir,
      env: { PATH: process.env.PATH, A_URL: 'nats://elsewhere:4222' },
    });
    expect(stack.processes.map((p) => [p.name, p.status])).toEqual([
      ['a', 'external'],
      ['b', 'started'],
    ]);
    const res = await fetch(`http://127.0.0.1:${portB}/env`);
    expect(((await res.json()) as { A_URL: string }).A_URL).toBe('nats://elsewhere:4222');
  });

  it('fails with the last log lines when a process dies before it is ready, and stops the others', async () => {
    const portA = await freePort();
    const configPath = await writeStack({
      processes: [
        {
          name: 'a',
          command: 'exec node server.cjs A_PORT',
          ports: [{ env: 'A_PORT', default: portA }],
          readiness: { tcp: '${A_PORT}' },
        },
        {
          name: 'broken',
          command: 'echo "config missing: FOO_URL"; exit 3',
          readiness: { http: 'http://127.0.0.1:1/readyz' },
          deps: ['a'],
        },
      ],
    });
    const failure = startStack({ configPath, rootDir: dir, env: { PATH: process.env.PATH } });
    await expect(failure).rejects.toThrow(
      /process "broken" did not become ready: .*exited \(code 3[\s\S]*config missing: FOO_URL/,
    );
    expect(await portInUse(portA)).toBe(false);
  });

  it('times out a process that never gets ready and names it', async () => {
    const configPath = await writeStack({
      processes: [
        {
          name: 'slow',
          command: 'echo waiting; sleep 30',
          readiness: { tcp: await freePort() },
          readinessTimeoutMs: 500,
        },
      ],
    });
    await expect(startStack({ configPath, rootDir: dir, env: { PATH: process.env.PATH } })).rejects.toThrow(
      /process "slow" did not become ready: nothing answered[\s\S]*waiting/,
    );
  });

  it('rejects a stack file with an unknown dependency, naming the file', async () => {
    const configPath = await writeStack({ processes: [{ name: 'a', command: 'true', deps: ['ghost'] }] });
    await expect(startStack({ configPath, rootDir: dir })).rejects.toThrow(
      /invalid stack file .*stack\.json[\s\S]*ghost/,
    );
  });
});
