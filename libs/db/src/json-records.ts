import { type RawBuilder, sql } from 'kysely';

/**
 * Rows sent as one JSON parameter, for a FROM clause: `from ${jsonRecords(rows, 'id text, n int')} as r`.
 * The LIMIT tells the planner how many rows there are: it estimates jsonb_to_recordset at 100,
 * which made it hash-join a batch of three against a sequential scan of the whole table instead of
 * looking each one up by its key. The limit is the count rounded up to a power of two, so a
 * statement has a handful of texts (each prepared once, see prepared-statements.ts) rather than
 * one per batch size, and the estimate stays within a factor of two. `columns` is the record
 * definition, written in code.
 */
export function jsonRecords(rows: readonly object[], columns: string): RawBuilder<unknown> {
  return sql`(select * from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as r(${sql.raw(columns)}) limit ${countBucket(rows.length)})`;
}

/**
 * Keys for `in ${keyList(keys)}`, as one array parameter. The LIMIT says how many there are, as in
 * jsonRecords: the planner takes an array parameter for ten elements, and with a table it thought
 * small (new, or grown since its last ANALYZE) a generic plan compared ten index probes with one
 * pass over the table and kept the pass while the table grew.
 */
export function keyList(keys: readonly string[]): RawBuilder<string> {
  return sql`(select unnest(${keys}::text[]) limit ${countBucket(keys.length)})`;
}

/** A count rounded up to a power of two, as a literal: a handful of statement texts, each within a factor of two. */
function countBucket(count: number): RawBuilder<number> {
  return sql.lit(2 ** Math.ceil(Math.log2(Math.max(count, 1))));
}
