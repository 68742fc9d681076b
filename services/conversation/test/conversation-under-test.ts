import { randomBytes } from 'node:crypto';
import { credentials } from '@grpc/grpc-js';
import { DeliverPolicy, type JetStreamClient } from '@nats-io/jetstream';
import { conversationEnv, intentEnv, loadSenderConfig, reservationEnv } from '@reserveit/config';
import {
  conversationEventsOf,
  type SendRequested,
  sendRequestedSchema,
  topology,
} from '@reserveit/contracts';
import { publish } from '@reserveit/messaging';
import { type UnaryMethod, unaryCall } from '@reserveit/rpc';
import { ConversationServiceClient } from '@reserveit/rpc/conversation/v1/conversation';
import { ReservationServiceClient } from '@reserveit/rpc/reservation/v1/reservation';
import { createLogger } from '@reserveit/telemetry';
import { devCallerOptions, type TestDatabase, type TestNats, useDatabase, useNats } from '@reserveit/testkit';
// The real neighbours, started in-process from their own start functions (a test may; services may not).
import { type RunningIntent, startIntent } from '../../intent/src/server.js';
import { type RunningReservation, startReservation } from '../../reservation/src/server.js';
import { type RunningSender, startSender } from '../../sender/src/server.js';
import { type RunningConversation, type StartOptions, startConversation } from '../src/index.js';

export const PHONE_NUMBER_ID = '106540352242922';

export const rpc = <C, Req, Res>(client: C, method: UnaryMethod<Req, Res>, request: Req): Promise<Res> =>
  unaryCall(client, method, request, 10_000);

export interface Neighbours {
  nats: TestNats;
  database: TestDatabase;
  reservation: RunningReservation;
  intent: RunningIntent;
  reservations: ReservationServiceClient;
  stop(): Promise<void>;
}

const every = (intervals: { start: string; end: string }[]) =>
  [1, 2, 3, 4, 5, 6, 7].map((isoWeekday) => ({ isoWeekday, intervals }));

/** Real NATS, Postgres, reservation and intent services, with one registered restaurant. */
/** A reservation service on this NATS prefix and database (another replica, when one runs). */
export function startReservationReplica(
  nats: TestNats,
  database: TestDatabase,
  grpcPort = 0,
): Promise<RunningReservation> {
  return startReservation(
    reservationEnv.parse({
      NATS_URL: nats.url,
      NATS_PREFIX: nats.prefix,
      DATABASE_URL: database.url,
      LOG_LEVEL: 'silent',
      RESERVATION_HOST: '127.0.0.1',
      RESERVATION_GRPC_PORT: String(grpcPort),
      RESERVATION_HTTP_PORT: '0',
      RESERVATION_DB_POOL: '4',
    }),
    createLogger('reservation-test', 'silent'),
  );
}

