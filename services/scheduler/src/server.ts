import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { natsCredentials, natsTls, type SchedulerConfig } from '@reserveit/config';
import { topology as makeTopology, type Topology } from '@reserveit/contracts';
import { createDatabase, migrateSchema } from '@reserveit/db';
import { connectNats, ensureStream, type RunningConsumer } from '@reserveit/messaging';
import { boundUrl, buildProbeServer, createMetrics, type Logger } from '@reserveit/telemetry';
import { run, runMigrations, Logger as WorkerLogger } from 'graphile-worker';
import { sql } from 'kysely';
import pg from 'pg';
import { dueWorkTask } from './due-work.js';
import { startIntake } from './intake.js';
import { schedulerMetrics } from './metrics.js';
import { DUE_TASK } from './store/job-queue.js';
import { schedulerMigrations } from './store/migrations.js';
import { JOBS_SCHEMA, SCHEDULER_SCHEMA, type SchedulerDb } from './store/tables.js';

export interface SchedulerOptions {
  /**
   * The clock jobs are planned and stamped by. graphile-worker reads Node's clock for "now" when
   * it picks due jobs (useNodeTime), so a test that moves this clock moves Date with it.
   */
  now?(): Date;
}

export interface RunningScheduler {
  /** Probe server, e.g. http://127.0.0.1:9095 */
  address: string;
  topology: Topology;
  /** Stops planning and picking jobs (running ones finish), drains NATS, closes the pools. */
  close(): Promise<void>;
}

/** Migrates both schemas, connects, starts the intake (when this replica runs it), the job runner and the probes. */
export async function startScheduler(
  config: SchedulerConfig,
  logger: Logger,
  options: SchedulerOptions = {},
): Promise<RunningScheduler> {
  const now = options.now ?? (() => new Date());
  const topology = makeTopology(config.NATS_PREFIX, {
    duplicateWindowSeconds: config.NATS_DUPLICATE_WINDOW_SECONDS,
  });
  const db = createDatabase<SchedulerDb>({
    url: config.DATABASE_URL,
    applicationName: 'scheduler',
    maxConnections: config.SCHEDULER_DB_POOL,
    logger,
  });
  await migrateSchema(db as never, SCHEDULER_SCHEMA, schedulerMigrations);
  // graphile-worker keeps its own pool: it holds a connection for LISTEN and prepares its statements.
  const jobsPool = new pg.Pool({
    connectionString: config.DATABASE_URL,
    max: config.SCHEDULER_DB_POOL,
    application_name: 'scheduler-jobs',
  });
  // As libs/db does for its pool: a lost connection is logged and replaced, never an uncaught error.
  const lost = (error: Error) =>
    logger.warn({ err: error }, 'a Postgres connection of the job runner failed');
  jobsPool.on('error', lost);
  jobsPool.on('connect', (client) => client.on('error', lost));
  const workerLogger = new WorkerLogger((scope) => (level, message, meta) => {
    const details = { scope: scope.label, ...(meta ?? {}) };
    if (level === 'error') logger.error(details, message);
    else if (level === 'warning') logger.warn(details, message);
    else logger.debug(details, message);
  });
  await runMigrations({ pgPool: jobsPool, schema: JOBS_SCHEMA, logger: workerLogger });

  const nc = await connectNats({
    url: config.NATS_URL,
    name: 'scheduler',
    logger,
    credentials: natsCredentials(config, 'scheduler'),
    tls: natsTls(config),
  });
  const jsm = await jetstreamManager(nc);
  const js = jetstream(nc);
  for (const spec of [
    topology.streams.reservations,
    topology.streams.schedule,
    topology.streams.deadLetters,
  ]) {
    await ensureStream(jsm, spec, { replicas: config.NATS_STREAM_REPLICAS });
  }

  const registry = createMetrics('scheduler');
  const metrics = schedulerMetrics(registry);
  const consumers: RunningConsumer[] = [];
  if (config.SCHEDULER_INTAKE) {
    consumers.push(
      await startIntake({
        js,
        jsm,
        row: topology.consumers.scheduler.intake,
        db,
        jobsSchema: JOBS_SCHEMA,
        logger,
        planned: metrics.planned,
        now,
      }),
    );
  }
  const runner = await run({
    pgPool: jobsPool,
    schema: JOBS_SCHEMA,
    concurrency: config.SCHEDULER_CONCURRENCY,
    pollInterval: config.SCHEDULER_POLL_MS,
    noHandleSignals: true,
    // Node's clock decides what is due, the one tests set (and the one run_at was planned by).
    useNodeTime: true,
    logger: workerLogger,
    preset: { worker: { localQueue: { size: config.SCHEDULER_BATCH }, completeJobBatchDelay: 0 } },
    taskList: {
      [DUE_TASK]: dueWorkTask({
        js,
        topology,
        metrics,
        publishTimeoutMs: config.SCHEDULER_PUBLISH_TIMEOUT_MS,
        now,
      }),
    },
  });

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
      return { ready: true, detail: config.SCHEDULER_INTAKE ? 'planning and running jobs' : 'running jobs' };
    },
  });
  await app.listen({ host: config.SCHEDULER_HOST, port: config.SCHEDULER_HTTP_PORT });
  const address = boundUrl(app.server.address());

  return {
    address,
    topology,
    async close() {
      closing = true;
      if (config.SHUTDOWN_DRAIN_MS > 0) await new Promise((r) => setTimeout(r, config.SHUTDOWN_DRAIN_MS));
      await Promise.all(consumers.map((c) => c.stop()));
      await runner.stop();
      await app.close();
      await nc.drain();
      await jobsPool.end();
      await db.destroy();
    },
  };
}
