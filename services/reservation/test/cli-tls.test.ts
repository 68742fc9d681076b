import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type DevCertificates, ensureDevCertificates, writeRunningStack } from '@reserveit/localstack';
import { runNodeScript, type TestDatabase, type TestNats, useDatabase, useNats } from '@reserveit/testkit';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { RunningReservation } from '../src/server.js';
import { reservationUnderTest } from './reservation-under-test.js';

const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const SEED = fileURLToPath(new URL('../../../deploy/local/seed.json', import.meta.url));

// `reserveit-stack up --tls` records the CA; the CLI finds it there as it finds the address.
let nats: TestNats;
let database: TestDatabase;
let service: RunningReservation;
let dir: string;
let certs: DevCertificates;

beforeAll(async () => {
  nats = await useNats();
  database = await useDatabase();
  dir = await mkdtemp(join(tmpdir(), 'reserveit-business-cli-tls-'));
  certs = await ensureDevCertificates(join(dir, 'certs'));
  service = await reservationUnderTest(nats.url, nats.prefix, database.url, {
    RESERVATION_SEED_FILE: SEED,
    GRPC_TLS_CERT_FILE: certs.certFile,
    GRPC_TLS_KEY_FILE: certs.keyFile,
  });
});
afterAll(async () => {
  await service?.close(2_000);
  await nats?.cleanup();
  await database?.drop();
  await rm(dir, { recursive: true, force: true });
});

const record = (name: string, env: Record<string, string>) => {
  const path = join(dir, name);
  writeRunningStack(path, { pid: process.pid, startedAt: new Date().toISOString(), env });
  return path;
};

it("trusts the running stack's CA for a TLS reservation service, and fails without it", async () => {
  const withCa = record('with-ca.json', {
    RESERVATION_GRPC_ADDRESS: service.grpcAddress,
    GRPC_TLS_CA_FILE: certs.caFile,
  });
  const listed = await runNodeScript(CLI, ['list'], {
    LOCAL_STACK_FILE: withCa,
    RESERVATION_GRPC_ADDRESS: '',
    GRPC_TLS_CA_FILE: '',
  });
  expect(listed.code, listed.stderr).toBe(0);
  expect(listed.stdout).toContain('demo-dubai\tAl Fanar Demo Kitchen');

  const withoutCa = record('without-ca.json', { RESERVATION_GRPC_ADDRESS: service.grpcAddress });
  const refused = await runNodeScript(CLI, ['list'], {
    LOCAL_STACK_FILE: withoutCa,
    RESERVATION_GRPC_ADDRESS: '',
    GRPC_TLS_CA_FILE: '',
  });
  expect(refused.code).toBe(1);
  expect(refused.stderr).toContain(`reservation.v1 at ${service.grpcAddress} did not answer`);
});
