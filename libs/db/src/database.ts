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
  /**
   * Plan every execution for the tables as they are (plan_cache_mode = force_custom_plan), for a
   * bulk projection whose tables grow faster than ANALYZE follows: a replay fills one from empty,
   * and a generic plan cached while it was small would keep scanning it as it grew. Otherwise a
   * prepared statement keeps its generic plan after five runs, which spares the planning (it was
   * half of the services' Postgres time), and each service's plan test proves those plans probe
   * indexes even on empty tables.
   */
  customPlans?: boolean;
}

/** A Kysely instance over a pg pool; every query it builds is parameterized and prepared once per connection. */
export function createDatabase<DB>({
  url,
  maxConnections = 10,
  applicationName,
  logger,
  customPlans = false,
}: DatabaseOptions): Kysely<DB> {
  const pool = new pg.Pool({ connectionString: url, max: maxConnections, application_name: applicationName });
  // An idle client's error (Postgres restarting) reaches the pool's listener; the pool drops that
  // client and the next query gets a fresh one.
  pool.on('error', (error) =>
    logger?.warn({ err: error }, 'an idle Postgres connection failed; the pool replaces it'),
  );
  pool.on('connect', (client) => {
    // A checked-out client has no pool listener (pg-pool removes it on checkout), and pg's Client
    // emits 'error' on a lost connection besides failing the query in flight: with no listener of
    // our own that event is an uncaught exception that kills the process (57P01 on a Postgres
    // restart). The query's caller sees the error anyway, and pg-pool discards the client on
    // release because it is no longer queryable.
    client.on('error', (error) =>
      logger?.warn({ err: error }, 'a Postgres connection in use failed; its operation fails and is retried'),
    );
    // Queued before the first query the pool hands this connection.
    if (customPlans)
      client
        .query('set plan_cache_mode = force_custom_plan')
        .catch((error: unknown) => logger?.warn({ err: error }, 'could not set plan_cache_mode'));
  });
  return new Kysely<DB>({ dialect: new PostgresDialect({ pool: preparingPool(pool) }) });
}
