import { z } from 'zod';
import { positiveInt } from './env.js';
import { natsAuthEnv } from './nats-auth.js';

/** What every service reads: where NATS is, how it names things, how it logs and stops. */
export const commonEnv = {
  /** NATS server(s), comma-separated for a cluster. */
  NATS_URL: z.string().default('nats://127.0.0.1:4222'),
  /** Isolates a test run or a second deployment on one NATS account: streams `<prefix>_NAME`, subjects `<prefix>.…`. */
  NATS_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_-]*$/, 'letters, digits, "_" and "-" only')
    .default(''),
  ...natsAuthEnv,
  /**
   * Seconds a stream remembers a Nats-Msg-Id (duplicate_window of the streams this service creates).
   * Every service must be given the same value, or they overwrite each other's stream config.
   */
  NATS_DUPLICATE_WINDOW_SECONDS: positiveInt(120),
  /** Replicas for streams this service creates: 1 locally, 3 on a 3-node cluster. */
  NATS_STREAM_REPLICAS: z.coerce.number().int().min(1).max(5).default(1),
  /** pino level. */
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /**
   * After SIGTERM, how long to keep serving while /readyz already says 503, so a load balancer
   * stops sending before connections close (a few seconds behind one; 0 locally).
   */
  SHUTDOWN_DRAIN_MS: z.coerce.number().int().min(0).default(0),
  /** Time a graceful shutdown may take before the process exits non-zero. */
  SHUTDOWN_DEADLINE_MS: positiveInt(10_000),
  /** Production refuses the development defaults for secrets. */
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
};
