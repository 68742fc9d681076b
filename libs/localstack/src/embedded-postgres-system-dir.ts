import { chmod, lstat, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { EmbeddedPostgresError, reason, USE_YOUR_OWN_POSTGRES } from './embedded-postgres-error.js';

/**
 * Where root keeps what the `postgres` OS user must reach when the clone lives in a private
 * directory (root's home is 0700): state of local tools belongs in /var/lib (FHS 3.0, 5.8,
 * https://refspecs.linuxfoundation.org/FHS_3.0/fhs/ch05s08.html), not in /tmp, which is cleaned.
 * Removing it is safe while no embedded Postgres runs; the binaries are copied again when needed.
 */
export const SYSTEM_DIR = '/var/lib/reserveit';

/**
 * SYSTEM_DIR/<parts…>, created when missing. Each level must be a root-owned directory no one else
 * may write: the `postgres` user runs the programs found there, so another user able to swap them
 * would run code as that user, and with the data of every embedded cluster. Made 0755 so the
 * `postgres` user can enter (mkdir honours the umask, which may be 077).
 */
export async function systemDir(...parts: string[]): Promise<string> {
  let dir = SYSTEM_DIR;
  for (const part of ['', ...parts]) {
    dir = join(dir, part);
    try {
      await mkdir(dir, { recursive: true, mode: 0o755 });
      const info = await lstat(dir);
      if (!info.isDirectory() || info.uid !== 0 || (info.mode & 0o022) !== 0) {
        throw new EmbeddedPostgresError(
          'EMBEDDED_PG_STAGING',
          `${dir} must be a directory owned by root that only root may write (it holds programs the ` +
            `postgres OS user runs): fix or remove it, ${USE_YOUR_OWN_POSTGRES}.`,
        );
      }
      if ((info.mode & 0o777) !== 0o755) await chmod(dir, 0o755);
    } catch (err) {
      if (err instanceof EmbeddedPostgresError) throw err;
      throw new EmbeddedPostgresError(
        'EMBEDDED_PG_STAGING',
        `cannot create ${dir} (${reason(err)}). Embedded Postgres keeps its programs and data there when run as ` +
          `root from a directory the postgres OS user cannot enter: make ${SYSTEM_DIR} writable for root ` +
          `(free space, a writable /var), clone into a directory others can enter, ${USE_YOUR_OWN_POSTGRES}.`,
      );
    }
  }
  return dir;
}
