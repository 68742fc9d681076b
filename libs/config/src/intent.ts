import { z } from 'zod';
import { commonEnv } from './common.js';
import { databaseUrl, refuseDevelopmentDatabase } from './database-url.js';
import { parseEnv, port, positiveInt } from './env.js';
import { refuseDevNatsPassword } from './nats-auth.js';
import { refuseDevRpcKeys, rpcTrustedKeys, rpcVerifyCallers } from './rpc.js';
import { checkTls, grpcServerTlsEnv, natsTlsEnv } from './tls.js';

export const intentEnv = z
  .object({
    ...commonEnv,
    ...natsTlsEnv,
    ...grpcServerTlsEnv,
    /** Postgres for conversation memory and the inference log (schema "intent"). */
    DATABASE_URL: databaseUrl,
    /** gRPC port of IntentService and grpc.health.v1. */
    INTENT_GRPC_PORT: port(50052),
    /** Port of /healthz, /readyz and /metrics. */
    INTENT_HTTP_PORT: port(9092),
    /** Interface both servers bind; loopback unless opened on purpose (a container sets 0.0.0.0). */
    INTENT_HOST: z.string().default('127.0.0.1'),
    /** "rules" (default, no network) or "llm" (OpenAI-compatible endpoint, rules as fallback). */
    INTENT_PROVIDER: z.enum(['rules', 'llm']).default('rules'),
    /** Base URL of an OpenAI-compatible API, e.g. http://127.0.0.1:11434/v1 (Ollama). */
    INTENT_LLM_BASE_URL: z.string().default(''),
    /** Model name sent in the request. */
    INTENT_LLM_MODEL: z.string().default(''),
    /** Bearer token; empty for local servers that need none. */
    INTENT_LLM_API_KEY: z.string().default(''),
    /** Whole-request timeout of one LLM call; rules answer after it. */
    INTENT_LLM_TIMEOUT_MS: positiveInt(2_500),
    /** Failure ratio over the breaker's window that opens it. */
    INTENT_LLM_BREAKER_ERROR_RATE: z.coerce.number().gt(0).max(1).default(0.5),
    /** Calls in the breaker's window; it cannot open before this many. */
    INTENT_LLM_BREAKER_WINDOW: positiveInt(20),
    /** How long the breaker stays open before one trial call (half-open). */
    INTENT_LLM_BREAKER_COOLDOWN_MS: positiveInt(30_000),
    /** How often buffered inference records are written in one batch. */
    INTENT_RECORD_FLUSH_MS: positiveInt(500),
    /** Buffered inference records kept at most; beyond it records are dropped and counted. */
    INTENT_RECORD_BUFFER: positiveInt(10_000),
    /**
     * Consume CONVERSATIONS into the memory projection: "auto" runs it with the llm provider, the
     * only reader of memory (rules never look at it, and projecting two turns a guest message cost
     * them a fifth of the pipeline's Postgres time); "false" for a replica that only answers.
     */
    INTENT_MEMORY_PROJECTOR: z.enum(['auto', 'true', 'false']).default('auto'),
    /** Callers whose tokens the gRPC server accepts: `name=<base64url Ed25519 public key>,…`. */
    RPC_TRUSTED_KEYS: rpcTrustedKeys,
    /** false only in benchmarks: tokens read, not verified (rpc.ts). */
    RPC_VERIFY_CALLERS: rpcVerifyCallers,
  })
  .superRefine((env, ctx) => {
    refuseDevNatsPassword(env, ctx);
    checkTls(env, ctx, { grpcServer: true, nats: true });
    refuseDevRpcKeys(env, ctx);
    refuseDevelopmentDatabase(env, ctx);
    if (env.INTENT_PROVIDER !== 'llm') return;
    if (!env.INTENT_LLM_BASE_URL)
      ctx.addIssue({
        code: 'custom',
        path: ['INTENT_LLM_BASE_URL'],
        message: 'required when INTENT_PROVIDER=llm',
      });
    if (!env.INTENT_LLM_MODEL)
      ctx.addIssue({
        code: 'custom',
        path: ['INTENT_LLM_MODEL'],
        message: 'required when INTENT_PROVIDER=llm',
      });
  });

export type IntentConfig = z.infer<typeof intentEnv>;

/** Whether this replica projects conversation memory (INTENT_MEMORY_PROJECTOR, "auto" by provider). */
export const projectsMemory = (config: IntentConfig): boolean =>
  config.INTENT_MEMORY_PROJECTOR === 'auto'
    ? config.INTENT_PROVIDER === 'llm'
    : config.INTENT_MEMORY_PROJECTOR === 'true';

export const loadIntentConfig = (env: NodeJS.ProcessEnv = process.env): IntentConfig =>
  parseEnv(intentEnv, env);
