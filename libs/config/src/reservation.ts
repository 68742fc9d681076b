import { z } from 'zod';
import { commonEnv } from './common.js';
import { databaseUrl, refuseDevelopmentDatabase } from './database-url.js';
import { parseEnv, port, positiveInt } from './env.js';
import { refuseDevNatsPassword } from './nats-auth.js';
import { refuseDevRpcKeys, rpcTrustedKeys, rpcVerifyCallers } from './rpc.js';
import { checkTls, grpcServerTlsEnv, natsTlsEnv } from './tls.js';

export const reservationEnv = z
  .object({
    ...commonEnv,
    ...natsTlsEnv,
    ...grpcServerTlsEnv,
    /** Postgres holding the `reservation` schema (the projection the queries read). */
    DATABASE_URL: databaseUrl,
    /** gRPC port of reservation.v1.ReservationService and grpc.health.v1. */
    RESERVATION_GRPC_PORT: port(50051),
    /** Port of /healthz, /readyz and /metrics. */
    RESERVATION_HTTP_PORT: port(9091),
    /** Interface both servers bind; loopback unless opened on purpose (a container sets 0.0.0.0). */
    RESERVATION_HOST: z.string().default('127.0.0.1'),
    /** JSON seed: businesses registered at start when their ids are not registered yet. Empty = none. */
    RESERVATION_SEED_FILE: z.string().default(''),
    /** Load → decide → append rounds a command may take when other replicas keep winning the race. */
    RESERVATION_MAX_CONFLICT_RETRIES: positiveInt(10),
    /** Day aggregates kept in memory (state + last subject sequence); the least recently used go first. */
    RESERVATION_CACHE_DAYS: positiveInt(20_000),
    /** Timeout of one JetStream append. */
    RESERVATION_APPEND_TIMEOUT_MS: positiveInt(5_000),
    /**
     * Whether this replica runs the Postgres projector. It applies events in stream order, one at a
     * time; run it on one replica (a second one only takes over the durable consumer's backlog).
     */
    RESERVATION_PROJECTOR: z
      .enum(['true', 'false'])
      .default('true')
      .transform((value) => value === 'true'),
    /** Postgres pool size. */
    RESERVATION_DB_POOL: positiveInt(10),
    /** Callers whose tokens the gRPC server accepts: `name=<base64url Ed25519 public key>,…`. */
    RPC_TRUSTED_KEYS: rpcTrustedKeys,
    /** false only in benchmarks: tokens read, not verified (rpc.ts). */
    RPC_VERIFY_CALLERS: rpcVerifyCallers,
  })
  .superRefine((env, ctx) => {
    refuseDevNatsPassword(env, ctx);
    checkTls(env, ctx, { grpcServer: true, nats: true });
    refuseDevelopmentDatabase(env, ctx);
    refuseDevRpcKeys(env, ctx);
  });

export type ReservationConfig = z.infer<typeof reservationEnv>;

export const loadReservationConfig = (env: NodeJS.ProcessEnv = process.env): ReservationConfig =>
  parseEnv(reservationEnv, env);
