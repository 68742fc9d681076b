import { topology } from '@reserveit/contracts';
import { z } from 'zod';
import { commonEnv } from './common.js';
import { databaseUrl, refuseDevelopmentDatabase } from './database-url.js';
import { parseEnv, port, positiveInt } from './env.js';
import { refuseDevNatsPassword } from './nats-auth.js';
import { refuseDevRpcKeys, rpcSigningKey, rpcTrustedKeys, rpcVerifyCallers } from './rpc.js';
import { checkTls, grpcClientTlsEnv, grpcServerTlsEnv, natsTlsEnv } from './tls.js';

const DEV_ID_KEY = 'dev-conversation-id-key';

/** The partition consumers' row of the wiring table: the defaults of the four variables that tune it. */
const inbound = topology().consumers.conversation.inbound;

export const conversationEnv = z
  .object({
    ...commonEnv,
    ...natsTlsEnv,
    ...grpcServerTlsEnv,
    ...grpcClientTlsEnv,
    /** Postgres holding the `conversation` schema (state, message history, inbox, outbox). */
    DATABASE_URL: databaseUrl,
    /** gRPC port of conversation.v1.ConversationService (staff tools) and grpc.health.v1. */
    CONVERSATION_GRPC_PORT: port(50053),
    /** Port of /healthz, /readyz and /metrics. */
    CONVERSATION_HTTP_PORT: port(9093),
    /** Interface both servers bind; loopback unless opened on purpose (a container sets 0.0.0.0). */
    CONVERSATION_HOST: z.string().default('127.0.0.1'),
    /** host:port of reservation.v1.ReservationService. */
    RESERVATION_GRPC_ADDRESS: z.string().default('127.0.0.1:50051'),
    /** host:port of intent.v1.IntentService. */
    INTENT_GRPC_ADDRESS: z.string().default('127.0.0.1:50052'),
    /** Deadline of one Interpret call; past it the built-in understanding answers. */
    CONVERSATION_INTENT_DEADLINE_MS: positiveInt(1_500),
    /** Deadline of one reservation call. */
    CONVERSATION_RESERVATION_DEADLINE_MS: positiveInt(5_000),
    /**
     * Attempts at one inbound message before it is dead-lettered and its conversation moves on
     * (default: maxDeliver of `conversation.inbound` in libs/contracts/src/consumers.ts, which says why).
     */
    CONVERSATION_MAX_DELIVER: positiveInt(inbound.maxDeliver),
    /** First retry delay of a failed message; doubles each attempt (with jitter). */
    CONVERSATION_RETRY_BASE_MS: positiveInt(inbound.backoff.baseMs),
    /** Longest retry delay. */
    CONVERSATION_RETRY_MAX_MS: positiveInt(inbound.backoff.maxMs),
    /** AckWait of the partition consumers; the handler marks progress well within it. */
    CONVERSATION_ACK_WAIT_MS: positiveInt(inbound.ackWaitMs),
    /** Idle time after which a half-finished dialogue starts over. */
    CONVERSATION_SESSION_IDLE_MS: positiveInt(30 * 60_000),
    /** How long a handoff to staff lasts if nobody releases it. */
    CONVERSATION_HANDOFF_TIMEOUT_MS: positiveInt(4 * 60 * 60_000),
    /** Guest messages per minute before one polite notice and then silence. */
    CONVERSATION_MAX_MESSAGES_PER_MINUTE: positiveInt(20),
    /** How long a business looked up by phone_number_id, and its menu, are remembered. */
    CONVERSATION_BUSINESS_CACHE_MS: positiveInt(30_000),
    /**
     * Key of the HMAC that turns (phone_number_id, guest) into an opaque conversation id. A plain
     * hash of a phone number can be reversed by trying every number; changing the key re-keys every
     * conversation.
     */
    CONVERSATION_ID_KEY: z.string().min(16).default(DEV_ID_KEY),
    /** Postgres pool size. */
    CONVERSATION_DB_POOL: positiveInt(10),
    /** Callers whose tokens the gRPC server accepts: `name=<base64url Ed25519 public key>,…`. */
    RPC_TRUSTED_KEYS: rpcTrustedKeys,
    /** false only in benchmarks: tokens read, not verified (rpc.ts). */
    RPC_VERIFY_CALLERS: rpcVerifyCallers,
    /** This service's own key (base64url Ed25519 seed), signing its calls to intent and reservation. */
    RPC_SIGNING_KEY: rpcSigningKey('conversation'),
  })
  .superRefine((env, ctx) => {
    refuseDevNatsPassword(env, ctx);
    checkTls(env, ctx, { grpcServer: true, grpcClient: true, nats: true });
    refuseDevRpcKeys(env, ctx);
    refuseDevelopmentDatabase(env, ctx);
    if (env.NODE_ENV === 'production' && env.CONVERSATION_ID_KEY === DEV_ID_KEY) {
      ctx.addIssue({
        code: 'custom',
        path: ['CONVERSATION_ID_KEY'],
        message: 'set a secret key (the development default is refused in production)',
      });
    }
  });

export type ConversationConfig = z.infer<typeof conversationEnv>;

export const loadConversationConfig = (env: NodeJS.ProcessEnv = process.env): ConversationConfig =>
  parseEnv(conversationEnv, env);
