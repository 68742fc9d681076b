import { randomBytes } from 'node:crypto';
import {
  chmod,
  copyFile,
  link,
  lstat,
  mkdir,
  readdir,
  readlink,
  rename,
  rm,
  stat,
  symlink,
} from 'node:fs/promises';
import { join } from 'node:path';
import { binariesIn, type PostgresBinaries } from './embedded-postgres-binaries.js';
import type { OsUser } from './embedded-postgres-command.js';
import { EmbeddedPostgresError, reason, USE_YOUR_OWN_POSTGRES } from './embedded-postgres-error.js';
import { canRun } from './embedded-postgres-os-user.js';
import { SYSTEM_DIR, systemDir } from './embedded-postgres-system-dir.js';

/**
 * Copies a tree with modes everyone may read (0755 for directories and programs, 0644 for the
 * rest). Files linked to each other stay linked: in pnpm's store the names of one library
 * (libicudata.so, .so.60, .so.60.2) are one file, 60 MB of the 120 the tree would take otherwise.
 * Symlinks are copied as they are (the package's install script makes them relative,
 * scripts/hydrate-symlinks.js).
 */
async function copyTree(from: string, to: string, copied: Map<string, string>): Promise<void> {
  await mkdir(to, { mode: 0o755 });
  await chmod(to, 0o755);
  for (const entry of await readdir(from, { withFileTypes: true })) {
    const source = join(from, entry.name);
    const target = join(to, entry.name);
    if (entry.isDirectory()) {
      await copyTree(source, target, copied);
    } else if (entry.isSymbolicLink()) {
      await symlink(await readlink(source), target);
    } else if (entry.isFile()) {
      const info = await stat(source);
      const key = `${info.dev}:${info.ino}`;
      const first = copied.get(key);
      if (first) {
        await link(first, target);
      } else {
        await copyFile(source, target);
        await chmod(target, info.mode & 0o111 ? 0o755 : 0o644);
        copied.set(key, target);
      }
    }
  }
}

/**
 * The Postgres build, copied once per version and platform to SYSTEM_DIR/postgres-binaries, for
 * when the `postgres` OS user cannot reach node_modules (a clone in root's 0700 home). The
 * package's paths are fixed to its own native/ directory (its dist/index.js), so we run the
 * copy's programs ourselves; they find lib/ and share/ relative to themselves (RUNPATH
 * $ORIGIN/../lib). Copied under a temporary name and renamed: a run that finds the directory finds
 * it complete, and two runs staging at once both end up using one copy.
 */
export async function stageBinaries(
  bins: PostgresBinaries,
  user: OsUser,
  log: (line: string) => void,
): Promise<PostgresBinaries> {
  const parent = await systemDir('postgres-binaries');
  const dir = join(parent, `${bins.platform}-${bins.version}`);
  const staged = binariesIn(dir, bins.platform, bins.version);
  const exists = await lstat(dir).then(
    (info) => info.isDirectory(),
    () => false,
  );
  if (!exists) {
    log(`copying the Postgres programs to ${dir}: the ${user.name} OS user cannot reach ${bins.root}`);
    const partial = `${dir}.partial-${process.pid}-${randomBytes(4).toString('hex')}`;
    try {
      await copyTree(bins.root, partial, new Map());
      await rename(partial, dir).catch(async (err: NodeJS.ErrnoException) => {
        // ENOTEMPTY/EEXIST: another run renamed its copy first; use that one.
        if (err.code !== 'ENOTEMPTY' && err.code !== 'EEXIST') throw err;
      });
    } catch (err) {
      throw new EmbeddedPostgresError(
        'EMBEDDED_PG_STAGING',
        `cannot copy the Postgres programs from ${bins.root} to ${dir} (${reason(err)}): free space ` +
          `under ${SYSTEM_DIR}, clone into a directory others can enter, ${USE_YOUR_OWN_POSTGRES}.`,
      );
    } finally {
      await rm(partial, { recursive: true, force: true });
    }
  }
  if (!(await canRun(user, staged.postgres))) {
    throw new EmbeddedPostgresError(
      'EMBEDDED_PG_STAGING',
      `the ${user.name} OS user cannot run ${staged.postgres}: remove ${dir} so it is copied again, ` +
        `${USE_YOUR_OWN_POSTGRES}.`,
    );
  }
  return staged;
}
