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
  // Prepared statements (preparingPool) keep their parse; their plans stay custom, made for the
  // tables as they are. A generic plan cached while a table was small outlived its growth until
  // the next ANALYZE: intent's memory trim scanned every turn, and its cost grew by the second.
  // Queued before the first query the pool hands this connection.
  pool.on('connect', (client) => {
    client
      .query('set plan_cache_mode = force_custom_plan')
      .catch((error: unknown) => logger?.warn({ err: error }, 'could not set plan_cache_mode'));
  });
  return new Kysely<DB>({ dialect: new PostgresDialect({ pool: preparingPool(pool) }) });
}
