import { type JetStreamClient, type JetStreamManager, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { natsCredentials, natsTls, type OpsConfig } from '@reserveit/config';
import { topology as makeTopology, type Topology } from '@reserveit/contracts';
import { createDatabase } from '@reserveit/db';
import { type Kysely, sql } from 'kysely';
import { OpsError } from './exit-codes.js';

export interface Nats {
  nc: NatsConnection;
  js: JetStreamClient;
  jsm: JetStreamManager;
  topology: Topology;
  close(): Promise<void>;
}

/**
 * A CLI connection: fails fast with what to do instead of reconnecting for ever like a service
 * (connectNats in libs/messaging), and carries no logger.
 */
export async function connectToNats(config: OpsConfig): Promise<Nats> {
  let nc: NatsConnection;
  const credentials = natsCredentials(config, 'ops');
  const tls = natsTls(config);
  try {
    nc = await connect({
      servers: config.NATS_URL.split(',').map((server) => server.trim()),
      name: 'reserveit-ops',
      ...(tls && { tls }),
      timeout: 5_000,
      maxReconnectAttempts: 3,
      user: credentials.user,
      pass: credentials.password,
      inboxPrefix: credentials.inboxPrefix,
    });
  } catch (error) {
    throw new OpsError(
      `cannot reach NATS at ${config.NATS_URL} (${(error as Error).message}); start nats-server with -js or set NATS_URL`,
    );
  }
  let jsm: JetStreamManager;
  try {
    jsm = await jetstreamManager(nc, { timeout: 5_000 });
  } catch (error) {
    await nc.close();
    throw new OpsError(
      `NATS at ${config.NATS_URL} has no JetStream (${(error as Error).message}); run nats-server with -js`,
    );
  }
  return {
    nc,
    js: jetstream(nc, { timeout: 10_000 }),
    jsm,
    topology: makeTopology(config.NATS_PREFIX),
    close: () => nc.close(),
  };
}

/** A small pool for ops; checks the database answers so the error names DATABASE_URL, not a socket. */
export async function connectToDatabase(config: OpsConfig): Promise<Kysely<unknown>> {
  const db = createDatabase<unknown>({
    url: config.DATABASE_URL,
    applicationName: 'reserveit-ops',
    maxConnections: 3,
  });
  try {
    await sql`select 1`.execute(db);
  } catch (error) {
    await db.destroy();
    throw new OpsError(
      `cannot reach Postgres at DATABASE_URL (${(error as Error).message}); start it or set DATABASE_URL`,
    );
  }
  return db;
}

/** Runs `work` with NATS open and closes it whatever happens. */
export async function withNats<T>(config: OpsConfig, work: (nats: Nats) => Promise<T>): Promise<T> {
  const nats = await connectToNats(config);
  try {
    return await work(nats);
  } finally {
    await nats.close();
  }
}
