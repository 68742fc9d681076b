import { chown, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { PostgresBinaries } from './embedded-postgres-binaries.js';
import { type OsUser, postgresEnv, runCommand } from './embedded-postgres-command.js';
import { privateTempDir } from './embedded-postgres-data-dir.js';
import { EmbeddedPostgresError, USE_YOUR_OWN_POSTGRES } from './embedded-postgres-error.js';

/**
 * Creates a cluster in `dataDir` whose superuser `postgres` logs in with `password` over TCP
 * (scram-sha-256). initdb takes the password only from a file or a terminal; the file sits in a
 * 0700 directory of the user running initdb and is gone when this returns.
 */
export async function initCluster(opts: {
  bins: PostgresBinaries;
  dataDir: string;
  password: string;
  user: OsUser | undefined;
}): Promise<void> {
  const dir = await privateTempDir('reserveit-initdb-', opts.user);
  try {
    const pwfile = join(dir, 'pwfile');
    await writeFile(pwfile, `${opts.password}\n`, { mode: 0o600 });
    if (opts.user) await chown(pwfile, opts.user.uid, opts.user.gid);
    const result = await runCommand(
      opts.bins.initdb,
      [
        `--pgdata=${opts.dataDir}`,
        '--auth=scram-sha-256',
        '--username=postgres',
        `--pwfile=${pwfile}`,
        '--lc-messages=C',
      ],
      { ...(opts.user ? { as: opts.user } : {}), env: postgresEnv() },
    );
    if (result.code !== 0) {
      throw new EmbeddedPostgresError(
        'EMBEDDED_PG_INITDB',
        `initdb could not create a cluster in ${opts.dataDir}:\n${result.output}\n` +
          `Fix what it says (free space, a writable --data-dir), ${USE_YOUR_OWN_POSTGRES}.`,
      );
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