export async function startNeighbours(): Promise<Neighbours> {
  const nats = await useNats();
  const database = await useDatabase();
  const common = {
    NATS_URL: nats.url,
    NATS_PREFIX: nats.prefix,
    DATABASE_URL: database.url,
    LOG_LEVEL: 'silent',
  };
  const reservation = await startReservationReplica(nats, database);
  const intent = await startIntent(
    intentEnv.parse({
      ...common,
      INTENT_HOST: '127.0.0.1',
      INTENT_GRPC_PORT: '0',
      INTENT_HTTP_PORT: '0',
      // Rules never read memory; the turns this service publishes are checked in it all the same.
      INTENT_MEMORY_PROJECTOR: 'true',
    }),
    createLogger('intent-test', 'silent'),
  );
  const reservations = new ReservationServiceClient(
    reservation.grpcAddress,
    credentials.createInsecure(),
    devCallerOptions(),
  );
  await rpc(reservations, reservations.registerBusiness, {
    business: {
      id: 'bistro',
      name: 'Bistro Dubai',
      phoneNumberId: PHONE_NUMBER_ID,
      displayPhoneNumber: '15550001111',
      bookingFlowId: '',
      timezone: 'Asia/Dubai',
      locales: ['en', 'ar'],
      greetings: { en: 'Welcome to Bistro Dubai!', ar: 'أهلًا بك في بيسترو دبي!' },
      rules: {
        slotMinutes: 15,
        seatingMinutes: 90,
        capacityCovers: 40,
        maxPartySize: 8,
        minLeadMinutes: 30,
        horizonDays: 60,
        cancellationCutoffMinutes: 60,
      },
      hours: { weekly: every([{ start: '12:00', end: '23:30' }]), closedDates: [], specialHours: [] },
    },
    menu: [
      {
        id: 'hummus',
        category: 'Starters',
        name: 'Hummus',
        description: 'Chickpeas and tahini',
        priceMinor: 2800,
        currency: 'AED',
        dietaryTags: [],
        available: true,
        position: 1,
      },
    ],
  });
  // The business is read from the reservation projection, which follows the stream.
  for (let i = 0; ; i += 1) {
    try {
      await rpc(reservations, reservations.getBusinessByPhoneNumberId, { phoneNumberId: PHONE_NUMBER_ID });
      break;
    } catch (error) {
      if (i > 200) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  return {
    nats,
    database,
    reservation,
    intent,
    reservations,
    async stop() {
      reservations.close();
      await intent.close(1_000);
      await reservation.close(1_000);
      await nats.cleanup();
      await database.drop();
    },
  };
}

export async function conversationUnderTest(
  neighbours: Neighbours,
  env: Record<string, string> = {},
  options: StartOptions = {},
): Promise<RunningConversation> {
  const config = conversationEnv.parse({
    NATS_URL: neighbours.nats.url,
    NATS_PREFIX: neighbours.nats.prefix,
    DATABASE_URL: neighbours.database.url,
    CONVERSATION_HOST: '127.0.0.1',
    CONVERSATION_GRPC_PORT: '0',
    CONVERSATION_HTTP_PORT: '0',
    CONVERSATION_DB_POOL: '4',
    CONVERSATION_RETRY_BASE_MS: '50',
    CONVERSATION_RETRY_MAX_MS: '200',
    CONVERSATION_MAX_DELIVER: '3',
    INTENT_GRPC_ADDRESS: `127.0.0.1:${neighbours.intent.grpcPort}`,
    RESERVATION_GRPC_ADDRESS: neighbours.reservation.grpcAddress,
    LOG_LEVEL: 'silent',
    ...env,
  });
  return startConversation(config, createLogger('conversation-test', config.LOG_LEVEL), options);
}

/**
 * The real sender beside the neighbours (their NATS and database), calling a fake Graph API with
 * `accessToken`: started in-process from its own start function (a test may; services may not).
 */
export function senderBeside(
  { nats, database }: Neighbours,
  graphBaseUrl: string,
  accessToken: string,
): Promise<RunningSender> {
  return startSender(
    loadSenderConfig({
      NATS_URL: nats.url,
      NATS_PREFIX: nats.prefix,
      DATABASE_URL: database.url,
      LOG_LEVEL: 'silent',
      SENDER_HOST: '127.0.0.1',
      SENDER_HTTP_PORT: '0',
      WHATSAPP_ACCESS_TOKEN: accessToken,
      WHATSAPP_GRAPH_BASE_URL: graphBaseUrl,
      SENDER_POLL_MS: '100',
    }),
    createLogger('sender-test', 'silent'),
  );
}

/** The staff API as the console calls it for these restaurants (and `LocateMessage` as ops). */
export function staffClient(
  conversation: RunningConversation,
  restaurants = ['bistro'],
): ConversationServiceClient {
  return new ConversationServiceClient(
    conversation.grpcAddress,
    credentials.createInsecure(),
    devCallerOptions({ restaurants }),
  );
}

export function newGuest(): string {
  return `9715${randomBytes(4).readUInt32BE(0) % 100_000_000}`.padEnd(12, '0');
}

export type Said = { text: string } | { tap: { id: string; title: string } };

/** Publishes what ingress would for one guest message; returns its wamid. */
export async function guestSays(
  js: JetStreamClient,
  prefix: string,
  guest: { id: string; name?: string },
  said: Said,
  options: { wamid?: string; msgId?: string; phoneNumberId?: string } = {},
): Promise<string> {
  const wamid = options.wamid ?? `wamid.${randomBytes(12).toString('base64url')}`;
  const phoneNumberId = options.phoneNumberId ?? PHONE_NUMBER_ID;
  const now = new Date().toISOString();
  const message =
    'text' in said
      ? {
          from: guest.id,
          id: wamid,
          timestamp: String(Math.floor(Date.now() / 1000)),
          type: 'text',
          text: { body: said.text },
        }
      : {
          from: guest.id,
          id: wamid,
          timestamp: String(Math.floor(Date.now() / 1000)),
          type: 'interactive',
          interactive: { type: 'button_reply', button_reply: said.tap },
        };
  await publish(js, {
    subject: topology(prefix).subjects.inboundMessage(phoneNumberId, guest.id),
    msgId: options.msgId ?? wamid,
    timeoutMs: 5_000,
    data: JSON.stringify({
      v: 1,
      type: 'whatsapp.message.received',
      id: wamid,
      rawId: `raw-${wamid}`,
      receivedAt: now,
      occurredAt: now,
      wabaId: '102290129340398',
      phoneNumberId,
      displayPhoneNumber: '15550001111',
      guest: { id: guest.id, waId: guest.id, ...(guest.name ? { name: guest.name } : {}) },
      message,
    }),
  });
  return wamid;
}

/** Every message of a stream as it arrives (an ordered consumer), parsed as JSON. */
async function watchStream(nats: TestNats, stream: string) {
  const payloads: unknown[] = [];
  const consumer = await nats.js.consumers.get(stream, { deliver_policy: DeliverPolicy.All });
  const messages = await consumer.consume();
  void (async () => {
    for await (const message of messages) payloads.push(message.json());
  })();
  return { payloads, stop: () => messages.close() };
}

export async function until(predicate: () => boolean, what: () => string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting: ${what()}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export interface StreamEvent {
  type: string;
  id: string;
  causationId?: string;
  conversationId: string;
  [key: string]: unknown;
}

/** The OUTBOUND commands and CONVERSATIONS events of a prefix, as they arrive. */
export async function watchOutput(nats: TestNats, prefix = nats.prefix) {
  const t = topology(prefix);
  const outbound = await watchStream(nats, t.streams.outbound.name);
  const conversations = await watchStream(nats, t.streams.conversations.name);
  const commands = () => outbound.payloads.map((payload) => sendRequestedSchema.parse(payload));
  const events = () => conversations.payloads.flatMap(conversationEventsOf) as StreamEvent[];
  const repliesTo = (wamid: string) =>
    commands().filter((c) => c.replyTo === wamid && c.message.kind !== 'read');
  return {
    commands,
    events,
    /**
     * The guest messages marked read, as (guest, wamid) once per command that asks for it: a read
     * receipt of its own or one a reply carries (`markRead`).
     */
    markedRead: () =>
      commands().flatMap((c) => {
        const wamid = c.message.kind === 'read' ? c.message.messageId : c.markRead;
        return wamid ? [{ to: c.to, wamid, carried: c.message.kind !== 'read' }] : [];
      }),
    /** Replies (not read receipts) answering one inbound wamid, in publish order. */
    repliesTo,
    /**
     * Waits until the decision on this wamid was published to the end (its state event comes last
     * on CONVERSATIONS) and every reply it requested has reached this watcher of OUTBOUND too (the
     * two streams are read by two consumers, so one may be ahead of the other).
     */
    settled: (wamid: string, timeoutMs?: number) =>
      until(
        () =>
          events().some(
            (e) =>
              e.causationId === wamid &&
              (e.type === 'conversation.state.changed' || e.type === 'conversation.business.unknown'),
          ) &&
          repliesTo(wamid).length >=
            events().filter((e) => e.causationId === wamid && e.type === 'conversation.reply.requested')
              .length,
        () =>
          `decision on ${wamid}; events: ${events()
            .map((e) => e.id)
            .join(', ')}`,
        timeoutMs,
      ),
    stop: async () => {
      await outbound.stop();
      await conversations.stop();
    },
  };
}

export type Output = Awaited<ReturnType<typeof watchOutput>>;

/** Sends and returns the replies to that message once its decision is fully published. */
export async function exchange(
  nats: TestNats,
  output: Output,
  guest: { id: string; name?: string },
  said: Said,
): Promise<SendRequested['message'][]> {
  const wamid = await guestSays(nats.js, nats.prefix, guest, said);
  await output.settled(wamid);
  return output.repliesTo(wamid).map((c) => c.message);
}
