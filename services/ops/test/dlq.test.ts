import { DeliverPolicy, type JsMsg } from '@nats-io/jetstream';
import { headers } from '@nats-io/transport-node';
import { opsEnv } from '@reserveit/config';
import { topology as makeTopology, type Topology } from '@reserveit/contracts';
import { createDatabase, migrateSchema } from '@reserveit/db';
import { DEAD_LETTER_HEADERS, ensureStream, publishDeadLetter } from '@reserveit/messaging';
import { type TestDatabase, type TestNatsWithUsers, useDatabase, useNatsWithUsers } from '@reserveit/testkit';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// The sender's own migrations and store make its rows (a test may import a service; ops may not).
import { senderMigrations } from '../../sender/src/outbox/migrations.js';
import { OutboxStore } from '../../sender/src/outbox/outbox-store.js';
import { SENDER_SCHEMA, type SenderDb } from '../../sender/src/outbox/tables.js';
import { redriveLetters } from '../src/commands/dlq.js';
import type { Nats } from '../src/connections.js';
import { listDeadLetters } from '../src/dead-letters.js';
import { senderOutbox } from '../src/sender-outbox.js';
import { runOps } from './ops-process.js';

const TRACEPARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
const GUEST = '971501234567';

describe('reserveit-ops dlq over a real DEADLETTERS stream', () => {
  let nats: TestNatsWithUsers;
  let database: TestDatabase;
  let topology: Topology;
  let env: Record<string, string>;
  let ops: Nats;
  let db: Kysely<unknown>;

  /** Publishes an event to its real stream and reads it back through a consumer, as a failing handler holds it. */
  async function delivered(subject: string, msgId: string, data: unknown): Promise<JsMsg> {
    const h = headers();
    h.set('traceparent', TRACEPARENT);
    const ack = await nats.js.publish(subject, JSON.stringify(data), { msgID: msgId, headers: h });
    const consumer = await nats.js.consumers.get(ack.stream, {
      deliver_policy: DeliverPolicy.StartSequence,
      opt_start_seq: ack.seq,
    });
    const message = await consumer.next({ expires: 5_000 });
    if (!message) throw new Error(`no message at ${ack.stream}#${ack.seq}`);
    return message;
  }

  const cli = (...args: string[]) => runOps(['dlq', ...args], env);

  beforeAll(async () => {
    // A server with the users of this prefix: the CLI runs as the ops user, under its allow-lists.
    nats = await useNatsWithUsers();
    database = await useDatabase();
    topology = makeTopology(nats.prefix);
    for (const spec of [topology.streams.whatsapp, topology.streams.outbound, topology.streams.deadLetters]) {
      await ensureStream(nats.jsm, spec, { replicas: 1 });
    }
    env = { NATS_URL: nats.url, NATS_PREFIX: nats.prefix, DATABASE_URL: database.url };
    opsEnv.parse(env);
    ops = { nc: nats.nc, js: nats.js, jsm: nats.jsm, topology, close: async () => {} };
    db = createDatabase<unknown>({ url: database.url, applicationName: 'ops-dlq-test', maxConnections: 2 });
  });

  afterAll(async () => {
    await db?.destroy();
    await database?.drop();
    // Last: it fails when NATS refused the CLI or a service anything (a missing permission).
    await nats?.cleanup();
  });

  it('lists, shows, redrives to the original subject with its headers and a new Msg-Id, then removes the dead letter', async () => {
    const subject = topology.subjects.inboundMessage('100000000000001', GUEST);
    const event = { v: 1, id: 'wamid.A', guest: { id: GUEST }, text: 'table for 2' };
    await publishDeadLetter(
      nats.js,
      topology.consumers.conversation.inbound.deadLetter,
      await delivered(subject, 'wamid.A', event),
      new Error('intent down: UNAVAILABLE'),
    );
    const statusSubject = topology.subjects.inboundStatus('100000000000001', GUEST);
    await publishDeadLetter(
      nats.js,
      topology.consumers.sender.statuses.deadLetter,
      await delivered(statusSubject, 'wamid.S:read', { v: 1, id: 'wamid.S:read' }),
      new Error('unreadable status'),
    );

    const listed = await cli('list', '--consumer', 'conversation', '--json');
    expect(listed.code).toBe(0);
    expect(listed.stdout).not.toContain(GUEST);
    const [letter, ...others] = JSON.parse(listed.stdout) as Array<Record<string, unknown>>;
    expect(others).toEqual([]);
    expect(letter).toMatchObject({
      consumer: 'conversation',
      stream: topology.streams.whatsapp.name,
      msgId: 'wamid.A',
      deliveries: 1,
      error: 'Error: intent down: UNAVAILABLE',
    });
    const seq = Number(letter?.seq);

    const now = Date.now();
    const byError = await listDeadLetters(ops, { error: 'UNREADABLE' }, now);
    expect(byError.map((l) => l.consumer)).toEqual(['sender-statuses']);
    expect(await listDeadLetters(ops, { olderThanMs: 3_600_000 }, now)).toEqual([]);
    expect(await listDeadLetters(ops, { newerThanMs: 3_600_000 }, now)).toHaveLength(2);

    const shown = await cli('show', String(seq));
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain(`${DEAD_LETTER_HEADERS.error}: Error: intent down: UNAVAILABLE`);
    expect(shown.stdout).toContain('"text": "table for 2"');
    expect(shown.stdout).toContain('9715****4567');
    expect(shown.stdout).not.toContain(GUEST);

    const redriven = await cli('redrive', String(seq));
    expect(redriven.stderr).toBe('');
    expect(redriven.code).toBe(0);
    const again = await nats.jsm.streams.getMessage(topology.streams.whatsapp.name, {
      last_by_subj: subject,
    });
    expect(again?.header.get('Nats-Msg-Id')).toBe(`wamid.A:redrive:${seq}`);
    expect(again?.header.get('Redriven-From')).toBe(`${topology.streams.deadLetters.name}:${seq}`);
    expect(again?.header.get(DEAD_LETTER_HEADERS.error)).toBe('');
    expect(again?.json()).toEqual(event);
    const left = await listDeadLetters(ops, {}, Date.now());
    expect(left.map((l) => l.consumer)).toEqual(['sender-statuses']);

    const missing = await cli('show', String(seq));
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain(`no dead letter #${seq}`);
  });

  it('refuses to republish a reservation-projector dead letter into its day history, names the replay to run instead, and keeps the letter', async () => {
    await ensureStream(nats.jsm, topology.streams.reservations, { replicas: 1 });
    const day = topology.subjects.reservationDay('biz_1', '2026-12-24');
    const booked = { v: 1, type: 'reservation.booked', id: 'res_1:created' };
    await publishDeadLetter(
      nats.js,
      topology.consumers.reservation.projector.deadLetter,
      await delivered(day, 'res_1:created', booked),
      new Error('projection column missing'),
    );
    const historyBefore = (await nats.jsm.streams.info(topology.streams.reservations.name)).state.messages;

    const refused = await cli('redrive', '--consumer', 'reservation-projector');
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain('replay reservation');
    expect((await nats.jsm.streams.info(topology.streams.reservations.name)).state.messages).toBe(
      historyBefore,
    );
    expect(await listDeadLetters(ops, { consumer: 'reservation-projector' }, Date.now())).toHaveLength(1);
    expect((await cli('purge', '--consumer', 'reservation-projector', '--yes')).code).toBe(0);
  });

  it('refuses to redrive a waitlist offer dead letter at all, says why, and keeps the letter', async () => {
    await ensureStream(nats.jsm, topology.streams.reservations, { replicas: 1 });
    const day = topology.subjects.reservationDay('biz_1', '2026-12-25');
    const offered = { v: 1, type: 'waitlist.offered', id: 'offer_1' };
    await publishDeadLetter(
      nats.js,
      topology.consumers.conversation.waitlistOffers.deadLetter,
      await delivered(day, 'offer_1', offered),
      new Error('reservation.v1 unavailable'),
    );
    const historyBefore = (await nats.jsm.streams.info(topology.streams.reservations.name)).state.messages;
    const refused = await cli('redrive', '--consumer', 'conversation-waitlist-offers');
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain('the table went to the next party');
    expect((await nats.jsm.streams.info(topology.streams.reservations.name)).state.messages).toBe(
      historyBefore,
    );
    expect(await listDeadLetters(ops, { consumer: 'conversation-waitlist-offers' }, Date.now())).toHaveLength(
      1,
    );
    expect((await cli('purge', '--consumer', 'conversation-waitlist-offers', '--yes')).code).toBe(0);
  });

  it('purges only with --yes; without it lists what would go and exits 3', async () => {
    const dry = await cli('purge', '--consumer', 'sender-statuses');
    expect(dry.code).toBe(3);
    expect(dry.stdout).toContain('would remove');
    expect(await listDeadLetters(ops, { consumer: 'sender-statuses' }, Date.now())).toHaveLength(1);
    const nothing = await cli('purge');
    expect(nothing.code).toBe(64);
    const done = await cli('purge', '--consumer', 'sender-statuses', '--yes');
    expect(done.code).toBe(0);
    expect(await listDeadLetters(ops, {}, Date.now())).toEqual([]);
  });

  it("refuses to redrive a sender dead letter whose outbox row is failed, and with --reset-outbox has the sender reset it ahead of the guest's later reply", async () => {
    // The sender's own schema and store: the row is made as the sender makes it.
    await migrateSchema(db, SENDER_SCHEMA, senderMigrations);
    const store = new OutboxStore(db as unknown as Kysely<SenderDb>);
    const owner = 'ops-dlq-test';
    const record = (key: string, streamSeq: number) =>
      store.insert(
        {
          key,
          streamSeq,
          subject: topology.subjects.outboundCommand('100000000000001', GUEST),
          msgId: key,
          phoneNumberId: '100000000000001',
          recipient: GUEST,
          kind: 'text',
          command: { id: key },
          traceparent: undefined,
          tracestate: undefined,
        },
        new Date(),
        { owner, ms: 60_000 },
      );
    const key = 'c_1:wamid.B:1';
    const later = 'c_1:wamid.C:1';
    await record(key, 1);
    await record(later, 2);
    await store.finish(
      key,
      owner,
      { type: 'failed', code: 131000, reason: 'Something went wrong', exhausted: true },
      new Date(),
    );
    const command = topology.subjects.outboundCommand('100000000000001', GUEST);
    await publishDeadLetter(
      nats.js,
      topology.consumers.sender.commands.deadLetter,
      await delivered(command, key, { v: 1, type: 'whatsapp.send.requested', id: key }),
      new Error('retries exhausted'),
    );
    const letters = await listDeadLetters(ops, { consumer: 'sender' }, Date.now());
    const outbox = senderOutbox(opsEnv.parse(env));

    const refused = await redriveLetters(ops, letters, { resetOutbox: false }, outbox);
    expect(refused).toMatchObject([{ result: 'refused', reason: expect.stringContaining('--reset-outbox') }]);
    expect(await listDeadLetters(ops, { consumer: 'sender' }, Date.now())).toHaveLength(1);

    // The guest's later reply is being sent: the failed one may not overtake it.
    expect((await store.claimDue(owner, new Date(), 60_000, 8)).map((row) => row.key)).toEqual([later]);
    const busy = await cli('redrive', '--consumer', 'sender', '--reset-outbox');
    expect(busy.code).toBe(3);
    expect(busy.stderr).toContain(`another reply to the same guest (${later}) is being sent`);
    expect(await store.get(key)).toMatchObject({ state: 'failed' });
    expect(await listDeadLetters(ops, { consumer: 'sender' }, Date.now())).toHaveLength(1);
    await store.finish(later, owner, { type: 'sent', wamid: 'wamid.C-reply' }, new Date());

    const outboundBefore = (await nats.jsm.streams.info(topology.streams.outbound.name)).state.last_seq;
    const reset = await cli('redrive', '--consumer', 'sender', '--reset-outbox');
    expect(reset.stderr).toBe('');
    expect(reset.code).toBe(0);
    expect(reset.stdout).toContain('outbox row reset; the sender sends it again');
    expect(await store.get(key)).toMatchObject({
      state: 'pending',
      attempts: 0,
      exhausted: false,
      published: false,
      head: true,
    });
    expect((await store.claimDue(owner, new Date(), 60_000, 8)).map((row) => row.key)).toEqual([key]);
    expect(await listDeadLetters(ops, { consumer: 'sender' }, Date.now())).toEqual([]);
    // The reset row is what gets sent: no command is republished for the intake to ignore.
    expect((await nats.jsm.streams.info(topology.streams.outbound.name)).state.last_seq).toBe(outboundBefore);
  });
});
