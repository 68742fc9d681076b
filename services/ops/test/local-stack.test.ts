import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { topology as makeTopology } from '@reserveit/contracts';
import { ensureStream } from '@reserveit/messaging';
import { type TestNats, useNats } from '@reserveit/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runOps } from './ops-process.js';

describe('reserveit-ops finds the running local stack (the bin, as a child process)', () => {
  let nats: TestNats;
  let dir: string;
  let record: string;

  beforeAll(async () => {
    nats = await useNats();
    await ensureStream(nats.jsm, makeTopology(nats.prefix).streams.outbound, { replicas: 1 });
    dir = await mkdtemp(join(tmpdir(), 'reserveit-ops-stack-'));
    record = join(dir, 'running-stack.json');
    // What `reserveit-stack up` writes; this test process plays the runner, so the record is live.
    await writeFile(
      record,
      JSON.stringify({
        pid: process.pid,
        startedAt: new Date().toISOString(),
        env: { NATS_URL: nats.url, DATABASE_URL: 'postgres://postgres:postgres@127.0.0.1:1/postgres' },
      }),
    );
  });

  afterAll(async () => {
    await nats?.cleanup();
    await rm(dir, { recursive: true, force: true });
  });

  it("uses the stack's NATS_URL when the environment sets none, and says so on stderr", async () => {
    const run = await runOps(['streams', '--json'], {
      LOCAL_STACK_FILE: record,
      NATS_URL: '',
      DATABASE_URL: '',
      NATS_PREFIX: nats.prefix,
    });
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout) as { streams: { name: string; exists: boolean }[] };
    expect(report.streams).toContainEqual(
      expect.objectContaining({ name: makeTopology(nats.prefix).streams.outbound.name, exists: true }),
    );
    expect(run.stderr).toContain(`reserveit-ops: local stack (pid ${process.pid}, `);
    expect(run.stderr).toContain(`NATS_URL=${nats.url}`);
    expect(run.stderr).toContain('DATABASE_URL=postgres://postgres:****@127.0.0.1:1/postgres');
    expect(run.stderr).not.toContain('postgres:postgres@');
  });

  it('lets an explicit NATS_URL win over the running stack', async () => {
    const run = await runOps(['streams'], { LOCAL_STACK_FILE: record, NATS_URL: 'nats://127.0.0.1:1' });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('from the environment: NATS_URL=nats://127.0.0.1:1');
    expect(run.stderr).toContain('cannot reach NATS at nats://127.0.0.1:1');
  });
});
