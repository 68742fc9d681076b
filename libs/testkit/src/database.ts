import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import './provided-context.js';

export interface TestDatabase {
  /** postgres://… of the new database. */
  url: string;
  name: string;
  /** Drops the database, disconnecting anyone still connected. */
  drop(): Promise<void>;
}

async function asAdmin(adminUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** A fresh, uniquely named database on the run's Postgres server (or on `adminUrl`'s server). */
export async function useDatabase(adminUrl: string = inject('databaseUrl')): Promise<TestDatabase> {
  const name = `t_${randomBytes(6).toString('hex')}`;
  const quoted = pg.escapeIdentifier(name);
  await asAdmin(adminUrl, `CREATE DATABASE ${quoted}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    // WITH (FORCE) needs Postgres 13+: a pool a test forgot to end must not block the drop.
    drop: () => asAdmin(adminUrl, `DROP DATABASE IF EXISTS ${quoted} WITH (FORCE)`),
  };
}
