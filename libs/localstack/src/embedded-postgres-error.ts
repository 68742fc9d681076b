/** Why embedded Postgres could not start; stable, so callers and tests can tell the cases apart. */
export type EmbeddedPostgresErrorCode =
  | 'EMBEDDED_PG_UNSUPPORTED_PLATFORM'
  | 'EMBEDDED_PG_BINARIES_MISSING'
  | 'EMBEDDED_PG_OS_USER'
  | 'EMBEDDED_PG_STAGING'
  | 'EMBEDDED_PG_DATA_DIR'
  | 'EMBEDDED_PG_INITDB'
  | 'EMBEDDED_PG_START';

/** What to do when none of the fixes in a message fits: the stack skips this process then. */
export const USE_YOUR_OWN_POSTGRES = 'or set DATABASE_URL to a Postgres you run';

/** An error whose message says what went wrong and what to do; the CLI prints it without a stack. */
export class EmbeddedPostgresError extends Error {
  override name = 'EmbeddedPostgresError';
  constructor(
    readonly code: EmbeddedPostgresErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** The message of an fs or spawn error (`EACCES: permission denied, mkdir '/x'`), or of anything thrown. */
export function reason(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
