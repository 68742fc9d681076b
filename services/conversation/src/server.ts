import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import {
  type ConversationConfig,
  grpcClientTls,
  grpcServerTls,
  natsCredentials,
  natsTls,
} from '@reserveit/config';
import { topology as makeTopology, type Topology, tuned } from '@reserveit/contracts';
import { createDatabase, migrateSchema } from '@reserveit/db';
import { connectNats, consumePartitioned, ensureStream } from '@reserveit/messaging';
import { startGrpcServer, tokenSigner } from '@reserveit/rpc';
import { ConversationServiceService } from '@reserveit/rpc/conversation/v1/conversation';
import { boundUrl, buildProbeServer, createMetrics, type Logger, type Registry } from '@reserveit/telemetry';
import { type Kysely, sql } from 'kysely';
import { BusinessDirectory } from './business-directory.js';
import { ConversationStore } from './conversation-store.js';
import { type ConversationDb, migrations, SCHEMA } from './database.js';
import { startDeliveryProjection } from './delivery-projection.js';
import type { DialogueSettings } from './dialogue/index.js';
import { CONVERSATION_SERVICE_NAME, conversationService } from './grpc-service.js';
import { MenuCatalog } from './menu-catalog.js';
import { conversationMetrics } from './metrics.js';
import { startOutboxSweeper } from './outbox-relay.js';
import { handle, type PipelineDeps, WaitingForIntent } from './pipeline.js';
import { startReservationNotices } from './reservation-notices.js';
import { startScheduledWork } from './scheduled-work.js';
import { connectUpstreams } from './upstreams.js';

export interface RunningConversation {
  grpcAddress: string;
  grpcPort: number;
  httpAddress: string;
  topology: Topology;
  registry: Registry;
  /** Stops pulling, lets in-flight messages finish, stops gRPC and HTTP, drains NATS, closes the pool. */
  close(deadlineMs?: number): Promise<void>;
}

export interface StartOptions {
  /** The clock; tests pin it. */
  now?: () => number;
  /** Partitions this process consumes; every one by default. */
  partitions?: number[];
}

