import { type Kysely, sql } from 'kysely';
import { type Migration, Migrator } from 'kysely/migration';

/**
 * Each service owns one Postgres schema and migrates it at start; the migration log lives in that
 * schema too, so services never step on each other's history. Names sort in order of application.
 */
export async function migrateSchema(
  db: Kysely<unknown>,
  schema: string,
  migrations: Record<string, Migration>,
): Promise<void> {
  await sql`create schema if not exists ${sql.id(schema)}`.execute(db);
  const migrator = new Migrator({
    db,
    migrationTableSchema: schema,
    provider: { getMigrations: async () => migrations },
  });
  for (let attempt = 1; ; attempt += 1) {
    // Kysely returns a failed migration's error, and throws one met before any ran.
    const { error, results } = await migrator
      .migrateToLatest()
      .catch((thrown: unknown) => ({ error: thrown, results: undefined }));
    if (!error) return;
    // Kysely looks for its log table by reading every schema's tables (PostgresIntrospector), and
    // a table another service creates or drops at that instant (graphile-worker migrating its own
    // schema beside us) fails the read with undefined_table (or undefined_column). Nothing was applied then: read again.
    if (isUndefinedTable(error) && attempt < CATALOG_RACE_ATTEMPTS) {
      await new Promise((resolve) => setTimeout(resolve, 20 * attempt));
      continue;
    }
    const failed = results?.find((result) => result.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`Migration ${failed} of schema ${schema} failed: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

const CATALOG_RACE_ATTEMPTS = 20;

/**
 * Postgres SQLSTATE 42P01 undefined_table and 42703 undefined_column (a column another migration
 * drops mid-read), https://www.postgresql.org/docs/current/errcodes-appendix.html
 */
const isUndefinedTable = (error: unknown) => {
  const code = (error as { code?: unknown } | undefined)?.code;
  return code === '42P01' || code === '42703';
};
