import { headers } from '@nats-io/transport-node';
import { conversationEnv, type OpsConfig, opsEnv } from '@reserveit/config';
import {
  conversationDecidedSchema,
  conversationTurnRecordedSchema,
  dialogueEventSchema,
  topology as makeTopology,
  messageReceivedEventSchema,
  outboundEventSchema,
  parseReservationEvent,
  sendRequestedSchema,
  statusReceivedEventSchema,
  type Topology,
} from '@reserveit/contracts';
import { createDatabase } from '@reserveit/db';
import { ensureStream } from '@reserveit/messaging';
import { createLogger } from '@reserveit/telemetry';
import { type TestDatabase, type TestNatsWithUsers, useDatabase, useNatsWithUsers } from '@reserveit/testkit';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// The real conversation service, started in-process (a test may import a service; ops may not).
import { INBOX_CONSUMER } from '../../conversation/src/conversation-store.js';
import { type RunningConversation, startConversation } from '../../conversation/src/index.js';
import { collectJourney } from '../src/commands/trace.js';
import type { Nats } from '../src/connections.js';
import { runOps } from './ops-process.js';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const PNID = '100000000000001';
const GUEST = '971501234567';
const CONV = 'c_5f1a2b';

describe('reserveit-ops trace <wamid>, from a realistic event chain on real streams', () => {
  let nats: TestNatsWithUsers;
  let database: TestDatabase;
  let topology: Topology;
  let ops: Nats;
  let config: OpsConfig;
  let env: Record<string, string>;
  let conversation: RunningConversation;

  async function emit(subject: string, msgId: string, event: unknown, traceparent?: string) {
    const h = headers();
    if (traceparent) h.set('traceparent', traceparent);
    return nats.js.publish(subject, JSON.stringify(event), { msgID: msgId, headers: h });
  }

  /**
   * One inbound message and everything the services publish because of it, each checked by its
   * contract schema. `decided`: the conversation events in one `conversation.decided` message with
   * the assistant's turn, as the conversation service writes them; `relayed: false`: its reply
   * command never reached OUTBOUND.
   */
  async function chain(
    wamid: string,
    sentWamid: string,
    { guestText = 'table for 2 at 8', decided = false, relayed = true } = {},
  ) {
    const t0 = Date.now();
    const at = (offsetMs: number) => new Date(t0 + offsetMs).toISOString();
    const inbound = messageReceivedEventSchema.parse({
      v: 1,
      type: 'whatsapp.message.received',
      id: wamid,
      rawId: `raw-${wamid}`,
      receivedAt: at(0),
      occurredAt: at(-1000),
      wabaId: '102290129340398',
      phoneNumberId: PNID,
      displayPhoneNumber: '15550001111',
      guest: { id: GUEST, waId: GUEST, name: 'Layla' },
      message: {
        from: GUEST,
        id: wamid,
        timestamp: '1780000000',
        type: 'text',
        text: { body: guestText },
      },
    });
    const inboundAck = await emit(
      topology.subjects.inboundMessage(PNID, GUEST),
      wamid,
      inbound,
      `00-${TRACE_ID}-00f067aa0ba902b7-01`,
    );
    const base = { v: 1, conversationId: CONV, causationId: wamid, businessId: 'demo-dubai' };
    const conversation = [
      conversationTurnRecordedSchema.parse({
        v: 1,
        type: 'conversation.turn.recorded',
        id: `${CONV}:${wamid}:guest`,
        conversationId: CONV,
        businessId: 'demo-dubai',
        occurredAt: at(20),
        role: 'guest',
        text: guestText,
        intent: 'BOOK',
      }),
      dialogueEventSchema.parse({
        ...base,
        type: 'conversation.intent.interpreted',
        id: `${CONV}:${wamid}:intent`,
        occurredAt: at(30),
        intent: 'BOOK',
        entities: { party_size: 2, time: '20:00' },
        source: 'rules',
        confidence: 0.9,
      }),
      dialogueEventSchema.parse({
        ...base,
        type: 'conversation.dialogue.noted',
        id: `${CONV}:${wamid}:note:0`,
        occurredAt: at(60),
        note: 'reservation.booked',
        detail: {},
      }),
      dialogueEventSchema.parse({
        ...base,
        type: 'conversation.reply.requested',
        id: `${CONV}:${wamid}:1:requested`,
        occurredAt: at(70),
        commandId: `${CONV}:${wamid}:1`,
        kind: 'text',
      }),
    ];
    if (decided) {
      const assistant = conversationTurnRecordedSchema.parse({
        v: 1,
        type: 'conversation.turn.recorded',
        id: `${CONV}:${wamid}:1:assistant`,
        conversationId: CONV,
        businessId: 'demo-dubai',
        occurredAt: at(70),
        role: 'assistant',
        text: 'Booked: 2 at 20:00',
        messageId: `${CONV}:${wamid}:1`,
        kind: 'text',
      });
      const whole = conversationDecidedSchema.parse({
        ...base,
        type: 'conversation.decided',
        id: `${CONV}:${wamid}:decided`,
        occurredAt: at(70),
        events: [...conversation, assistant],
      });
      await emit(topology.subjects.conversationEvent(CONV), whole.id, whole);
    } else {
      for (const event of conversation)
        await emit(topology.subjects.conversationEvent(CONV), event.id, event);
    }
    const created = parseReservationEvent({
      v: 1,
      id: `r-${wamid}:created`,
      at: at(50),
      type: 'reservation.created',
      booking: {
        reservationId: `r-${wamid}`,
        businessId: 'demo-dubai',
        serviceDate: '2026-06-03',
        guestWaId: GUEST,
        guestName: 'Layla',
        partySize: 2,
        startsAt: '2026-06-03T16:00:00.000Z',
        endsAt: '2026-06-03T17:30:00.000Z',
        status: 'confirmed',
        notes: '',
        source: 'whatsapp',
        idempotencyKey: `${CONV}:${wamid}`,
      },
    });
    if (!created.ok) throw new Error(created.reason);
    await emit(topology.subjects.reservationDay('demo-dubai', '2026-06-03'), created.event.id, created.event);
    const key = `${CONV}:${wamid}:1`;
    const command = sendRequestedSchema.parse({
      v: 1,
      type: 'whatsapp.send.requested',
      id: key,
      phoneNumberId: PNID,
      to: GUEST,
      replyTo: wamid,
      conversationId: CONV,
      requestedAt: at(80),
      message: { kind: 'text', body: 'Booked: 2 at 20:00' },
    });
    if (!relayed) return inboundAck.seq;
    await emit(topology.subjects.outboundCommand(PNID, GUEST), key, command);
    const sent = outboundEventSchema.parse({
      v: 1,
      type: 'whatsapp.send.succeeded',
      id: key,
      phoneNumberId: PNID,
      at: at(300),
      attempts: 1,
      wamid: sentWamid,
    });
    await emit(topology.subjects.outboundEvent(PNID), `${key}:sent`, sent);
    for (const [status, offset] of [
      ['delivered', 900],
      ['read', 5000],
    ] as const) {
      const event = statusReceivedEventSchema.parse({
        v: 1,
        type: 'whatsapp.status.received',
        id: `${sentWamid}:${status}`,
        rawId: `raw-${status}`,
        receivedAt: at(offset),
        occurredAt: at(offset),
        wabaId: '102290129340398',
        phoneNumberId: PNID,
        displayPhoneNumber: '15550001111',
        recipientId: GUEST,
        status: {
          id: sentWamid,
          status,
          timestamp: '1780000001',
          recipient_id: GUEST,
          biz_opaque_callback_data: key,
        },
      });
      await emit(topology.subjects.inboundStatus(PNID, GUEST), event.id, event);
    }
    return inboundAck.seq;
  }

  beforeAll(async () => {
    // A server with the users of this prefix: the CLI runs as the ops user, under its allow-lists.
    nats = await useNatsWithUsers();
    database = await useDatabase();
    topology = makeTopology(nats.prefix);
    const { whatsapp, conversations, reservations, outbound } = topology.streams;
    for (const spec of [whatsapp, conversations, reservations, outbound]) {
      await ensureStream(nats.jsm, spec, { replicas: 1 });
    }
    ops = { nc: nats.nc, js: nats.js, jsm: nats.jsm, topology, close: async () => {} };
    // The real service, for its gRPC API alone: it consumes no partition, so the events this test
    // publishes stay as they are, and no neighbour is called.
    conversation = await startConversation(
      conversationEnv.parse({
        NATS_URL: nats.url,
        NATS_PREFIX: nats.prefix,
        DATABASE_URL: database.url,
        CONVERSATION_HOST: '127.0.0.1',
        CONVERSATION_GRPC_PORT: '0',
        CONVERSATION_HTTP_PORT: '0',
        INTENT_GRPC_ADDRESS: '127.0.0.1:1',
        RESERVATION_GRPC_ADDRESS: '127.0.0.1:1',
        LOG_LEVEL: 'silent',
      }),
      createLogger('ops-trace-test', 'silent'),
      { partitions: [] },
    );
    env = {
      NATS_URL: nats.url,
      NATS_PREFIX: nats.prefix,
      DATABASE_URL: database.url,
      CONVERSATION_GRPC_ADDRESS: conversation.grpcAddress,
    };
    config = opsEnv.parse({ ...env, JAEGER_UI_URL: 'http://jaeger.test:16686/' });
  });

  afterAll(async () => {
    await conversation?.close(1_000);
    await database?.drop();
    // Last: it fails when NATS refused the CLI or a service anything (a missing permission).
    await nats?.cleanup();
  });

  it('gives the trace id, the Jaeger link and the journey in time order, with no phone number in it', async () => {
    await chain('wamid.OTHER', 'wamid.OUT0');
    await chain('wamid.IN1', 'wamid.OUT1');
    const result = await collectJourney(config, ops, 'wamid.IN1', { windowMs: 3_600_000, json: true });
    expect(result.traceId).toBe(TRACE_ID);
    expect(result.jaeger).toBe(`http://jaeger.test:16686/trace/${TRACE_ID}`);
    expect(result.journey.map((s) => s.step)).toEqual([
      'received',
      'dialogue',
      'interpreted',
      'reserved',
      'dialogue',
      'dialogue',
      'replied',
      'sent',
      'delivered',
      'read',
    ]);
    expect(result.journey.map((s) => s.detail).join('\n')).toContain('intent BOOK by rules');
    expect(result.journey.filter((s) => s.said)).toEqual([
      expect.objectContaining({ step: 'received', said: { by: 'guest', text: 'table for 2 at 8' } }),
      expect.objectContaining({ step: 'replied', said: { by: 'bot', text: 'Booked: 2 at 20:00' } }),
    ]);
    expect(result.journey.find((s) => s.step === 'sent')?.detail).toContain('wamid.OUT1');
    expect(result.journey.some((s) => s.detail.includes('wamid.OTHER'))).toBe(false);
    expect(JSON.stringify(result)).not.toContain(GUEST);
    for (const step of result.journey) expect(Number.isNaN(Date.parse(step.at))).toBe(false);
  });

  it("prints the guest's message and the bot's reply under their steps, phone numbers masked, control characters neutralised", async () => {
    await chain('wamid.TXT1', 'wamid.OUTT1', {
      guestText: 'table for 2 at 8, call 971509876543\u001b]0;pwned\u0007',
      decided: true,
    });
    const run = await runOps(['trace', 'wamid.TXT1'], env);
    expect(run.code, run.stderr).toBe(0);
    const lines = run.stdout.split('\n');
    const received = lines.findIndex((line) => / received {4}/.test(line));
    expect(lines[received + 1]?.trim()).toBe('guest: table for 2 at 8, call 9715****6543?]0;pwned?');
    const replied = lines.findIndex((line) => / replied {5}/.test(line));
    expect(lines[replied + 1]?.trim()).toBe('bot: Booked: 2 at 20:00');
    // Said once: the assistant turn's text is the reply command's, shown on the replied step.
    expect(run.stdout.match(/Booked: 2 at 20:00/g)).toHaveLength(1);
    expect(run.stdout).not.toContain('\u001b');
    expect(run.stdout).not.toContain('971509876543');
  });

  it("shows the bot's answer from its assistant turn when the reply command never reached OUTBOUND", async () => {
    await chain('wamid.TXT2', 'wamid.OUTT2', { decided: true, relayed: false });
    const result = await collectJourney(config, ops, 'wamid.TXT2', { windowMs: 3_600_000, json: true });
    expect(result.journey[0]?.said).toEqual({ by: 'guest', text: 'table for 2 at 8' });
    expect(result.journey.some((s) => s.step === 'replied')).toBe(false);
    const answer = result.journey.filter((s) => s.said?.by === 'bot');
    expect(answer).toEqual([
      expect.objectContaining({
        step: 'dialogue',
        detail: 'assistant turn recorded, its reply command not found',
        said: { by: 'bot', text: 'Booked: 2 at 20:00' },
      }),
    ]);
  });

  it('finds the message through the conversation service (LocateMessage) without scanning the stream', async () => {
    const seq = await chain('wamid.IN2', 'wamid.OUT2');
    // The inbox row the service's handling of the message writes (its schema, migrated at start).
    const db = createDatabase<unknown>({
      url: database.url,
      applicationName: 'ops-trace-test',
      maxConnections: 1,
    });
    try {
      await sql`insert into conversation.inbox (consumer, event_id, stream_seq)
        values (${INBOX_CONSUMER}, 'wamid.IN2', ${seq})`.execute(db);
    } finally {
      await db.destroy();
    }
    // --since 1ms: a scan would find nothing, so only the service's answer can.
    const result = await collectJourney(config, ops, 'wamid.IN2', {
      windowMs: 3_600_000,
      sinceMs: 1,
      json: true,
    });
    expect(result.journey[0]).toMatchObject({
      step: 'received',
      source: `${topology.streams.whatsapp.name}#${seq}`,
    });
    await expect(
      collectJourney(config, ops, 'wamid.NOPE', { windowMs: 3_600_000, sinceMs: 1, json: true }),
    ).rejects.toThrow('no inbound message with Nats-Msg-Id wamid.NOPE');
  });

  it('says the conversation service did not answer and finds the message by scanning the stream', async () => {
    await chain('wamid.IN3', 'wamid.OUT3');
    const run = await runOps(['trace', 'wamid.IN3', '--json'], {
      ...env,
      CONVERSATION_GRPC_ADDRESS: '127.0.0.1:1',
    });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain('conversation.v1 at 127.0.0.1:1 did not answer');
    expect(run.stderr).toContain('is the stack up?');
    expect(run.stderr).toContain(`scanning ${topology.streams.whatsapp.name} for the message instead`);
    expect(JSON.parse(run.stdout)).toMatchObject({ wamid: 'wamid.IN3', traceId: TRACE_ID });
  });

  it('refuses a wamid no WhatsApp id looks like before connecting anywhere', async () => {
    const run = await runOps(['trace', 'wamid with spaces'], env);
    expect(run.code).toBe(64);
    expect(run.stderr).toContain('printable ASCII');
  });
});
