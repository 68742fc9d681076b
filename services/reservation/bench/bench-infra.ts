import { randomBytes } from 'node:crypto';
import { type NatsServer, startNatsServer } from '@reserveit/localstack';
import pg from 'pg';

export interface BenchInfra {
  natsUrl: string;
  /** True when the bench started its own nats-server. */
  privateNats: boolean;
  /** A database made for this run. */
  dbUrl: string;
  dbName: string;
  /** Drops the database and stops the private nats-server. */
  release(): Promise<void>;
}

/**
 * What every reservation bench runs on: NATS_URL, else a private nats-server (other engineers'
 * tests share the default one); and a fresh database on DATABASE_URL's server (default the
 * Postgres at 127.0.0.1:5432), dropped at the end.
 */
export async function benchInfra(): Promise<BenchInfra> {
  const nats: NatsServer | undefined = process.env.NATS_URL ? undefined : await startNatsServer();
  const natsUrl = process.env.NATS_URL ?? nats?.url ?? '';
  const adminUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const dbName = `bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${dbName}`);
  const dbUrl = new URL(adminUrl);
  dbUrl.pathname = `/${dbName}`;
  return {
    natsUrl,
    privateNats: nats !== undefined,
    dbUrl: dbUrl.toString(),
    dbName,
    async release() {
      await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
      await admin.end();
      await nats?.stop();
    },
  };
}
