import { topology } from '@reserveit/contracts';
import { z } from 'zod';
import { commonEnv } from './common.js';
import { databaseUrl, refuseDevelopmentDatabase } from './database-url.js';
import { parseEnv, port, positiveInt } from './env.js';
import { refuseDevNatsPassword } from './nats-auth.js';
import { checkTls, natsTlsEnv } from './tls.js';

const DEV_ACCESS_TOKEN = 'dev-access-token';

/**
 * The sender's rows of the wiring table (libs/contracts/src/consumers.ts): the defaults of the
 * variables that tune them. Read receipts and replies share the Graph API settings.
 */
const { commands, reads } = topology().consumers.sender;

const flag = (fallback: boolean) =>
  z
    .enum(['true', 'false'])
    .default(fallback ? 'true' : 'false')
    .transform((value) => value === 'true');

export const senderEnv = z
  .object({
    ...commonEnv,
    ...natsTlsEnv,
    /** Postgres holding the `sender` schema: the outbox and the delivery-status projection. */
    DATABASE_URL: databaseUrl,
    /** Port of /healthz, /readyz and /metrics. */
    SENDER_HTTP_PORT: port(9094),
    /** Interface the probe server binds; loopback unless opened on purpose (a container sets 0.0.0.0). */
    SENDER_HOST: z.string().default('127.0.0.1'),
    /** System-user token for the Graph API (sent as a Bearer token, never logged). */
    WHATSAPP_ACCESS_TOKEN: z.string().min(1).default(DEV_ACCESS_TOKEN),
    /** Graph API origin; tests and benchmarks point it at a fake. */
    WHATSAPP_GRAPH_BASE_URL: z.url().default('https://graph.facebook.com'),
    /** Graph API version in the path. */
    WHATSAPP_GRAPH_VERSION: z
      .string()
      .regex(/^v\d+\.\d+$/, 'like v23.0')
      .default('v23.0'),
    /** Record and log what would be sent, call nothing (rows end as `dry_run`). */
    SENDER_DRY_RUN: flag(false),
    /**
     * Messages per second per business phone number, for all sender replicas together (the limit
     * is kept in Postgres, not per process); Meta's default throughput is 80
     * (https://developers.facebook.com/docs/whatsapp/cloud-api/overview#throughput).
     */
    SENDER_RATE_PER_SECOND: positiveInt(80),
    /** Sends one number may burst before the rate applies; defaults to one second's worth. */
    SENDER_RATE_BURST: z.coerce.number().int().positive().optional(),
    /**
     * Graph API calls for one message (a reply, or a read receipt: maxDeliver of `sender.reads`)
     * before it is dead-lettered.
     */
    SENDER_MAX_ATTEMPTS: positiveInt(reads.maxDeliver),
    /** First retry delay of a retryable error; doubles per attempt, half of it random (equal jitter). */
    SENDER_RETRY_BASE_MS: positiveInt(reads.backoff.baseMs),
    /** Longest delay between two attempts. */
    SENDER_RETRY_MAX_MS: positiveInt(reads.backoff.maxMs),
    /** Pair rate limit (131056): Meta says retry after 4^n seconds, so the base is 4 s and it quadruples. */
    SENDER_PAIR_RETRY_BASE_MS: positiveInt(4_000),
    /**
     * After an attempt whose answer is unknown (the process died, or the request timed out after it
     * was sent), how long to wait for a status webhook carrying the key before sending again.
     */
    SENDER_RECONCILE_WINDOW_MS: positiveInt(60_000),
    /** Timeout of one Graph API call (headers and body each). */
    SENDER_REQUEST_TIMEOUT_MS: positiveInt(10_000),
    /** How long a replica owns a message it is sending; another replica takes over after it. */
    SENDER_LEASE_MS: positiveInt(30_000),
    /**
     * Sends in flight at once in this process (one per guest at most, to keep each guest's order).
     * A send holds its place for the Graph API call (a few hundred ms from Meta) and the record of
     * its answer: 128 carry a few hundred messages a second, with read receipts; the per-number
     * rate limit, not this, is what keeps Meta's throughput limits. Read receipts take as many at
     * once (max_ack_pending and concurrency of `sender.reads`).
     */
    SENDER_CONCURRENCY: positiveInt(reads.concurrency),
    /**
     * AckWait of the command intake (one ordered consumer per partition of the guests): after a
     * replica dies holding a command, the replies of its partition wait this long. Intake marks
     * progress well within it.
     */
    SENDER_INTAKE_ACK_WAIT_MS: positiveInt(commands.ackWaitMs),
    /** Fallback poll of the outbox for due retries and other replicas' work. */
    SENDER_POLL_MS: positiveInt(500),
    /** Postgres pool size. */
    SENDER_DB_POOL: positiveInt(10),
  })
  .superRefine((env, ctx) => {
    refuseDevNatsPassword(env, ctx);
    checkTls(env, ctx, { nats: true });
    refuseDevelopmentDatabase(env, ctx);
    if (env.NODE_ENV !== 'production' || env.SENDER_DRY_RUN) return;
    if (env.WHATSAPP_ACCESS_TOKEN === DEV_ACCESS_TOKEN) {
      ctx.addIssue({
        code: 'custom',
        path: ['WHATSAPP_ACCESS_TOKEN'],
        message: 'set a Graph API access token (the development default is refused in production)',
      });
    }
    if (env.SENDER_LEASE_MS <= 2 * env.SENDER_REQUEST_TIMEOUT_MS) {
      ctx.addIssue({
        code: 'custom',
        path: ['SENDER_LEASE_MS'],
        message:
          'must exceed twice SENDER_REQUEST_TIMEOUT_MS, or another replica takes over a send in flight',
      });
    }
  });

export type SenderConfig = z.infer<typeof senderEnv>;

export const loadSenderConfig = (env: NodeJS.ProcessEnv = process.env): SenderConfig =>
  parseEnv(senderEnv, env);
