import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { preparingPool } from './prepared-statements.js';

export interface DatabaseOptions {
  url: string;
  /** Pool size; Postgres connections are the scarce resource, not Node. */
  maxConnections?: number;
  applicationName: string;
  /** Told about errors of idle pooled connections (Postgres restarting, a failover). */
  logger?: { warn(details: object, message: string): void };
}

/** A Kysely instance over a pg pool; every query it builds is parameterized and prepared once per connection. */
export function createDatabase<DB>({
  url,
  maxConnections = 10,
  applicationName,
  logger,
}: DatabaseOptions): Kysely<DB> {
  const pool = new pg.Pool({ connectionString: url, max: maxConnections, application_name: applicationName });
  // Without a listener, an idle client's error (Postgres restarting) is an uncaught exception
  // that kills the process; the pool drops that client and the next query gets a fresh one.
  pool.on('error', (error) =>
    logger?.warn({ err: error }, 'an idle Postgres connection failed; the pool replaces it'),
  );
  return new Kysely<DB>({ dialect: new PostgresDialect({ pool: preparingPool(pool) }) });
}
