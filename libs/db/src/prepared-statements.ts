import { createHash } from 'node:crypto';
import type { PostgresPool, PostgresPoolClient } from 'kysely';
import pg from 'pg';

/** Postgres refuses a prepared statement whose result columns a migration changed (`select *`). */
const CACHED_PLAN_CHANGED = '0A000';

/**
 * The pool Kysely sees, naming every parameterized statement after its text so that each pooled
 * connection parses it once, and plans it once after five runs (its generic plan; see
 * createDatabase for the pools that plan every run). Unnamed, Postgres parsed and planned every
 * execution again, the same dozen batch statements over and over. Texts are few (values travel as
 * parameters, batches as one JSON parameter); `maxStatements` bounds them all the same, since each
 * named one holds memory on every connection that ran it. Statements without parameters (begin,
 * commit) stay on the simple protocol, which is one message.
 */
export function preparingPool(pool: pg.Pool, maxStatements = 256): PostgresPool {
  const names = new Map<string, string | undefined>();
  const nameOf = (text: string): string | undefined => {
    if (names.has(text)) return names.get(text);
    const name =
      names.size < maxStatements
        ? `s_${createHash('sha1').update(text).digest('hex').slice(0, 24)}`
        : undefined;
    names.set(text, name);
    return name;
  };
  const wrapped = new WeakMap<pg.PoolClient, PostgresPoolClient>();
  const wrap = (client: pg.PoolClient): PostgresPoolClient => {
    const run = async (text: string, parameters: ReadonlyArray<unknown>) => {
      const name = parameters.length > 0 ? nameOf(text) : undefined;
      try {
        return await client.query({ text, values: [...parameters], ...(name ? { name } : {}) });
      } catch (error) {
        // After a migration changed what the statement returns, this process runs it unnamed; the
        // caller's retry then succeeds instead of failing on every connection that prepared it.
        if (name && (error as { code?: unknown }).code === CACHED_PLAN_CHANGED) names.set(text, undefined);
        throw error;
      }
    };
    return {
      // Kysely passes a cursor only for streamed queries, which go to pg as they are.
      query: ((query: string | pg.Submittable, parameters: ReadonlyArray<unknown> = []) =>
        typeof query === 'string'
          ? run(query, parameters)
          : client.query(query)) as unknown as PostgresPoolClient['query'],
      release: (destroy?: boolean) => client.release(destroy),
    };
  };
  return {
    Client: pg.Client,
    options: pool.options,
    async connect() {
      const client = await pool.connect();
      let found = wrapped.get(client);
      if (!found) {
        found = wrap(client);
        wrapped.set(client, found);
      }
      return found;
    },
    end: () => pool.end(),
  };
}
