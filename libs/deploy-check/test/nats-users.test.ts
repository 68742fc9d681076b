import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { DEV_NATS_PASSWORDS, natsCredentials } from '@reserveit/config';
import {
  topology as makeTopology,
  type NatsUser,
  partitionConsumer,
  partitionOf,
} from '@reserveit/contracts';
import { consumePartitioned, ensureStream, publish } from '@reserveit/messaging';
import { type TestNatsWithUsers, useNatsWithUsers } from '@reserveit/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../telemetry/src/logger.js';

/**
 * The users of deploy/nats/users.conf (rendered for this test's prefix) on a real nats-server:
 * each service connects as its own, and the server refuses what its allow-lists leave out.
 */
let nats: TestNatsWithUsers;
const open: NatsConnection[] = [];
const logger = createLogger('nats-users-test', 'silent');

beforeAll(async () => {
  nats = await useNatsWithUsers({ refusalsExpected: true });
});
afterAll(async () => {
  await Promise.allSettled(open.map((nc) => nc.close()));
  await nats.cleanup();
});

const topologyOf = () => makeTopology(nats.prefix);

async function connectAs(user: NatsUser, password = DEV_NATS_PASSWORDS[user]): Promise<NatsConnection> {
  const { inboxPrefix } = natsCredentials({ NATS_PREFIX: nats.prefix }, user);
  const nc = await connect({ servers: nats.url, user, pass: password, inboxPrefix, timeout: 3_000 });
  open.push(nc);
  return nc;
}

describe('NATS users', () => {
  it('refuses a wrong password and another service’s password', async () => {
    await expect(connectAs('ingress', 'not-the-password')).rejects.toThrow(/Authorization Violation/i);
    await expect(connectAs('ingress', DEV_NATS_PASSWORDS.conversation)).rejects.toThrow(
      /Authorization Violation/i,
    );
    await expect(connect({ servers: nats.url, timeout: 3_000 })).rejects.toThrow(/Authorization Violation/i);
  });

  it('lets ingress publish its WHATSAPP subjects and nothing of conversation or outbound', async () => {
    const t = topologyOf();
    const nc = await connectAs('ingress');
    const jsm = await jetstreamManager(nc);
    await ensureStream(jsm, t.streams.whatsapp, { replicas: 1 });
    const js = jetstream(nc, { timeout: 3_000 });
    const ack = await publish(js, {
      subject: t.subjects.quarantine,
      msgId: 'q-1',
      data: new Uint8Array([1]),
      timeoutMs: 3_000,
    });
    expect(ack.seq).toBe(1);
    // Streams it reads none of are not even created by it.
    await expect(ensureStream(jsm, t.streams.conversations, { replicas: 1 })).rejects.toThrow(/permission/i);
    // The stream exists (the test user made it), so only the permission can refuse the publishes.
    await ensureStream(nats.jsm, t.streams.conversations, { replicas: 1 });
    await ensureStream(nats.jsm, t.streams.outbound, { replicas: 1 });
    await expect(
      publish(js, {
        subject: t.subjects.conversationEvent('c1'),
        msgId: 'c-1',
        data: new Uint8Array([1]),
        timeoutMs: 3_000,
      }),
    ).rejects.toThrow(/permission/i);
    await expect(
      publish(js, {
        subject: t.subjects.outboundCommand('pn', 'guest'),
        msgId: 'o-1',
        data: new Uint8Array([1]),
        timeoutMs: 3_000,
      }),
    ).rejects.toThrow(/permission/i);
    const stored = await nats.jsm.streams.info(t.streams.conversations.name);
    expect(stored.state.messages).toBe(0);
    // What the e2e tests check is empty after a whole booking: the server's log of refusals.
    expect((await nats.violations()).join('\n')).toContain(
      `Publish Violation - User "ingress", Subject "${t.subjects.conversationEvent('c1')}"`,
    );
  });

  it("refuses conversation (and the console, which reads OUTBOUND) the sender's durables", async () => {
    const t = topologyOf();
    await ensureStream(nats.jsm, t.streams.outbound, { replicas: 1 });
    const reads = t.consumers.sender.reads;
    for (const user of ['conversation', 'console'] as const) {
      const jsm = await jetstreamManager(await connectAs(user), { timeout: 3_000 });
      await expect(
        jsm.consumers.add(reads.stream, { durable_name: reads.durable, filter_subject: reads.filterSubject }),
      ).rejects.toThrow(/permission/i);
    }
    const sender = await jetstreamManager(await connectAs('sender'));
    const created = await sender.consumers.add(reads.stream, {
      durable_name: reads.durable,
      filter_subject: reads.filterSubject,
    });
    expect(created.name).toBe(reads.durable);
  });

  it("runs conversation's whole intake path: its streams, a partition durable, pull and ack", async () => {
    const t = topologyOf();
    const conversation = await connectAs('conversation');
    const jsm = await jetstreamManager(conversation);
    for (const spec of [
      t.streams.whatsapp,
      t.streams.conversations,
      t.streams.outbound,
      t.streams.deadLetters,
    ]) {
      await ensureStream(jsm, spec, { replicas: 1 });
    }
    const ingress = jetstream(await connectAs('ingress'));
    const subject = t.subjects.inboundMessage('pn-1', 'guest-1');
    await publish(ingress, {
      subject,
      msgId: 'in-1',
      data: new TextEncoder().encode('hello'),
      timeoutMs: 3_000,
    });
    const partition = partitionOf('pn-1', 'guest-1');
    const received: string[] = [];
    const running = await consumePartitioned(t.consumers.conversation.inbound, {
      js: jetstream(conversation),
      jsm,
      logger,
      partitions: [partition],
      handler: async (message) => {
        received.push(message.string());
        await publish(jetstream(conversation), {
          subject: t.subjects.conversationEvent('c-1'),
          msgId: `evt-${message.seq}`,
          data: new Uint8Array([1]),
          timeoutMs: 3_000,
        });
      },
    });
    try {
      for (let i = 0; i < 100 && received.length === 0; i++) await new Promise((r) => setTimeout(r, 50));
      expect(received).toEqual(['hello']);
      const { durable } = partitionConsumer(t.consumers.conversation.inbound, partition);
      for (let i = 0; i < 100; i++) {
        const info = await nats.jsm.consumers.info(t.streams.whatsapp.name, durable);
        if (info.num_ack_pending === 0 && info.num_pending === 0) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      const info = await nats.jsm.consumers.info(t.streams.whatsapp.name, durable);
      expect(info.ack_floor.stream_seq).toBeGreaterThanOrEqual(1);
    } finally {
      await running.stop();
    }
  });

  it("keeps one user's replies from another: subscribing outside its inbox is refused", async () => {
    const nc = await connectAs('console');
    const errors: string[] = [];
    void (async () => {
      for await (const status of nc.status()) if (status.type === 'error') errors.push(String(status.error));
    })();
    nc.subscribe(`_INBOX.${nats.prefix}.ingress.>`);
    nc.subscribe('_INBOX.>');
    await nc.flush();
    for (let i = 0; i < 40 && errors.length < 2; i++) await new Promise((r) => setTimeout(r, 50));
    expect(errors.join('\n')).toMatch(/Permissions Violation for Subscription/i);
  });
});
