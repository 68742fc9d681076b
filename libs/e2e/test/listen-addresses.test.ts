import { join } from 'node:path';
import { findRepoRoot, freePort } from '@reserveit/localstack';
import { type TestDatabase, type TestNats, useDatabase, useNats } from '@reserveit/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ServiceProcess } from '../src/service-process.js';
import { listeningSocketsOf, parseListening } from './listening-sockets.js';

const root = findRepoRoot();

/** Each service process, the variables of the ports it listens on (the first serves /healthz), and what else it needs. */
const SERVICES = [
  { name: 'ingress', ports: ['INGRESS_PORT'], env: {} },
  { name: 'intent', ports: ['INTENT_HTTP_PORT', 'INTENT_GRPC_PORT'], env: {} },
  { name: 'reservation', ports: ['RESERVATION_HTTP_PORT', 'RESERVATION_GRPC_PORT'], env: {} },
  { name: 'conversation', ports: ['CONVERSATION_HTTP_PORT', 'CONVERSATION_GRPC_PORT'], env: {} },
  { name: 'sender', ports: ['SENDER_HTTP_PORT'], env: { SENDER_DRY_RUN: 'true' } },
  { name: 'console', ports: ['CONSOLE_PORT'], env: {} },
] as const;

let nats: TestNats;
let db: TestDatabase;

beforeAll(async () => {
  nats = await useNats();
  db = await useDatabase();
});

afterAll(async () => {
  await nats.cleanup();
  await db.drop();
});

interface Started {
  sockets: { address: string; port: number }[];
  ports: number[];
  /** The startup line's message and fields, as logged. */
  startup: string;
}

/** Starts the service with its own env only (no *_HOST), waits for /healthz and its startup line, stops it. */
async function startWithDefaults(
  service: (typeof SERVICES)[number],
  extra: Record<string, string> = {},
): Promise<Started> {
  const ports = await Promise.all(service.ports.map(() => freePort()));
  const lines: string[] = [];
  const child = new ServiceProcess({
    name: service.name,
    main: join(root, 'services', service.name, 'dist', 'main.js'),
    cwd: root,
    env: {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'test',
      LOG_LEVEL: 'info',
      OTEL_SDK_DISABLED: 'true',
      NATS_URL: nats.url,
      NATS_PREFIX: nats.prefix,
      DATABASE_URL: db.url,
      ...Object.fromEntries(service.ports.map((name, i) => [name, String(ports[i])])),
      ...service.env,
      ...extra,
    },
    // Reached on loopback, where the default binds; a wider bind answers there too and fails below.
    readyUrl: `http://127.0.0.1:${ports[0]}/healthz`,
    readyTimeoutMs: 60_000,
    onOutput: (_, line) => lines.push(line),
  });
  try {
    await child.start();
    const startupLine = async (): Promise<string> => {
      for (let waited = 0; waited < 10_000; waited += 50) {
        const line = lines.find((l) => l.includes(`"msg":"${service.name} `) && l.includes(' on '));
        if (line) return line;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      throw new Error(`${service.name} logged no startup line:\n${child.output()}`);
    };
    const startup = await startupLine();
    const pid = child.pid;
    if (pid === undefined) throw new Error(`${service.name} has no pid`);
    return { sockets: listeningSocketsOf(pid), ports, startup };
  } finally {
    await child.kill('SIGTERM');
  }
}

describe('every service listens on loopback unless told otherwise', () => {
  it.each(SERVICES)(
    '$name opens its listening sockets on 127.0.0.1 only, and its startup line says so',
    async (service) => {
      const { sockets, ports, startup } = await startWithDefaults(service);
      expect(sockets.map((s) => s.port).sort()).toEqual([...ports].sort());
      for (const socket of sockets)
        expect(socket.address, `${service.name} :${socket.port}`).toBe('127.0.0.1');
      for (const port of ports) expect(startup).toContain(`127.0.0.1:${port}`);
      expect(startup).not.toContain('0.0.0.0');
    },
    90_000,
  );

  it('binds all interfaces when the container says so, and logs 0.0.0.0 rather than the loopback it is also reachable on', async () => {
    const intent = SERVICES[1];
    const { sockets, ports, startup } = await startWithDefaults(intent, { INTENT_HOST: '0.0.0.0' });
    expect(sockets.map((s) => s.address)).toEqual(['0.0.0.0', '0.0.0.0']);
    for (const port of ports) expect(startup).toContain(`0.0.0.0:${port}`);
    expect(startup).not.toContain('127.0.0.1');
  }, 90_000);
});

describe('reading /proc/net/tcp', () => {
  it('decodes LISTEN rows of IPv4 and IPv6 tables and skips the others', () => {
    const header =
      '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode';
    const v4 = [
      header,
      '   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 111 1 0',
      '   1: 00000000:C383 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 222 1 0',
      '   2: 0100007F:1F90 0100007F:D2F0 01 00000000:00000000 00:00000000 00000000  1000        0 333 1 0',
    ].join('\n');
    const v6 = [
      header,
      '   0: 00000000000000000000000001000000:1F91 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 444 1 0',
    ].join('\n');
    expect([...parseListening(v4)]).toEqual([
      ['111', { address: '127.0.0.1', port: 8080 }],
      ['222', { address: '0.0.0.0', port: 50051 }],
    ]);
    expect([...parseListening(v6)]).toEqual([['444', { address: '0:0:0:0:0:0:0:1', port: 8081 }]]);
  });
});
