// biome-ignore-all lint/suspicious/noTemplateCurlyInString: stack.json placeholders are literal ${VAR} strings
import { join } from 'node:path';
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
