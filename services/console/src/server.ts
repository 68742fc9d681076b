import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { type ConsoleConfig, grpcClientTls, natsCredentials, natsTls } from '@reserveit/config';
import { topology as makeTopology } from '@reserveit/contracts';
import { createDatabase, migrateSchema } from '@reserveit/db';
import { connectNats, ensureStream } from '@reserveit/messaging';
import { tokenSigner } from '@reserveit/rpc';
import { boundUrl, Counter, createMetrics, Gauge, type Logger, type Registry } from '@reserveit/telemetry';
import { type Kysely, sql } from 'kysely';
import { ApiTokens } from './api-tokens.js';
import { buildApp } from './app.js';
import { BusinessDirectory } from './business-directory.js';
import { type ConsoleDb, migrations, SCHEMA } from './database.js';
import { DaySheetCache } from './day-sheet-cache.js';
import { devLogin } from './dev-login.js';
import { LiveFeed } from './live/live-feed.js';
import { LoginThrottle } from './login-throttle.js';
import { Sessions } from './sessions.js';
import { StaffAccounts } from './staff-accounts.js';
import { connectUpstreams } from './upstreams.js';
import { webDirOf } from './web-dir.js';

export interface RunningConsole {
  address: string;
  /** The web app's files, or undefined when they were not built. */
  webDir: string | undefined;
  port: number;
  registry: Registry;
  close(): Promise<void>;
}

export interface StartOptions {
  now?: () => number;
}

const SWEEP_EVERY_MS = 10 * 60_000;

/** Migrates, connects to NATS and the two gRPC services, follows the streams, serves HTTP. */
export async function startConsole(
  config: ConsoleConfig,
  logger: Logger,
  options: StartOptions = {},
): Promise<RunningConsole> {
  const now = options.now ?? Date.now;
  const topology = makeTopology(config.NATS_PREFIX, {
    duplicateWindowSeconds: config.NATS_DUPLICATE_WINDOW_SECONDS,
  });
  const db = createDatabase<ConsoleDb>({
    url: config.DATABASE_URL,
    applicationName: 'console',
    maxConnections: config.CONSOLE_DB_POOL,
    logger,
  });
  await migrateSchema(db as unknown as Kysely<unknown>, SCHEMA, migrations);
  const nc = await connectNats({
    url: config.NATS_URL,
    name: 'console',
    logger,
    credentials: natsCredentials(config, 'console'),
    tls: natsTls(config),
  });
  const jsm = await jetstreamManager(nc);
  // The feed reads these four; whichever service starts first creates them.
  for (const spec of [
    topology.streams.conversations,
    topology.streams.reservations,
    topology.streams.outbound,
    topology.streams.whatsapp,
  ]) {
    await ensureStream(jsm, spec, { replicas: config.NATS_STREAM_REPLICAS });
  }
  const upstreams = connectUpstreams(
    config.RESERVATION_GRPC_ADDRESS,
    config.CONVERSATION_GRPC_ADDRESS,
    tokenSigner('console', config.RPC_SIGNING_KEY),
    grpcClientTls(config),
  );
  const directory = new BusinessDirectory(upstreams, {
    ttlMs: 30_000,
    deadlineMs: config.CONSOLE_UPSTREAM_DEADLINE_MS,
    now,
  });
  const sheets = new DaySheetCache({ ttlMs: 10_000, maxEntries: 5_000, now });
  const feed = await LiveFeed.start({ js: jetstream(nc), jsm, topology, directory, sheets, logger });
  const staff = new StaffAccounts(db);
  const sessions = new Sessions(
    db,
    { ttlMs: config.CONSOLE_SESSION_TTL_MS, idleMs: config.CONSOLE_SESSION_IDLE_MS },
    now,
  );
  const registry = createMetrics('console');
  new Gauge({
    name: 'console_live_connections',
    help: 'Browsers following a restaurant live on this process',
    registers: [registry],
    collect() {
      this.set(feed.connections);
    },
  });
  const webDir = webDirOf(config.CONSOLE_WEB_DIR);
  new Counter({
    name: 'console_day_sheet_reads_total',
    help: 'Day views answered from the cache the live feed invalidates (hit) or read from the reservation service (miss)',
    labelNames: ['result'],
    registers: [registry],
    collect() {
      this.reset();
      this.inc({ result: 'hit' }, sheets.hits);
      this.inc({ result: 'miss' }, sheets.misses);
    },
  });
  let stopping = false;
  const app = await buildApp({
    deps: {
      upstreams,
      staff,
      sessions,
      tokens: new ApiTokens(db, now),
      throttle: new LoginThrottle(
        db,
        {
          maxFailures: config.CONSOLE_LOGIN_MAX_FAILURES,
          maxFailuresPerAccount: config.CONSOLE_LOGIN_MAX_FAILURES_PER_ACCOUNT,
          maxFailuresPerAddress: config.CONSOLE_LOGIN_MAX_FAILURES_PER_ADDRESS,
          windowMs: config.CONSOLE_LOGIN_WINDOW_MS,
        },
        now,
      ),
      directory,
      sheets,
      cookieSecure:
        config.CONSOLE_COOKIE_SECURE === undefined
          ? config.NODE_ENV === 'production'
          : config.CONSOLE_COOKIE_SECURE === 'true',
      deadlineMs: config.CONSOLE_UPSTREAM_DEADLINE_MS,
      now,
    },
    feed,
    logger,
    registry,
    webDir,
    trustedProxies: config.CONSOLE_TRUSTED_PROXIES,
    liveRecheckMs: config.CONSOLE_LIVE_RECHECK_MS,
    async readiness() {
      const database = await sql`select 1`.execute(db).then(
        () => true,
        () => false,
      );
      const checks = { serving: !stopping, nats: !nc.isClosed(), database };
      return { ready: Object.values(checks).every(Boolean), detail: JSON.stringify(checks) };
    },
  });
  if (config.CONSOLE_DEV_LOGIN)
    await devLogin(config.CONSOLE_DEV_LOGIN, {
      staff,
      upstreams,
      deadlineMs: config.CONSOLE_UPSTREAM_DEADLINE_MS,
      logger,
    });
  await app.listen({ host: config.CONSOLE_HOST, port: config.CONSOLE_PORT });
  const bound = app.server.address();
  const address = boundUrl(bound);
  const port = typeof bound === 'object' && bound ? bound.port : config.CONSOLE_PORT;
  const sweeper = setInterval(
    () =>
      void sessions
        .sweep()
        .catch((error: unknown) => logger.warn({ err: error }, 'removing expired sessions failed')),
    SWEEP_EVERY_MS,
  );
  sweeper.unref();
  return {
    address,
    webDir,
    port,
    registry,
    async close() {
      stopping = true;
      clearInterval(sweeper);
      await feed.close();
      await app.close();
      upstreams.close();
      await nc.drain();
      await db.destroy();
    },
  };
}
