import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { ChannelCredentials } from '@grpc/grpc-js';
import { type ConnectionOptions, connect, type NatsConnection } from '@nats-io/transport-node';
import { type NatsServer, startNatsServer } from '@reserveit/localstack';
import { type ClientTlsMaterial, channelCredentials } from '@reserveit/rpc';
import { useSecuredNats } from '@reserveit/testkit';
import pg from 'pg';

export interface BenchInfra {
  natsUrl: string;
  /** True when the bench started its own nats-server. */
  privateNats: boolean;
  /** The bench's own NATS connection (every permission on a server with users). */
  nc: NatsConnection;
  /** A prefix of the run's own: on a server with users, the one its users are made for. */
  prefix: string;
  /** What a service process needs on top of NATS_URL and NATS_PREFIX: TLS files when secured. */
  serviceEnv: Record<string, string>;
  /** For the bench's gRPC clients: TLS trusting the development CA when secured. */
  grpcCredentials: ChannelCredentials;
  /** A database made for this run. */
  dbUrl: string;
  dbName: string;
  /** Drops the database and stops the private nats-server. */
  release(): Promise<void>;
}

export interface BenchInfraOptions {
  /**
   * As production runs: a private nats-server with a NATS user per service, and NATS and gRPC over
   * TLS with development certificates. Ignored when NATS_URL is set (a server the bench cannot
   * give users to).
   */
  secured?: boolean;
}

/**
 * What every reservation bench runs on: NATS_URL, else a private nats-server (other engineers'
 * tests share the default one); and a fresh database on DATABASE_URL's server (default the
 * Postgres at 127.0.0.1:5432), dropped at the end.
 */
export async function benchInfra(options: BenchInfraOptions = {}): Promise<BenchInfra> {
  const secure = options.secured === true && !process.env.NATS_URL;
  const secured = secure ? await useSecuredNats() : undefined;
  const certs = secured?.certs;
  const plain: NatsServer | undefined = secured || process.env.NATS_URL ? undefined : await startNatsServer();
  const natsUrl = process.env.NATS_URL ?? secured?.url ?? plain?.url ?? '';
  const connection: ConnectionOptions = { servers: natsUrl, name: 'reservation-bench' };
  const nc = secured?.nc ?? (await connect(connection));
  const tls: ClientTlsMaterial | undefined = certs ? { ca: await readFile(certs.caFile) } : undefined;
  const adminUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const dbName = `bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${dbName}`);
  const dbUrl = new URL(adminUrl);
  dbUrl.pathname = `/${dbName}`;
  return {
    natsUrl,
    privateNats: process.env.NATS_URL === undefined,
    nc,
    prefix: secured?.prefix ?? `bench${randomBytes(3).toString('hex')}`,
    serviceEnv: certs
      ? {
          NATS_TLS_CA_FILE: certs.caFile,
          GRPC_TLS_CERT_FILE: certs.certFile,
          GRPC_TLS_KEY_FILE: certs.keyFile,
        }
      : {},
    grpcCredentials: channelCredentials(tls),
    dbUrl: dbUrl.toString(),
    dbName,
    async release() {
      await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
      await admin.end();
      if (secured) await secured.cleanup();
      else {
        await nc.close();
        await plain?.stop();
      }
    },
  };
}
