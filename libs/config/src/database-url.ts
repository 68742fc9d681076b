import { z } from 'zod';

/** Postgres as a developer runs it: the superuser, no password, on this machine. */
const DEV_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

/** The password `reserveit-stack up` gives its Postgres (POSTGRES_PASSWORD, deploy/local/stack.json). */
const LOCAL_STACK_PASSWORD = 'postgres';

/** Postgres of a service: the development default when unset, which production refuses. */
export const databaseUrl = z.string().default(DEV_DATABASE_URL);

/**
 * Whether production would connect with development credentials: the default left unset, or the
 * local stack's well-known password, which anyone who read the repository knows.
 */
function isDevelopmentDatabaseUrl(value: string): boolean {
  if (value === DEV_DATABASE_URL) return true;
  try {
    return decodeURIComponent(new URL(value).password) === LOCAL_STACK_PASSWORD;
  } catch {
    // Not a URL (a libpq keyword string): whatever it holds is not one of our defaults.
    return false;
  }
}

/** The issue a service's schema adds in production for a development DATABASE_URL. */
export function refuseDevelopmentDatabase(
  env: { NODE_ENV: string; DATABASE_URL: string },
  ctx: z.RefinementCtx,
): void {
  if (env.NODE_ENV !== 'production' || !isDevelopmentDatabaseUrl(env.DATABASE_URL)) return;
  ctx.addIssue({
    code: 'custom',
    path: ['DATABASE_URL'],
    message:
      'set the database URL with its own credentials (the development default and the local stack password are refused in production)',
  });
}
