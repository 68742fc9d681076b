import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { topology as makeTopology } from '@reserveit/contracts';
import { writeRunningStack } from '@reserveit/localstack';
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
    for (const spec of [
      makeTopology(nats.prefix).streams.outbound,
      makeTopology(nats.prefix).streams.whatsapp,
    ])
      await ensureStream(nats.jsm, spec, { replicas: 1 });
    dir = await mkdtemp(join(tmpdir(), 'reserveit-ops-stack-'));
    record = join(dir, 'running-stack.json');
    // What `reserveit-stack up` writes; this test process plays the runner, so the record is live.
    writeRunningStack(record, {
      pid: process.pid,
      startedAt: new Date().toISOString(),
      env: {
        NATS_URL: nats.url,
        DATABASE_URL: 'postgres://postgres:postgres@127.0.0.1:1/postgres',
        // Nothing listens there: trace says so.
        CONVERSATION_GRPC_ADDRESS: '127.0.0.1:1',
      },
    });
  });

  afterAll(async () => {
    await nats?.cleanup();
    await rm(dir, { recursive: true, force: true });
  });

  /** The environment sets none of what the stack provides: ops takes the record's. */
  const fromStack = () => ({
    LOCAL_STACK_FILE: record,
    NATS_URL: '',
    DATABASE_URL: '',
    CONVERSATION_GRPC_ADDRESS: '',
    NATS_PREFIX: nats.prefix,
  });

  it("uses the stack's NATS_URL when the environment sets none, and says so on stderr", async () => {
    const run = await runOps(['streams', '--json'], fromStack());
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

  it("asks the stack's conversation service in trace, and names it when it does not answer", async () => {
    const run = await runOps(['trace', 'wamid.NOWHERE'], fromStack());
    expect(run.stderr).toContain('CONVERSATION_GRPC_ADDRESS=127.0.0.1:1');
    expect(run.stderr).toContain('conversation.v1 at 127.0.0.1:1 did not answer');
    expect(run.stderr).toContain('no inbound message with Nats-Msg-Id wamid.NOWHERE');
    expect(run.code).toBe(1);
  });

  it('names no service API for a command that asks none', async () => {
    const run = await runOps(['streams', '--json'], fromStack());
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).not.toContain('CONVERSATION_GRPC_ADDRESS');
  });

  it('lets an explicit NATS_URL win over the running stack', async () => {
    const run = await runOps(['streams'], { LOCAL_STACK_FILE: record, NATS_URL: 'nats://127.0.0.1:1' });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('from the environment: NATS_URL=nats://127.0.0.1:1');
    expect(run.stderr).toContain('cannot reach NATS at nats://127.0.0.1:1');
  });
});
