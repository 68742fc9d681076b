// biome-ignore-all lint/suspicious/noTemplateCurlyInString: stack.json placeholders are literal ${VAR} strings
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { freePort, portInUse, type RunningStack, startStack } from '../src/index.js';

// A tiny HTTP server: listens on the port named by argv[2] and answers /env with chosen variables.
const SERVER_JS = `
const http = require('node:http');
const port = Number(process.env[process.argv[2]]);
const delayMs = Number(process.argv[3] || 0);
console.log('booting on ' + port);
setTimeout(() => {
  http.createServer((req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ A_URL: process.env.A_URL, GREETING: process.env.GREETING }));
  }).listen(port, '127.0.0.1', () => console.log('listening on ' + port));
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
            port: { env: 'B_PORT', default: portB },
            env: { A_URL: '${A_URL}' },
            readiness: { http: 'http://127.0.0.1:${B_PORT}/env' },
            deps: ['a'],
            links: ['http://127.0.0.1:${B_PORT}/env'],
          },
          {
            name: 'a',
            command: 'exec node server.cjs A_PORT 300',
            port: { env: 'A_PORT', default: portA },
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
      expect(await res.json()).toEqual({ A_URL: `http://127.0.0.1:${movedA}`, GREETING: 'hello' });
      expect(output).toContain(`a: listening on ${movedA}`);

      await stack.stop();
      stack = undefined;
      expect(await portInUse(portB)).toBe(false);
      expect(await portInUse(movedA)).toBe(false);
    } finally {
      busy.close();
    }
  });

  it('skips a process whose skipWhenEnv variable is set and uses that value', async () => {
    const portB = await freePort();
    const configPath = await writeStack({
      processes: [
        { name: 'a', command: 'exit 1', skipWhenEnv: 'A_URL', exports: { A_URL: 'never' } },
        {
          name: 'b',
          command: 'exec node server.cjs B_PORT',
          port: { env: 'B_PORT', default: portB },
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
          port: { env: 'A_PORT', default: portA },
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
