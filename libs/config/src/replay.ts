import type { z } from 'zod';
import { parseEnv } from './env.js';
import { opsEnv } from './ops.js';

/**
 * What a service's replay entry (run by `reserveit-ops replay`) reads: the streams and the
 * projection's database, nothing of the service's own settings (secrets included), which the
 * ops environment that starts it does not have.
 */
export const replayEnv = opsEnv.pick({
  NATS_URL: true,
  NATS_PREFIX: true,
  NATS_USER: true,
  NATS_PASSWORD: true,
  NATS_PASSWORD_FILE: true,
  NATS_TLS: true,
  NATS_TLS_CA_FILE: true,
  NATS_TLS_CERT_FILE: true,
  NATS_TLS_KEY_FILE: true,
  DATABASE_URL: true,
});

export type ReplayConfig = z.infer<typeof replayEnv>;

export const loadReplayConfig = (env: NodeJS.ProcessEnv = process.env): ReplayConfig =>
  parseEnv(replayEnv, env);

/**
 * What a service's admin entry run by ops (the sender's outbox, `reserveit-sender-outbox`) reads:
 * its database, nothing else of the service's settings.
 */
export const adminEntryEnv = opsEnv.pick({ DATABASE_URL: true });

export type AdminEntryConfig = z.infer<typeof adminEntryEnv>;

export const loadAdminEntryConfig = (env: NodeJS.ProcessEnv = process.env): AdminEntryConfig =>
  parseEnv(adminEntryEnv, env);
