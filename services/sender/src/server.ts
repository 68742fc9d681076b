import { randomUUID } from 'node:crypto';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { natsCredentials, natsTls, type SenderConfig } from '@reserveit/config';
import { topology as makeTopology, type Topology, tuned } from '@reserveit/contracts';
import { createDatabase, migrateSchema } from '@reserveit/db';
import { connectNats, ensureStream, publish, type RunningConsumer } from '@reserveit/messaging';
import { boundUrl, buildProbeServer, createMetrics, type Logger } from '@reserveit/telemetry';
import { sql } from 'kysely';
import { startCommandIntake } from './command-intake.js';
import { Dispatcher } from './dispatcher.js';
import { createGraphClient } from './graph/graph-client.js';
import { senderMetrics } from './metrics.js';
import { senderMigrations } from './outbox/migrations.js';
import { type OutboxRow, OutboxStore } from './outbox/outbox-store.js';
import { OutcomeMarks } from './outbox/outcome-marks.js';
import { RateLimitStore } from './outbox/rate-limit-store.js';
import { StatusStore } from './outbox/status-store.js';
import { SENDER_SCHEMA, type SenderDb } from './outbox/tables.js';
import { publishOutcome } from './outcome-events.js';
import { startReadReceipts } from './read-receipts.js';
import { SendSlots } from './send-slots.js';
import { startStatusProjection } from './status-projection.js';

export interface SenderOptions {
  now?(): Date;
  /** Test hook: runs after the Graph API answered and before the answer is recorded. */
  afterCall?(key: string): Promise<void>;
}

export interface RunningSender {
  /** Probe server, e.g. http://127.0.0.1:9094 */
  address: string;
  topology: Topology;
  store: OutboxStore;
  statuses: StatusStore;
  /** Stops consuming, lets in-flight sends be recorded, drains NATS and closes the pool. */
  close(): Promise<void>;
}

/** How often final rows whose event did not go out (NATS trouble, a crash) are published again. */
const REPUBLISH_INTERVAL_MS = 5_000;

