import { type Kysely, sql, type Transaction } from 'kysely';
import { OpsError } from '../exit-codes.js';

/** Kysely's migration log: copied into a shadow (the service must find its migrations applied), never rebuilt. */
const MIGRATION_TABLES = new Set(['kysely_migration', 'kysely_migration_lock']);

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

/** The projection's own tables: everything but the migration log. */
export async function projectionTables(db: Db, schema: string): Promise<string[]> {
  return (await tablesOf(db, schema)).filter((table) => !MIGRATION_TABLES.has(table));
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
 * An empty copy of the live schema's tables (columns, defaults, constraints, indexes) with the
 * migration log copied, so once swapped in the service's next `migrateSchema` finds nothing to do.
 * Index names are set to the live ones (`LIKE` invents its own), so a later migration that drops
 * or renames an index by name works on the rebuilt schema too.
 */
export async function createShadow(db: Kysely<unknown>, live: string, shadow: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const serial = await sql<{ table: string; column: string }>`
      select table_name as table, column_name as column from information_schema.columns
       where table_schema = ${live} and column_default like 'nextval(%'`.execute(trx);
    if (serial.rows.length > 0) {
      const columns = serial.rows.map((row) => `${row.table}.${row.column}`).join(', ');
      throw new OpsError(
        `schema ${live} has sequence-backed columns (${columns}); a shadow copy would share their sequences. Use --in-place`,
      );
    }
    await sql`drop schema if exists ${sql.id(shadow)} cascade`.execute(trx);
    await sql`create schema ${sql.id(shadow)}`.execute(trx);
    for (const table of await tablesOf(trx, live)) {
      await sql`create table ${sql.id(shadow, table)} (like ${sql.id(live, table)} including all)`.execute(
        trx,
      );
      if (MIGRATION_TABLES.has(table)) {
        await sql`insert into ${sql.id(shadow, table)} select * from ${sql.id(live, table)}`.execute(trx);
      }
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
