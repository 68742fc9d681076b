// biome-ignore-all lint/suspicious/noTemplateCurlyInString: stack.json placeholders are literal ${VAR} strings
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEV_NATS_PASSWORDS } from '@reserveit/config';
import { NATS_USERS, natsPasswordVariable } from '@reserveit/contracts';
import { expect, it } from 'vitest';
import { findRepoRoot, loadStackConfig, startOrder } from '../src/index.js';

const root = findRepoRoot(import.meta.dirname);

it('deploy/local/stack.json is valid and starts nats and postgres before ingress', () => {
  const config = loadStackConfig(join(root, 'deploy/local/stack.json'));
  const order = startOrder(config.processes).map((p) => p.name);
  expect(order.indexOf('nats')).toBeLessThan(order.indexOf('ingress'));
  expect(order.indexOf('postgres')).toBeLessThan(order.indexOf('ingress'));
  const byName = new Map(config.processes.map((p) => [p.name, p]));
  expect(byName.get('nats')?.skipWhenEnv).toBe('NATS_URL');
  expect(byName.get('postgres')?.skipWhenEnv).toBe('DATABASE_URL');
  expect(byName.get('ingress')?.readiness).toEqual({ http: 'http://127.0.0.1:${INGRESS_PORT}/readyz' });
});

it('runs every service as its package start script does, with node and no pnpm wrapper', () => {
  const config = loadStackConfig(join(root, 'deploy/local/stack.json'));
  const services = config.processes.filter((p) => p.labels.includes('services'));
  expect(services.map((p) => p.name).sort()).toEqual([
    'console',
    'conversation',
    'ingress',
    'intent',
    'reservation',
    'scheduler',
    'sender',
  ]);
  for (const p of services) {
    const manifest = JSON.parse(readFileSync(join(root, 'services', p.name, 'package.json'), 'utf8')) as {
      scripts: { start: string };
    };
    // `node [flags] dist/main.js` from the package directory = `node [flags] services/<name>/dist/main.js` from the root.
    const start = manifest.scripts.start.replace(/ dist\//, ` services/${p.name}/dist/`);
    expect(p.command, p.name).toBe(`exec ${start}`);
  }
});

it('declares every listening port as movable and builds every gRPC address from a chosen port', () => {
  const config = loadStackConfig(join(root, 'deploy/local/stack.json'));
  const portVars = new Set(config.processes.flatMap((p) => p.ports.map((spec) => spec.env)));
  for (const name of ['INTENT_GRPC_PORT', 'RESERVATION_GRPC_PORT', 'CONVERSATION_GRPC_PORT', 'INGRESS_PORT'])
    expect(portVars.has(name), name).toBe(true);
  for (const p of config.processes) {
    for (const [key, value] of Object.entries(p.env)) {
      expect(/_PORT$/.test(key) && /^\d+$/.test(value), `${p.name} pins ${key}=${value}`).toBe(false);
      if (/_ADDRESS$/.test(key)) expect(value, `${p.name} ${key}`).toMatch(/\$\{[A-Z_]+\}/);
    }
  }
  const conversation = config.processes.find((p) => p.name === 'conversation');
  expect(conversation?.env).toMatchObject({
    INTENT_GRPC_ADDRESS: '${INTENT_GRPC_ADDRESS}',
    RESERVATION_GRPC_ADDRESS: '${RESERVATION_GRPC_ADDRESS}',
  });
  const exported = Object.assign({}, ...config.processes.map((p) => p.exports)) as Record<string, string>;
  expect(exported.INTENT_GRPC_ADDRESS).toBe('127.0.0.1:${INTENT_GRPC_PORT}');
  expect(exported.RESERVATION_GRPC_ADDRESS).toBe('127.0.0.1:${RESERVATION_GRPC_PORT}');
});

it("runs nats-server with the users of deploy/nats/users.conf and every service's development password", () => {
  const config = loadStackConfig(join(root, 'deploy/local/stack.json'));
  const nats = config.processes.find((p) => p.name === 'nats');
  expect(nats?.command).toContain('-c deploy/nats/single.conf');
  expect(readFileSync(join(root, 'deploy/nats/single.conf'), 'utf8')).toMatch(/^include \.\/users\.conf$/m);
  // The services leave NATS_USER and NATS_PASSWORD unset: their own name and development password.
  expect(nats?.env).toEqual(
    Object.fromEntries(NATS_USERS.map((user) => [natsPasswordVariable(user), DEV_NATS_PASSWORDS[user]])),
  );
  for (const p of config.processes) expect(Object.keys(p.env), p.name).not.toContain('NATS_PASSWORD');
});
