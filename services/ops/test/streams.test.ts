import { AckPolicy } from '@nats-io/jetstream';
import { topology as makeTopology, type Topology } from '@reserveit/contracts';
import { ensureStream } from '@reserveit/messaging';
import { type TestNatsWithUsers, useNatsWithUsers } from '@reserveit/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runOps } from './ops-process.js';

describe('reserveit-ops streams (the bin, as a child process)', () => {
  let nats: TestNatsWithUsers;
  let topology: Topology;
  let env: Record<string, string>;

  beforeAll(async () => {
    // A server with the users of this prefix: the CLI runs as the ops user, under its allow-lists.
    nats = await useNatsWithUsers();
    topology = makeTopology(nats.prefix);
    await ensureStream(nats.jsm, topology.streams.outbound, { replicas: 1 });
    for (let i = 0; i < 5; i++) {
      await nats.js.publish(topology.subjects.outboundCommand('100', `9715000000${i}`), '{}', {
        msgID: `c${i}`,
      });
    }
    await nats.jsm.consumers.add(topology.streams.outbound.name, {
      durable_name: 'sender-commands',
      ack_policy: AckPolicy.Explicit,
      filter_subject: topology.subjects.outboundCommandAll,
    });
    await nats.jsm.consumers.add(topology.streams.outbound.name, {
      durable_name: 'sender-reads',
      ack_policy: AckPolicy.Explicit,
      filter_subject: topology.subjects.outboundReadAll,
    });
    await nats.jsm.consumers.add(topology.streams.outbound.name, {
      durable_name: 'zz-by-hand',
      ack_policy: AckPolicy.Explicit,
      filter_subject: topology.subjects.outboundEventAll,
    });
    env = { NATS_URL: nats.url, NATS_PREFIX: nats.prefix };
  });

  afterAll(async () => {
    await nats?.cleanup();
  });

  it('exits 2 and names the consumer when its pending count is above --max-lag', async () => {
    const run = await runOps(['streams', '--max-lag', '3'], env);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`${topology.streams.outbound.name}/sender-commands (5)`);
    expect(run.stdout).toMatch(/sender-commands\s+5\s+0\s+0/);
    expect(run.stdout).toContain('LAGGING');
    // Each consumer is named by its row of the wiring table, or said to have none.
    expect(run.stdout).toMatch(/sender-commands\s.*sender\.commands \(retired single consumer\)/);
    expect(run.stdout).toMatch(/sender-reads\s.*sender\.reads \(free\)/);
    expect(run.stdout).toMatch(/zz-by-hand\s.*not in the wiring table/);
    // Streams no service created yet are listed as missing, not an error.
    expect(run.stdout).toMatch(new RegExp(`${topology.streams.whatsapp.name}\\s+-.*missing`));
  });

  it('exits 0 with every stream and consumer figure in --json when nothing lags past the threshold', async () => {
    const run = await runOps(['streams', '--max-lag', '5', '--json'], env);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as {
      lagging: string[];
      streams: Array<{
        name: string;
        exists: boolean;
        messages: number;
        consumers: Array<Record<string, unknown>>;
      }>;
    };
    expect(report.lagging).toEqual([]);
    const outbound = report.streams.find((s) => s.name === topology.streams.outbound.name);
    expect(outbound).toMatchObject({ exists: true, messages: 5 });
    expect(outbound?.consumers[0]).toMatchObject({
      name: 'sender-commands',
      pending: 5,
      ackPending: 0,
      redelivered: 0,
      wiring: { row: 'sender.commands', owner: 'sender', ordering: 'per-conversation', retired: true },
    });
    expect(outbound?.consumers.slice(1)).toMatchObject([
      { name: 'sender-reads', wiring: { row: 'sender.reads', ordering: 'free', retired: false } },
      { name: 'zz-by-hand', wiring: null },
    ]);
  });

  it('exits 64 with usage on a bad option and 1 with what to do when NATS is unreachable', async () => {
    const bad = await runOps(['streams', '--max-lag', 'many'], env);
    expect(bad.code).toBe(64);
    expect(bad.stderr).toContain('--max-lag');
    const down = await runOps(['streams'], { ...env, NATS_URL: 'nats://127.0.0.1:1' });
    expect(down.code).toBe(1);
    expect(down.stderr).toContain('cannot reach NATS at nats://127.0.0.1:1');
    expect(down.stderr).toContain('set NATS_URL');
  });
});
