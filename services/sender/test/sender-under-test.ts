import { loadSenderConfig, type SenderConfig } from '@reserveit/config';
import {
  topology as makeTopology,
  type OutboundEvent,
  outboundEventSchema,
  type SendRequested,
  type Topology,
} from '@reserveit/contracts';
import { ensureStream, publish } from '@reserveit/messaging';
import { createLogger, type Logger } from '@reserveit/telemetry';
import {
  type FakeGraphApi,
  startFakeGraphApi,
  statusReceivedEvent,
  type TestDatabase,
  type TestNats,
  useDatabase,
  useNats,
} from '@reserveit/testkit';
import { type RunningSender, type SenderOptions, startSender } from '../src/server.js';

export const ACCESS_TOKEN = 'test-access-token';
export const PNID = '106540352242922';

export interface Harness {
  nats: TestNats;
  database: TestDatabase;
  graph: FakeGraphApi;
  topology: Topology;
  events: OutboundEvent[];
  env(overrides?: Record<string, string>): Record<string, string>;
  start(overrides?: Record<string, string>, options?: SenderOptions, logger?: Logger): Promise<RunningSender>;
  /**
   * Publishes a send command like the conversation service does (a read receipt on its own
   * subject): Msg-Id = dedupe key unless given.
   */
  request(command: SendRequested, msgId?: string): Promise<void>;
  /** Publishes a status event like ingress does. */
  status(wamid: string, status: string, key?: string, recipient?: string): Promise<void>;
  cleanup(): Promise<void>;
}

let counter = 0;

/** A command with sensible defaults; the key is unique per call. */
export function command(
  message: SendRequested['message'],
  overrides: Partial<SendRequested> = {},
): SendRequested {
  counter++;
  return {
    v: 1,
    type: 'whatsapp.send.requested',
    id: `conv-${counter}:wamid.in${counter}:1`,
    phoneNumberId: PNID,
    to: `97150000${String(counter).padStart(4, '0')}`,
    requestedAt: new Date().toISOString(),
    message,
    ...overrides,
  };
}

export async function harness(): Promise<Harness> {
  const nats = await useNats();
  const database = await useDatabase();
  const graph = await startFakeGraphApi({ accessToken: ACCESS_TOKEN });
  const topology = makeTopology(nats.prefix);
  for (const spec of [topology.streams.outbound, topology.streams.whatsapp, topology.streams.deadLetters]) {
    await ensureStream(nats.jsm, spec, { replicas: 1 });
  }
  // Read what the stream stored (as consumers do), not every publish: a final row's event may be
  // published twice (right away and by the republisher) and JetStream keeps it once by Msg-Id.
  const events: OutboundEvent[] = [];
  const consumer = await nats.js.consumers.get(topology.streams.outbound.name, {
    filter_subjects: topology.subjects.outboundEventAll,
  });
  const subscription = await consumer.consume();
  void (async () => {
    for await (const msg of subscription) {
      const parsed = outboundEventSchema.safeParse(msg.json());
      if (parsed.success) events.push(parsed.data);
    }
  })();
  const senders: RunningSender[] = [];
  const env = (overrides: Record<string, string> = {}) => ({
    NATS_URL: nats.url,
    NATS_PREFIX: nats.prefix,
    DATABASE_URL: database.url,
    SENDER_HOST: '127.0.0.1',
    SENDER_HTTP_PORT: '0',
    WHATSAPP_ACCESS_TOKEN: ACCESS_TOKEN,
    WHATSAPP_GRAPH_BASE_URL: graph.baseUrl,
    SENDER_RETRY_BASE_MS: '100',
    SENDER_RETRY_MAX_MS: '400',
    SENDER_PAIR_RETRY_BASE_MS: '200',
    SENDER_MAX_ATTEMPTS: '3',
    SENDER_POLL_MS: '100',
    SENDER_REQUEST_TIMEOUT_MS: '2000',
    SENDER_LEASE_MS: '5000',
    SENDER_RECONCILE_WINDOW_MS: '3000',
    ...overrides,
  });
  return {
    nats,
    database,
    graph,
    topology,
    events,
    env,
    async start(overrides = {}, options = {}, logger = createLogger('sender-test', 'silent')) {
      const config: SenderConfig = loadSenderConfig(env(overrides));
      const sender = await startSender(config, logger, options);
      senders.push(sender);
      return sender;
    },
    async request(cmd, msgId) {
      await publish(nats.js, {
        subject:
          cmd.message.kind === 'read'
            ? topology.subjects.outboundRead(cmd.phoneNumberId)
            : topology.subjects.outboundCommand(cmd.phoneNumberId, cmd.to),
        msgId: msgId ?? cmd.id,
        data: JSON.stringify(cmd),
        timeoutMs: 5_000,
      });
    },
    async status(wamid, status, key, recipient = '971500000000') {
      const event = statusReceivedEvent({ wamid, status, phoneNumberId: PNID, recipient, callbackKey: key });
      await publish(nats.js, {
        subject: topology.subjects.inboundStatus(PNID, recipient),
        msgId: event.id,
        data: JSON.stringify(event),
        timeoutMs: 5_000,
      });
    },
    async cleanup() {
      for (const sender of senders.splice(0)) await sender.close().catch(() => undefined);
      await subscription.close();
      await graph.close();
      await nats.cleanup();
      await database.drop();
    },
  };
}

/** Polls until `check` returns a value (not undefined/false) or the time is up. */
export async function eventually<T>(
  check: () => T | Promise<T>,
  timeoutMs = 10_000,
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined && value !== null && value !== false) return value as NonNullable<T>;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline)
      throw new Error(`condition not met in ${timeoutMs} ms${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
