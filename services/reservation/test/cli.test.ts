import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeRunningStack } from '@reserveit/localstack';
import { runNodeScript, type TestDatabase, type TestNats, useDatabase, useNats } from '@reserveit/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningReservation } from '../src/server.js';
import { reservationUnderTest } from './reservation-under-test.js';

const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const SEED = fileURLToPath(new URL('../../../deploy/local/seed.json', import.meta.url));

describe('reserveit-business (the bin, as a child process, against a real reservation service)', () => {
  let nats: TestNats;
  let database: TestDatabase;
  let service: RunningReservation;
  let dir: string;
  let record: string;

  beforeAll(async () => {
    nats = await useNats();
    database = await useDatabase();
    service = await reservationUnderTest(nats.url, nats.prefix, database.url, {
      RESERVATION_SEED_FILE: SEED,
    });
    dir = await mkdtemp(join(tmpdir(), 'reserveit-business-cli-'));
    record = join(dir, 'running-stack.json');
    // What `reserveit-stack up` writes; this test process plays the runner, so the record is live.
    writeRunningStack(record, {
      pid: process.pid,
      startedAt: new Date().toISOString(),
      env: { RESERVATION_GRPC_ADDRESS: service.grpcAddress },
    });
  });

  afterAll(async () => {
    await service?.close(2_000);
    await nats?.cleanup();
    await database?.drop();
    await rm(dir, { recursive: true, force: true });
  });

  it("talks to the running local stack's reservation service when no address is given, and says so", async () => {
    const run = await runNodeScript(CLI, ['list'], {
      LOCAL_STACK_FILE: record,
      RESERVATION_GRPC_ADDRESS: '',
    });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('demo-dubai\tAl Fanar Demo Kitchen');
    expect(run.stderr).toContain(`reserveit-business: local stack (pid ${process.pid}, `);
    expect(run.stderr).toContain(`RESERVATION_GRPC_ADDRESS=${service.grpcAddress}`);
  });

  it('prefers --address and RESERVATION_GRPC_ADDRESS over the running stack', async () => {
    const byEnv = await runNodeScript(CLI, ['list'], {
      LOCAL_STACK_FILE: record,
      RESERVATION_GRPC_ADDRESS: '127.0.0.1:1',
    });
    expect(byEnv.code).toBe(1);
    expect(byEnv.stderr).toContain('reservation.v1 at 127.0.0.1:1 did not answer');
    expect(byEnv.stderr).not.toContain('local stack');
    const byFlag = await runNodeScript(CLI, ['list', '--address', '127.0.0.1:1'], {
      LOCAL_STACK_FILE: record,
    });
    expect(byFlag.code).toBe(1);
    expect(byFlag.stderr).toContain('reservation.v1 at 127.0.0.1:1 did not answer');
    expect(byFlag.stderr).not.toContain('local stack');
  });

  it('sets, prints and clears the booking Flow id, and refuses one that is not a number', async () => {
    const env = { RESERVATION_GRPC_ADDRESS: service.grpcAddress, LOCAL_STACK_FILE: record };
    const run = (...args: string[]) => runNodeScript(CLI, ['flow', 'demo-dubai', ...args], env);
    const set = await run('--set', '1187654321098765');
    expect(set.code, set.stderr).toBe(0);
    expect(set.stdout).toBe('booking Flow 1187654321098765\n');
    const bad = await run('--set', 'my-flow');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('invalid input');
    const cleared = await run('--clear');
    expect(cleared.code, cleared.stderr).toBe(0);
    expect(cleared.stdout).toBe('no booking Flow\n');
  });

  it('answers --help and -h, alone or after a command, with usage and exit 0', async () => {
    const runs = await Promise.all(
      [['--help'], ['-h'], ['menu', '--help'], ['hours', '-h']].map((args) => runNodeScript(CLI, args, {})),
    );
    for (const run of runs) {
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/^usage: reserveit-business /);
    }
  });
});
