import { DeliverPolicy, type JsMsg } from '@nats-io/jetstream';
import { headers } from '@nats-io/transport-node';
import { opsEnv } from '@reserveit/config';
import { topology as makeTopology, type Topology } from '@reserveit/contracts';
import { createDatabase } from '@reserveit/db';
import { DEAD_LETTER_HEADERS, ensureStream, publishDeadLetter } from '@reserveit/messaging';
import { type TestDatabase, type TestNats, useDatabase, useNats } from '@reserveit/testkit';
import { type Kysely, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redriveLetters } from '../src/commands/dlq.js';
import type { Nats } from '../src/connections.js';
import { listDeadLetters } from '../src/dead-letters.js';
import { runOps } from './ops-process.js';

const TRACEPARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
const GUEST = '971501234567';

describe('reserveit-ops dlq over a real DEADLETTERS stream', () => {
  let nats: TestNats;
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
    nats = await useNats();
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
    await nats?.cleanup();
    await database?.drop();
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

  it('refuses to redrive a sender dead letter whose outbox row is failed, and resets the row with --reset-outbox', async () => {
    await sql`create schema sender`.execute(db);
    // The columns of services/sender/src/outbox/migrations.ts that a reset touches.
    await sql`create table sender.outbox (
      key text primary key, state text not null, attempts integer not null, exhausted boolean not null,
      published boolean not null, next_attempt_at timestamptz not null, last_attempt_at timestamptz,
      lease_owner text, lease_until timestamptz, last_error_code integer, last_error text,
      finished_at timestamptz, updated_at timestamptz not null)`.execute(db);
    const key = 'c_1:wamid.B:1';
    await sql`insert into sender.outbox values (${key}, 'failed', 6, true, true, now(), now(), null, null,
      131000, 'Something went wrong', now(), now())`.execute(db);
    const command = topology.subjects.outboundCommand('100000000000001', GUEST);
    await publishDeadLetter(
      nats.js,
      topology.consumers.sender.commands.deadLetter,
      await delivered(command, key, { v: 1, type: 'whatsapp.send.requested', id: key }),
      new Error('retries exhausted'),
    );
    const letters = await listDeadLetters(ops, { consumer: 'sender' }, Date.now());
    const connect = async () => db;

    const refused = await redriveLetters(ops, letters, { resetOutbox: false }, connect);
    expect(refused).toMatchObject([{ result: 'refused', reason: expect.stringContaining('--reset-outbox') }]);
    expect(await listDeadLetters(ops, { consumer: 'sender' }, Date.now())).toHaveLength(1);

    const outboundBefore = (await nats.jsm.streams.info(topology.streams.outbound.name)).state.last_seq;
    const reset = await redriveLetters(ops, letters, { resetOutbox: true }, connect);
    expect(reset).toMatchObject([{ result: 'outbox-reset', key }]);
    const row = await sql<{ state: string; attempts: number; exhausted: boolean }>`
      select state, attempts, exhausted from sender.outbox where key = ${key}`.execute(db);
    expect(row.rows).toEqual([{ state: 'pending', attempts: 0, exhausted: false }]);
    expect(await listDeadLetters(ops, { consumer: 'sender' }, Date.now())).toEqual([]);
    // The reset row is what gets sent: no command is republished for the intake to ignore.
    expect((await nats.jsm.streams.info(topology.streams.outbound.name)).state.last_seq).toBe(outboundBefore);
  });
});
