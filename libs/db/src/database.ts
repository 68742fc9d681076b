import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';

export interface DatabaseOptions {
  url: string;
  /** Pool size; Postgres connections are the scarce resource, not Node. */
  maxConnections?: number;
  applicationName: string;
}

/** A Kysely instance over a pg pool; every query it builds is parameterized. */
export function createDatabase<DB>({
  url,
  maxConnections = 10,
  applicationName,
}: DatabaseOptions): Kysely<DB> {
  const pool = new pg.Pool({ connectionString: url, max: maxConnections, application_name: applicationName });
  return new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
}
