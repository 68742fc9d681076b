import { randomUUID } from 'node:crypto';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { grpcServerTls, natsCredentials, natsTls, type ReservationConfig } from '@reserveit/config';
import { topology as makeTopology, type Topology } from '@reserveit/contracts';
import { createDatabase, migrateSchema } from '@reserveit/db';
import { connectNats, ensureStream, type RunningConsumer } from '@reserveit/messaging';
import { startGrpcServer } from '@reserveit/rpc';
import { ReservationServiceService } from '@reserveit/rpc/reservation/v1/reservation';
import { boundUrl, buildProbeServer, createMetrics, type Logger } from '@reserveit/telemetry';
import { type Kysely, sql } from 'kysely';
import { reservationHandlers } from './grpc/handlers.js';
import { reservationMetrics } from './metrics.js';
import { projectionMigrations } from './projection/migrations.js';
import { startProjector } from './projection/projector.js';
import { ProjectionQueries } from './projection/queries.js';
import { PROJECTION_SCHEMA, type ProjectionDb } from './projection/tables.js';
import { type ReservationApp, reservationApp } from './reservation-app.js';
import { startScheduledChecks } from './scheduled-checks.js';
import { applySeed, readSeed } from './seed.js';
import { BusinessDirectory } from './store/business-directory.js';
import { EventStore } from './store/event-store.js';

export const SERVICE_NAME = 'reservation.v1.ReservationService';

export interface RunningReservation {
  grpcAddress: string;
  httpAddress: string;
  topology: Topology;
  app: ReservationApp;
  db: Kysely<ProjectionDb>;
  /** Businesses the seed file registered at this start. */
  seeded: string[];
  /** Stops taking calls, finishes in-flight ones, stops the projector, drains NATS, closes the pool. */
  close(deadlineMs?: number): Promise<void>;
}

export interface StartOptions {
  /** Tests run a second replica without a projector (one projector per deployment is plenty). */
  projector?: boolean;
  now?: () => number;
}

/** Connects, migrates, catches up, seeds, and listens. Used by run.ts and by the tests. */
export async function startReservation(
  config: ReservationConfig,
  logger: Logger,
  options: StartOptions = {},
): Promise<RunningReservation> {
  const topology = makeTopology(config.NATS_PREFIX, {
    duplicateWindowSeconds: config.NATS_DUPLICATE_WINDOW_SECONDS,
  });
  const nc = await connectNats({
    url: config.NATS_URL,
    name: 'reservation',
    logger,
    credentials: natsCredentials(config, 'reservation'),
    tls: natsTls(config),
  });
  const js = jetstream(nc);
  const jsm = await jetstreamManager(nc);
  for (const spec of [
    topology.streams.reservations,
    topology.streams.schedule,
    topology.streams.deadLetters,
  ]) {
    await ensureStream(jsm, spec, { replicas: config.NATS_STREAM_REPLICAS });
  }
  const db = createDatabase<ProjectionDb>({
    url: config.DATABASE_URL,
    applicationName: 'reservation',
    maxConnections: config.RESERVATION_DB_POOL,
    logger,
    // The projector applies batches to tables a replay or a busy day grows fast.
    customPlans: true,
  });
  await migrateSchema(db as unknown as Kysely<unknown>, PROJECTION_SCHEMA, projectionMigrations);

  const registry = createMetrics('reservation');
  const metrics = reservationMetrics(registry);
  const store = new EventStore(
    js,
    jsm,
    topology.streams.reservations.name,
    config.RESERVATION_APPEND_TIMEOUT_MS,
  );
  const directory = new BusinessDirectory((reason) => metrics.businessEventsSkipped.inc({ reason }));
  await directory.start(js, store.stream, topology.subjects.reservationBusinessAll, logger);
  await directory.whenCaughtUp(30_000);
  const app = reservationApp({
    store,
    topology,
    directory,
    queries: new ProjectionQueries(db),
    now: options.now ?? Date.now,
    newId: randomUUID,
    maxRetries: config.RESERVATION_MAX_CONFLICT_RETRIES,
    cacheSize: config.RESERVATION_CACHE_DAYS,
    onConflict: () => metrics.conflicts.inc(),
  });

  let projector: RunningConsumer | undefined;
  if (options.projector ?? config.RESERVATION_PROJECTOR) {
    projector = await startProjector({
      js,
      jsm,
      db,
      topology,
      logger,
      onApplied: (seq) => metrics.projectedSeq.set(seq),
    });
  }
  // No-show checks and waitlist offer expiries the scheduler hands over: row `reservation.scheduled`.
  const scheduled = await startScheduledChecks({
    js,
    jsm,
    row: topology.consumers.reservation.scheduled,
    bookings: app.bookings,
    waitlist: app.waitlist,
    logger,
    checked: metrics.scheduledChecks,
  });
  const seeded = config.RESERVATION_SEED_FILE
    ? await applySeed(await readSeed(config.RESERVATION_SEED_FILE), app.businesses, logger)
    : [];

  const grpc = await startGrpcServer(
    config.RESERVATION_HOST,
    config.RESERVATION_GRPC_PORT,
    [
      {
        definition: ReservationServiceService,
        implementation: reservationHandlers({ app, logger, metrics }),
        name: SERVICE_NAME,
      },
    ],
    {
      audience: 'reservation',
      trustedKeys: config.RPC_TRUSTED_KEYS,
      verifySignatures: config.RPC_VERIFY_CALLERS,
      logger,
      refused: metrics.refused,
    },
    grpcServerTls(config),
  );
  const probes = buildProbeServer({
    logger,
    registry,
    readiness: async () => {
      const checks = {
        nats: !nc.isClosed(),
        database: await sql`select 1`.execute(db).then(
          () => true,
          () => false,
        ),
        businesses: directory.ready,
      };
      const detail = Object.entries(checks)
        .map(([name, ok]) => `${name} ${ok ? 'ok' : 'not ready'}`)
        .join(', ');
      return { ready: Object.values(checks).every(Boolean), detail };
    },
  });
  await probes.listen({ host: config.RESERVATION_HOST, port: config.RESERVATION_HTTP_PORT });
  const httpAddress = boundUrl(probes.server.address());
  return {
    grpcAddress: grpc.address,
    httpAddress,
    topology,
    app,
    db,
    seeded,
    async close(deadlineMs = config.SHUTDOWN_DEADLINE_MS) {
      await grpc.stop(Math.max(100, deadlineMs / 2));
      await probes.close();
      await projector?.stop();
      await scheduled.stop();
      await directory.stop();
      await nc.drain();
      await db.destroy();
    },
  };
}
