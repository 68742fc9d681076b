import { AckPolicy, DeliverPolicy } from '@nats-io/jetstream';
import { PARTITIONS, partitionConsumer, partitionOf } from '@reserveit/contracts';
import { publish } from '@reserveit/messaging';
import { graphError, type RecordedRequest } from '@reserveit/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { command, eventually, type Harness, harness, PNID } from './sender-under-test.js';

let h: Harness;

/**
 * The intake's partition consumers, by the wiring table, and the single one earlier versions
 * created (written out: the table must keep calling the retired consumer by this name).
 */
const commandsDurable = (partition: number) =>
  partitionConsumer(h.topology.consumers.sender.commands, partition).durable;
const SINGLE_COMMANDS_DURABLE = 'sender-commands';

beforeEach(async () => {
  h = await harness();
});

afterEach(async () => {
  await h.cleanup();
});

const keyOf = (request: RecordedRequest) =>
  typeof request.body === 'object' && request.body !== null
    ? String((request.body as Record<string, unknown>).biz_opaque_callback_data)
    : '';
const succeeded = (key: string) =>
  eventually(() => h.events.find((e) => e.id === key && e.type === 'whatsapp.send.succeeded'));
const recordedBy = async (address: string) => {
  const metrics = await fetch(`${address}/metrics`).then((r) => r.text());
  return Number(/sender_commands_total\{result="recorded",service="sender"\} (\d+)/.exec(metrics)?.[1] ?? 0);
};

describe('two sender replicas', () => {
  it("keep each guest's replies in order through the partition consumers while one guest's retry holds up no other guest", async () => {
    // The held guest's retry comes 1.5 to 3 s later (equal jitter): long after the others are done.
    const slowRetry = { SENDER_PAIR_RETRY_BASE_MS: '3000', SENDER_RETRY_MAX_MS: '5000' };
    const a = await h.start(slowRetry);
    const b = await h.start(slowRetry);

    const held = [
      command({ kind: 'text', body: 'held 1', previewUrl: false }),
      command({ kind: 'text', body: 'held 2', previewUrl: false }),
    ];
    held[1] = { ...held[1]!, to: held[0]!.to };
    // 24 other guests with 4 replies each, published interleaved as the conversation service does.
    const guests = Array.from(
      { length: 24 },
      () => command({ kind: 'text', body: 'x', previewUrl: false }).to,
    );
    const others = guests.map((to) =>
      Array.from({ length: 4 }, (_, i) =>
        command({ kind: 'text', body: `reply ${i}`, previewUrl: false }, { to }),
      ),
    );
    // Spread over several partitions, so both the order within one and the others going on count.
    expect(new Set(guests.map((to) => partitionOf(PNID, to))).size).toBeGreaterThan(4);

    let refused = false;
    h.graph.respondWith((r) => {
      if (refused || keyOf(r) !== held[0]!.id) return undefined;
      refused = true;
      return { status: 400, body: graphError(131056) };
    });
    try {
      await h.request(held[0]!);
      await h.request(held[1]!);
      for (let i = 0; i < 4; i += 1) for (const replies of others) await h.request(replies[i]!);
      for (const cmd of [...held, ...others.flat()]) await succeeded(cmd.id);
    } finally {
      h.graph.respondWith(undefined);
    }

    const order = h.graph.requests.map(keyOf);
    for (const replies of [held, ...others]) {
      const keys = replies.map((r) => r.id);
      expect(order.filter((k) => keys.includes(k) && k !== held[0]!.id)).toEqual(
        keys.filter((k) => k !== held[0]!.id),
      );
    }
    expect(order.filter((k) => k === held[0]!.id)).toHaveLength(2);
    // Every other guest's replies went out while the held guest's first waited for its retry.
    const retried = order.lastIndexOf(held[0]!.id);
    for (const key of others.flat().map((r) => r.id)) expect(order.indexOf(key)).toBeLessThan(retried);
    // Both replicas recorded commands: the partitions are shared between them.
    expect(await recordedBy(a.address)).toBeGreaterThan(0);
    expect(await recordedBy(b.address)).toBeGreaterThan(0);

    const stream = h.topology.streams.outbound.name;
    for (let p = 0; p < PARTITIONS; p += 1) {
      const info = await h.nats.jsm.consumers.info(stream, commandsDurable(p));
      expect(info.config).toMatchObject({
        filter_subject: h.topology.subjects.outboundCommandPartition(p),
        max_ack_pending: 1,
      });
    }
    await expect(h.nats.jsm.consumers.info(stream, SINGLE_COMMANDS_DURABLE)).rejects.toThrow();
  });
});

describe('upgrading from the single intake consumer', () => {
  const addSingle = () =>
    h.nats.jsm.consumers.add(h.topology.streams.outbound.name, {
      durable_name: SINGLE_COMMANDS_DURABLE,
      ack_policy: AckPolicy.Explicit,
      max_ack_pending: 1,
      deliver_policy: DeliverPolicy.All,
      filter_subject: h.topology.subjects.outboundCommandAll,
    });

  it('deletes it when it has recorded everything and starts the partition consumers after its ack floor', async () => {
    const stream = h.topology.streams.outbound.name;
    await addSingle();
    const before = command({ kind: 'text', body: 'recorded by the old version', previewUrl: false });
    await h.request(before);
    // The old version recorded and acked it.
    const consumer = await h.nats.js.consumers.get(stream, SINGLE_COMMANDS_DURABLE);
    const old = await consumer.next({ expires: 2_000 });
    await old!.ackAck();

    await h.start();
    await expect(h.nats.jsm.consumers.info(stream, SINGLE_COMMANDS_DURABLE)).rejects.toThrow();
    const partition = await h.nats.jsm.consumers.info(stream, commandsDurable(partitionOf(PNID, before.to)));
    expect(partition.config.opt_start_seq).toBe(old!.seq + 1);

    const after = command({ kind: 'text', body: 'after the upgrade', previewUrl: false });
    await h.request(after);
    await succeeded(after.id);
    // Not read again: the old version's row would be sent by it, not by this one.
    expect(h.graph.requests.map(keyOf)).not.toContain(before.id);
  });

  it('keeps it, narrowed to unpartitioned subjects, while it has commands published before the partition token to record', async () => {
    const stream = h.topology.streams.outbound.name;
    await addSingle();
    const unpartitioned = command({ kind: 'text', body: 'published by the old version', previewUrl: false });
    await publish(h.nats.js, {
      subject: `${h.topology.prefix}.out.cmd.${PNID}.${unpartitioned.to}`,
      msgId: unpartitioned.id,
      data: JSON.stringify(unpartitioned),
      timeoutMs: 5_000,
    });
    const partitioned = command({ kind: 'text', body: 'published by the new version', previewUrl: false });
    await h.request(partitioned);

    const sender = await h.start();
    await succeeded(unpartitioned.id);
    await succeeded(partitioned.id);
    const single = await h.nats.jsm.consumers.info(stream, SINGLE_COMMANDS_DURABLE);
    expect(single.config.filter_subject).toBe(h.topology.subjects.outboundCommandUnpartitioned);

    // Nothing left for it: the next start deletes it.
    await eventually(
      async () => (await h.nats.jsm.consumers.info(stream, SINGLE_COMMANDS_DURABLE)).num_ack_pending === 0,
    );
    await sender.close();
    await h.start();
    await expect(h.nats.jsm.consumers.info(stream, SINGLE_COMMANDS_DURABLE)).rejects.toThrow();
  });
});
