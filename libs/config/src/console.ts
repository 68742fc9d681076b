import { z } from 'zod';
import { commonEnv } from './common.js';
import { databaseUrl, refuseDevelopmentDatabase } from './database-url.js';
import { parseEnv, port, positiveInt } from './env.js';
import { refuseDevNatsPassword } from './nats-auth.js';
import { refuseDevRpcKeys, rpcSigningKey } from './rpc.js';
import { checkTls, grpcClientTlsEnv, natsTlsEnv } from './tls.js';

export const consoleEnv = z
  .object({
    ...commonEnv,
    ...natsTlsEnv,
    ...grpcClientTlsEnv,
    /** Postgres holding the `console` schema: staff accounts, memberships, sessions, API tokens. */
    DATABASE_URL: databaseUrl,
    /** Port of the web app, its API, /healthz, /readyz and /metrics. */
    CONSOLE_PORT: port(8090),
    /** Interface to bind; a container sets 0.0.0.0. */
    CONSOLE_HOST: z.string().default('127.0.0.1'),
    /** host:port of reservation.v1.ReservationService. */
    RESERVATION_GRPC_ADDRESS: z.string().default('127.0.0.1:50051'),
    /** host:port of conversation.v1.ConversationService. */
    CONVERSATION_GRPC_ADDRESS: z.string().default('127.0.0.1:50053'),
    /** Deadline of one call to reservation or conversation; past it the route answers 503. */
    CONSOLE_UPSTREAM_DEADLINE_MS: positiveInt(3_000),
    /** A session ends this long after login, and sooner after this long idle. */
    CONSOLE_SESSION_TTL_MS: positiveInt(12 * 60 * 60_000),
    CONSOLE_SESSION_IDLE_MS: positiveInt(2 * 60 * 60_000),
    /**
     * Sign-in attempts before login answers 429 until the window ends: per account from one
     * address, per account from anywhere (higher, so nobody locks a colleague out with a few
     * wrong passwords), per address (higher again: a restaurant's staff share one). Counted in
     * Postgres, so every replica sees the same counts.
     */
    CONSOLE_LOGIN_MAX_FAILURES: positiveInt(5),
    CONSOLE_LOGIN_MAX_FAILURES_PER_ACCOUNT: positiveInt(25),
    CONSOLE_LOGIN_MAX_FAILURES_PER_ADDRESS: positiveInt(50),
    CONSOLE_LOGIN_WINDOW_MS: positiveInt(15 * 60_000),
    /**
     * How often an open live stream checks that its session or token still admits it to the
     * restaurant, and ends when not (logout, expiry, removal).
     */
    CONSOLE_LIVE_RECHECK_MS: positiveInt(60_000),
    /** Secure cookies need HTTPS; unset = on in production only. */
    CONSOLE_COOKIE_SECURE: z.enum(['true', 'false']).optional(),
    /** The built web app; default: the dist of the @reserveit/console-web package. The API works without it. */
    CONSOLE_WEB_DIR: z.string().optional(),
    /**
     * Development only: `email:password` of an owner of every registered restaurant, made at start
     * so the local stack has a login. Refused in production.
     */
    CONSOLE_DEV_LOGIN: z
      .string()
      .regex(/^[^:\s]+@[^:\s]+:.{8,}$/, 'email:password (at least 8 characters)')
      .optional(),
    /** Addresses or CIDRs of the reverse proxies whose X-Forwarded-For is believed; empty = none. */
    CONSOLE_TRUSTED_PROXIES: z
      .string()
      .default('')
      .transform((value) =>
        value
          .split(',')
          .map((part) => part.trim())
          .filter(Boolean),
      ),
    /** Postgres pool size. */
    CONSOLE_DB_POOL: positiveInt(10),
    /** The console's own key (base64url Ed25519 seed), signing its calls to reservation and conversation. */
    RPC_SIGNING_KEY: rpcSigningKey('console'),
  })
  .superRefine((env, ctx) => {
    refuseDevNatsPassword(env, ctx);
    checkTls(env, ctx, { grpcClient: true, nats: true });
    refuseDevRpcKeys(env, ctx);
    refuseDevelopmentDatabase(env, ctx);
    if (env.NODE_ENV === 'production' && env.CONSOLE_DEV_LOGIN) {
      ctx.addIssue({
        code: 'custom',
        path: ['CONSOLE_DEV_LOGIN'],
        message: 'a development login is refused in production: create owners with `reserveit-ops staff add`',
      });
    }
  });

export type ConsoleConfig = z.infer<typeof consoleEnv>;

export const loadConsoleConfig = (env: NodeJS.ProcessEnv = process.env): ConsoleConfig =>
  parseEnv(consoleEnv, env);
