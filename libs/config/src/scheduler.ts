import { z } from 'zod';
import { commonEnv } from './common.js';
import { databaseUrl, refuseDevelopmentDatabase } from './database-url.js';
import { parseEnv, port, positiveInt } from './env.js';
import { refuseDevNatsPassword } from './nats-auth.js';
import { checkTls, natsTlsEnv } from './tls.js';

const flag = (fallback: boolean) =>
  z
    .enum(['true', 'false'])
    .default(fallback ? 'true' : 'false')
    .transform((value) => value === 'true');

export const schedulerEnv = z
  .object({
    ...commonEnv,
    ...natsTlsEnv,
    /** Postgres holding the `scheduler` schema (what jobs are planned from) and `scheduler_jobs` (graphile-worker's queue). */
    DATABASE_URL: databaseUrl,
    /** Port of /healthz, /readyz and /metrics. */
    SCHEDULER_HTTP_PORT: port(9095),
    /** Interface the probe server binds; loopback unless opened on purpose (a container sets 0.0.0.0). */
    SCHEDULER_HOST: z.string().default('127.0.0.1'),
    /**
     * Whether this replica plans jobs from RESERVATIONS (`scheduler.intake`): one replica folds each
     * booking's events in order; every replica runs the jobs.
     */
    SCHEDULER_INTAKE: flag(true),
    /** Jobs handed over at once in this process (graphile-worker's concurrency). */
    SCHEDULER_CONCURRENCY: positiveInt(16),
    /** Due jobs fetched per query and kept locally (graphile-worker's localQueue.size); 1 = fetch one at a time. */
    SCHEDULER_BATCH: positiveInt(64),
    /** How often to look for jobs that came due without a notification (those planned for later), ms. */
    SCHEDULER_POLL_MS: positiveInt(1_000),
    /** Timeout of one publish of due work. */
    SCHEDULER_PUBLISH_TIMEOUT_MS: positiveInt(5_000),
    /** Postgres pool size (intake, jobs and graphile-worker share it). */
    SCHEDULER_DB_POOL: positiveInt(10),
  })
  .superRefine((env, ctx) => {
    refuseDevNatsPassword(env, ctx);
    checkTls(env, ctx, { nats: true });
    refuseDevelopmentDatabase(env, ctx);
  });

export type SchedulerConfig = z.infer<typeof schedulerEnv>;

export const loadSchedulerConfig = (env: NodeJS.ProcessEnv = process.env): SchedulerConfig =>
  parseEnv(schedulerEnv, env);
