import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type DevCertificates,
  ensureDevCertificates,
  type NatsServer,
  startNatsServer,
} from '@reserveit/localstack';
import { newTestPrefix } from '@reserveit/testkit';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runOps } from './ops-process.js';

// reserveit-ops against a NATS that takes TLS clients only (NATS_TLS_CA_FILE, issue 16).
let dir: string;
let certs: DevCertificates;
let nats: NatsServer;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'reserveit-ops-tls-'));
  certs = await ensureDevCertificates(join(dir, 'certs'));
  nats = await startNatsServer({ tls: { certFile: certs.certFile, keyFile: certs.keyFile } });
});
afterAll(async () => {
  await nats?.stop();
  await rm(dir, { recursive: true, force: true });
});

it('reads the streams with NATS_TLS_CA_FILE, and says it cannot reach NATS without it', async () => {
  const env = { NATS_URL: nats.url, NATS_PREFIX: newTestPrefix(), LOCAL_STACK_FILE: join(dir, 'none.json') };
  const run = await runOps(['streams', '--json'], { ...env, NATS_TLS_CA_FILE: certs.caFile });
  expect(run.code, run.stderr).toBe(0);
  expect(JSON.parse(run.stdout)).toMatchObject({ lagging: [] });

  const plaintext = await runOps(['streams', '--json'], { ...env, NATS_TLS_CA_FILE: '' });
  expect(plaintext.code).not.toBe(0);
  expect(plaintext.stderr).toMatch(/cannot reach NATS at .*unable to verify the first certificate/);
});
