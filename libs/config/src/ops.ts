import { z } from 'zod';
import { commonEnv } from './common.js';
import { parseEnv } from './env.js';
import { natsAuthEnv } from './nats-auth.js';
import { rpcSigningKey } from './rpc.js';
import { checkTls, grpcClientTlsEnv, natsTlsEnv } from './tls.js';

/**
 * The ops CLI's environment: where the streams and the projections are, the services' APIs it
 * asks, and where Jaeger shows traces.
 */
export const opsEnv = z.object({
  NATS_URL: commonEnv.NATS_URL,
  NATS_PREFIX: commonEnv.NATS_PREFIX,
  /** ops by default; the replay entries it runs connect as ops too (they inherit this environment). */
  ...natsAuthEnv,
  ...natsTlsEnv,
  ...grpcClientTlsEnv,
  /** Postgres holding the services' schemas, for the replay entries and the sender's outbox entry. */
  DATABASE_URL: z.string().default('postgres://postgres@127.0.0.1:5432/postgres'),
  /**
   * The conversation service's gRPC API (conversation.v1), where `trace` locates a message by its
   * wamid. Empty is unset, as for cliStackEnv (local-stack.ts).
   */
  CONVERSATION_GRPC_ADDRESS: z
    .string()
    .default('')
    .transform((value) => value || '127.0.0.1:50053'),
  /** Jaeger's UI, for the link `trace` prints: `${JAEGER_UI_URL}/trace/<trace id>`. */
  JAEGER_UI_URL: z
    .url()
    .default('http://localhost:16686')
    .transform((value) => value.replace(/\/+$/, '')),
  /** The ops callers' key (base64url Ed25519 seed), signing `trace`'s call to conversation. */
  RPC_SIGNING_KEY: rpcSigningKey('ops'),
});

export type OpsConfig = z.infer<typeof opsEnv>;

/** The checks live here, not on opsEnv: replay.ts picks from opsEnv, and zod cannot pick from a refined object. */
export const loadOpsConfig = (env: NodeJS.ProcessEnv = process.env): OpsConfig =>
  parseEnv(
    opsEnv.superRefine((ops, ctx) => checkTls(ops, ctx, { grpcClient: true, nats: true })),
    env,
  );
