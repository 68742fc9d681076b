import { type Kysely, sql, type Transaction } from 'kysely';
import { OpsError } from '../exit-codes.js';

type Db = Kysely<unknown> | Transaction<unknown>;

export async function schemaExists(db: Db, schema: string): Promise<boolean> {
  const rows = await sql<{ n: number }>`select 1 as n from pg_namespace where nspname = ${schema}`.execute(
    db,
  );
  return rows.rows.length > 0;
}

async function tablesOf(db: Db, schema: string): Promise<string[]> {
  const rows = await sql<{ name: string }>`
    select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
     where n.nspname = ${schema} and c.relkind in ('r', 'p') order by c.relname`.execute(db);
  return rows.rows.map((row) => row.name);
}

interface IndexRow {
  name: string;
  definition: string;
}

async function indexesOf(db: Db, schema: string): Promise<IndexRow[]> {
  const rows = await sql<IndexRow>`
    select i.relname as name, pg_get_indexdef(i.oid) as definition
      from pg_index x join pg_class i on i.oid = x.indexrelid join pg_namespace n on n.oid = i.relnamespace
     where n.nspname = ${schema}`.execute(db);
  return rows.rows;
}

/** An index's definition without its name and schema, so a copy and its original compare equal. */
export function indexShape(definition: string): string {
  const match = /^CREATE (UNIQUE )?INDEX (\S+) ON (?:ONLY )?(?:[^\s.]+\.)?(\S+) (.*)$/.exec(definition);
  if (!match) return definition;
  return `${match[1] ?? ''}INDEX ON ${match[3]} ${match[4]}`;
}

/**
 * An empty copy of a projection's tables (columns, defaults, constraints, indexes) in `shadow`.
 * Index names are set to the live ones (`LIKE` invents its own), so once moved into the live
 * schema a later migration that drops or renames an index by name works on the rebuilt tables too.
 */
export async function createShadow(
  db: Kysely<unknown>,
  live: string,
  shadow: string,
  tables: readonly string[],
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const existing = new Set(await tablesOf(trx, live));
    const missing = tables.filter((table) => !existing.has(table));
    if (missing.length > 0) {
      throw new OpsError(
        `schema ${live} has no table ${missing.join(', ')}: start the service once so it migrates its schema`,
      );
    }
    const serial = await sql<{ table: string; column: string }>`
      select table_name as table, column_name as column from information_schema.columns
       where table_schema = ${live} and table_name = any(${[...tables]}::text[])
         and column_default like 'nextval(%'`.execute(trx);
    if (serial.rows.length > 0) {
      const columns = serial.rows.map((row) => `${row.table}.${row.column}`).join(', ');
      throw new OpsError(
        `projection tables with sequence-backed columns (${columns}): a shadow copy would share their sequences. Stop the service and use --in-place`,
      );
    }
    await sql`drop schema if exists ${sql.id(shadow)} cascade`.execute(trx);
    await sql`create schema ${sql.id(shadow)}`.execute(trx);
    for (const table of tables) {
      await sql`create table ${sql.id(shadow, table)} (like ${sql.id(live, table)} including all)`.execute(
        trx,
      );
    }
    const liveNames = new Map<string, string>();
    for (const index of await indexesOf(trx, live)) liveNames.set(indexShape(index.definition), index.name);
    const copies = await indexesOf(trx, shadow);
    // Two steps, so a copy may take a name another copy still holds.
    const renames: Array<{ temporary: string; final: string }> = [];
    for (const [i, copy] of copies.entries()) {
      const final = liveNames.get(indexShape(copy.definition));
      if (!final || final === copy.name) continue;
      const temporary = `ops_rename_${i}`;
      await sql`alter index ${sql.id(shadow, copy.name)} rename to ${sql.id(temporary)}`.execute(trx);
      renames.push({ temporary, final });
    }
    for (const { temporary, final } of renames) {
      await sql`alter index ${sql.id(shadow, temporary)} rename to ${sql.id(final)}`.execute(trx);
    }
  });
}

/**
 * Moves the projection's tables: the live ones into `replaced` (created here), the rebuilt ones
 * from `shadow` into the live schema, and drops the emptied shadow. Run inside the swap's
 * transaction: readers and the live projector see the old tables or the new ones, never a mix.
 */
export async function moveTables(
  trx: Transaction<unknown>,
  tables: readonly string[],
  schemas: { live: string; shadow: string; replaced: string },
): Promise<void> {
  const { live, shadow, replaced } = schemas;
  await sql`create schema ${sql.id(replaced)}`.execute(trx);
  for (const table of tables) {
    await sql`alter table ${sql.id(live, table)} set schema ${sql.id(replaced)}`.execute(trx);
    await sql`alter table ${sql.id(shadow, table)} set schema ${sql.id(live)}`.execute(trx);
  }
  await sql`drop schema ${sql.id(shadow)}`.execute(trx);
}