/** Migrates, connects, starts the partition consumers, gRPC and the probes. Used by run.ts and the tests. */
export async function startConversation(
  config: ConversationConfig,
  logger: Logger,
  options: StartOptions = {},
): Promise<RunningConversation> {
  const now = options.now ?? Date.now;
  const topology = makeTopology(config.NATS_PREFIX, {
    duplicateWindowSeconds: config.NATS_DUPLICATE_WINDOW_SECONDS,
  });
  const db = createDatabase<ConversationDb>({
    url: config.DATABASE_URL,
    applicationName: 'conversation',
    maxConnections: config.CONVERSATION_DB_POOL,
    logger,
  });
  await migrateSchema(db as unknown as Kysely<unknown>, SCHEMA, migrations);
  const nc = await connectNats({
    url: config.NATS_URL,
    name: 'conversation',
    logger,
    credentials: natsCredentials(config, 'conversation'),
    tls: natsTls(config),
  });
  const js = jetstream(nc);
  const jsm = await jetstreamManager(nc);
  for (const spec of [
    topology.streams.whatsapp,
    topology.streams.conversations,
    topology.streams.outbound,
    topology.streams.reservations,
    topology.streams.schedule,
    topology.streams.deadLetters,
  ]) {
    await ensureStream(jsm, spec, { replicas: config.NATS_STREAM_REPLICAS });
  }

  const registry = createMetrics('conversation');
  const metrics = conversationMetrics(registry);
  const store = new ConversationStore(db, (error) =>
    logger.warn({ err: error }, 'removing published outbox rows failed; the sweeper publishes them again'),
  );
  const upstreams = connectUpstreams(
    config.INTENT_GRPC_ADDRESS,
    config.RESERVATION_GRPC_ADDRESS,
    tokenSigner('conversation', config.RPC_SIGNING_KEY),
    grpcClientTls(config),
  );
  const remembered = {
    ttlMs: config.CONVERSATION_BUSINESS_CACHE_MS,
    deadlineMs: config.CONVERSATION_RESERVATION_DEADLINE_MS,
  };
  const directory = new BusinessDirectory(upstreams, remembered);
  const menus = new MenuCatalog(upstreams, remembered);
  const settings: DialogueSettings = {
    sessionIdleMs: config.CONVERSATION_SESSION_IDLE_MS,
    handoffTimeoutMs: config.CONVERSATION_HANDOFF_TIMEOUT_MS,
    maxMessagesPerMinute: config.CONVERSATION_MAX_MESSAGES_PER_MINUTE,
  };
  const publishTimeoutMs = 5_000;
  const deps: PipelineDeps = {
    js,
    topology,
    store,
    directory,
    menus,
    upstreams,
    logger,
    metrics,
    settings,
    idKey: config.CONVERSATION_ID_KEY,
    intentDeadlineMs: config.CONVERSATION_INTENT_DEADLINE_MS,
    reservationDeadlineMs: config.CONVERSATION_RESERVATION_DEADLINE_MS,
    publishTimeoutMs,
    now,
  };

  // Per-conversation order across replicas: the row `conversation.inbound` of the wiring table
  // (libs/contracts/src/consumers.ts), tuned by the environment.
  const inbound = tuned(topology.consumers.conversation.inbound, {
    ackWaitMs: config.CONVERSATION_ACK_WAIT_MS,
    maxDeliver: config.CONVERSATION_MAX_DELIVER,
    backoff: { baseMs: config.CONVERSATION_RETRY_BASE_MS, maxMs: config.CONVERSATION_RETRY_MAX_MS },
  });
  const consumers = await consumePartitioned(inbound, {
    js,
    jsm,
    logger,
    partitions: options.partitions,
    handler: async (message, context) => {
      const started = performance.now();
      try {
        const handled = await handle(deps, { kind: 'inbound', message, attempt: context });
        metrics.messages.inc({ outcome: handled.outcome });
      } catch (error) {
        if (!(error instanceof WaitingForIntent))
          logger.warn({ err: error, seq: message.seq }, 'inbound message failed');
        throw error;
      } finally {
        metrics.handleSeconds.observe((performance.now() - started) / 1000);
      }
    },
    onDeadLetter: () => metrics.deadLetters.inc(),
  });
  // Reminders the scheduler hands over: row `conversation.scheduled`.
  const scheduled = await startScheduledWork({
    ...deps,
    jsm,
    row: topology.consumers.conversation.scheduled,
  });
  const sweeper = startOutboxSweeper({ js, store, logger, intervalMs: 5_000, publishTimeoutMs });
  // Delivery ticks for the history: rows `conversation.deliveries` and `conversation.statuses`.
  const deliveries = await startDeliveryProjection({
    js,
    jsm,
    db,
    logger,
    rows: topology.consumers.conversation,
  });
  // Waitlist offers and no-show words to their guests: row `conversation.waitlistOffers`.
  const offers = await startReservationNotices({
    js,
    jsm,
    logger,
    row: topology.consumers.conversation.waitlistOffers,
    upstreams,
    idKey: config.CONVERSATION_ID_KEY,
    deadlineMs: config.CONVERSATION_RESERVATION_DEADLINE_MS,
    run: (input) => handle(deps, input),
  });

  const grpc = await startGrpcServer(
    config.CONVERSATION_HOST,
    config.CONVERSATION_GRPC_PORT,
    [
      {
        definition: ConversationServiceService,
        implementation: conversationService(deps),
        name: CONVERSATION_SERVICE_NAME,
      },
    ],
    {
      audience: 'conversation',
      trustedKeys: config.RPC_TRUSTED_KEYS,
      verifySignatures: config.RPC_VERIFY_CALLERS,
      logger,
      refused: metrics.grpcRefused,
    },
    grpcServerTls(config),
  );
  let stopping = false;
  const probes = buildProbeServer({
    registry,
    logger,
    async readiness() {
      const database = await sql`select 1`.execute(db).then(
        () => true,
        () => false,
      );
      const checks = { consuming: !stopping, nats: !nc.isClosed(), database };
      const ready = Object.values(checks).every(Boolean);
      return { ready, detail: JSON.stringify(checks) };
    },
  });
  await probes.listen({ host: config.CONVERSATION_HOST, port: config.CONVERSATION_HTTP_PORT });
  const httpAddress = boundUrl(probes.server.address());
  return {
    grpcAddress: grpc.address,
    grpcPort: grpc.port,
    httpAddress,
    topology,
    registry,
    async close(deadlineMs = config.SHUTDOWN_DEADLINE_MS) {
      stopping = true;
      await consumers.stop();
      await scheduled.stop();
      await Promise.all([...deliveries, offers].map((consumer) => consumer.stop()));
      await sweeper.stop();
      await grpc.stop(Math.max(100, deadlineMs / 2));
      await store.flushPublished();
      await probes.close();
      upstreams.close();
      await nc.drain();
      await db.destroy();
    },
  };
}