/** Migrates, connects, starts both consumers, the dispatcher and the probes. Used by run and tests. */
export async function startSender(
  config: SenderConfig,
  logger: Logger,
  options: SenderOptions = {},
): Promise<RunningSender> {
  const now = options.now ?? (() => new Date());
  const topology = makeTopology(config.NATS_PREFIX, {
    duplicateWindowSeconds: config.NATS_DUPLICATE_WINDOW_SECONDS,
  });
  const db = createDatabase<SenderDb>({
    url: config.DATABASE_URL,
    applicationName: 'sender',
    maxConnections: config.SENDER_DB_POOL,
    logger,
  });
  await migrateSchema(db as never, SENDER_SCHEMA, senderMigrations);
  const store = new OutboxStore(db);
  const statuses = new StatusStore(db);
  const marks = new OutcomeMarks(db, (error) =>
    logger.warn({ err: error }, 'flagging published outcomes failed; they are published again'),
  );

  const nc = await connectNats({
    url: config.NATS_URL,
    name: 'sender',
    logger,
    credentials: natsCredentials(config, 'sender'),
    tls: natsTls(config),
  });
  const jsm = await jetstreamManager(nc);
  const js = jetstream(nc);
  for (const spec of [topology.streams.outbound, topology.streams.whatsapp, topology.streams.deadLetters]) {
    await ensureStream(jsm, spec, { replicas: config.NATS_STREAM_REPLICAS });
  }

  const registry = createMetrics('sender');
  const deadLetterSubject = topology.consumers.sender.commands.deadLetter.subject;
  const metrics = senderMetrics(registry, {
    outboxActive: () => store.countActive(),
    deadLetters: async () => {
      const info = await jsm.streams.info(topology.streams.deadLetters.name, {
        subjects_filter: deadLetterSubject,
      });
      return info.state.subjects?.[deadLetterSubject] ?? 0;
    },
  });

  /** False when it failed: the row stays unpublished and the republisher sends the event later. */
  const publishOutcomeOf = async (row: OutboxRow) => {
    try {
      await publishOutcome(js, topology, row, now());
      return true;
    } catch (error) {
      logger.warn({ err: error, key: row.key }, 'outcome event not published yet; will retry');
      return false;
    }
  };
  const publishFinal = async (row: OutboxRow) => {
    if (await publishOutcomeOf(row)) marks.notePublished(row.key);
  };

  const graph = createGraphClient({
    baseUrl: config.WHATSAPP_GRAPH_BASE_URL,
    version: config.WHATSAPP_GRAPH_VERSION,
    accessToken: config.WHATSAPP_ACCESS_TOKEN,
    timeoutMs: config.SENDER_REQUEST_TIMEOUT_MS,
    connections: config.SENDER_CONCURRENCY,
  });
  // One limit for replies and read receipts, shared by every replica through Postgres: Meta
  // counts both against the number's throughput, whichever process sends.
  const rate = {
    perSecond: config.SENDER_RATE_PER_SECOND,
    burst: config.SENDER_RATE_BURST ?? config.SENDER_RATE_PER_SECOND,
  };
  const slots = new SendSlots({
    limits: new RateLimitStore(db, rate),
    rate,
    metrics,
    logger,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    nowMs: () => performance.now(),
  });
  const dispatcher = new Dispatcher({
    store,
    graph,
    slots,
    policy: {
      maxAttempts: config.SENDER_MAX_ATTEMPTS,
      baseMs: config.SENDER_RETRY_BASE_MS,
      maxMs: config.SENDER_RETRY_MAX_MS,
      pairBaseMs: config.SENDER_PAIR_RETRY_BASE_MS,
      reconcileWindowMs: config.SENDER_RECONCILE_WINDOW_MS,
    },
    owner: `sender-${randomUUID()}`,
    concurrency: config.SENDER_CONCURRENCY,
    leaseMs: config.SENDER_LEASE_MS,
    pollMs: config.SENDER_POLL_MS,
    dryRun: config.SENDER_DRY_RUN,
    // A dry run in production is a shadow deployment with real guests: their replies stay out of the logs.
    logReplies: config.SENDER_DRY_RUN && config.NODE_ENV !== 'production',
    logger,
    metrics,
    now,
    onFinal: publishFinal,
    publishOutcome: publishOutcomeOf,
    deferRead: async (receipt) => {
      await publish(js, {
        subject: topology.subjects.outboundRead(receipt.phoneNumberId),
        msgId: receipt.id,
        data: JSON.stringify(receipt),
        timeoutMs: 5_000,
      });
    },
    ...(options.afterCall ? { afterCall: options.afterCall } : {}),
  });

  // Its rows of the wiring table (libs/contracts/src/consumers.ts), as the environment tunes them.
  const rows = topology.consumers.sender;
  const consumers: RunningConsumer[] = [];
  consumers.push(
    await startStatusProjection({
      js,
      jsm,
      row: rows.statuses,
      store,
      statuses,
      logger,
      metrics,
      now,
      onConfirmed: async (row) => {
        await publishFinal(row);
        // Its guest's next reply waited behind it; the dispatcher makes that one head and sends it.
        if (row.followed) dispatcher.handOverOwed();
      },
    }),
  );
  consumers.push(
    await startCommandIntake({
      js,
      jsm,
      row: tuned(rows.commands, { ackWaitMs: config.SENDER_INTAKE_ACK_WAIT_MS }),
      logger,
      metrics,
      now,
      admit: (command) => dispatcher.admit(command),
    }),
  );
  consumers.push(
    await startReadReceipts({
      js,
      jsm,
      row: tuned(rows.reads, {
        maxAckPending: config.SENDER_CONCURRENCY,
        concurrency: config.SENDER_CONCURRENCY,
        maxDeliver: config.SENDER_MAX_ATTEMPTS,
        backoff: { baseMs: config.SENDER_RETRY_BASE_MS, maxMs: config.SENDER_RETRY_MAX_MS },
      }),
      graph,
      slots,
      dryRun: config.SENDER_DRY_RUN,
      logger,
      metrics,
    }),
  );
  dispatcher.start();

  let republishing = false;
  const republish = async () => {
    if (republishing) return;
    republishing = true;
    try {
      for (const row of await marks.unpublished(100)) await publishFinal(row);
    } catch (error) {
      logger.warn({ err: error }, 'looking for unpublished outcomes failed');
    } finally {
      republishing = false;
    }
  };
  void republish();
  const republishTimer = setInterval(() => void republish(), REPUBLISH_INTERVAL_MS);

  let closing = false;
  const app = buildProbeServer({
    logger,
    registry,
    readiness: async () => {
      if (closing) return { ready: false, detail: 'shutting down' };
      if (nc.isClosed()) return { ready: false, detail: 'NATS connection closed' };
      try {
        await sql`select 1`.execute(db);
      } catch {
        return { ready: false, detail: 'Postgres unreachable' };
      }
      return {
        ready: true,
        detail: config.SENDER_DRY_RUN ? 'NATS and Postgres up (dry run)' : 'NATS and Postgres up',
      };
    },
  });
  await app.listen({ host: config.SENDER_HOST, port: config.SENDER_HTTP_PORT });
  const address = boundUrl(app.server.address());

  return {
    address,
    topology,
    store,
    statuses,
    async close() {
      closing = true;
      if (config.SHUTDOWN_DRAIN_MS > 0) await new Promise((r) => setTimeout(r, config.SHUTDOWN_DRAIN_MS));
      clearInterval(republishTimer);
      await Promise.all(consumers.map((c) => c.stop()));
      await dispatcher.stop();
      while (republishing) await new Promise((r) => setTimeout(r, 10));
      await marks.flushPublished();
      await app.close();
      await nc.drain();
      await graph.close();
      await db.destroy();
    },
  };
}
