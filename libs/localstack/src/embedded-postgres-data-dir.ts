import { createHash } from 'node:crypto';
import { chmod, chown, lstat, mkdir, mkdtemp, readdir, readlink, rm, rmdir, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve, sep } from 'node:path';
import type { OsUser } from './embedded-postgres-command.js';
import { EmbeddedPostgresError, reason } from './embedded-postgres-error.js';
import { blockedAt } from './embedded-postgres-os-user.js';
import { systemDir } from './embedded-postgres-system-dir.js';

/** Where a cluster lives, as the caller decided it (embedded-postgres.ts). */
export interface DataDir {
  /** What Postgres gets as -D: for a relocated one, the directory under SYSTEM_DIR. */
  path: string;
  /** It holds a cluster already (PG_VERSION), so initdb must not run. */
  initialised: boolean;
  /** The temporary directory around a throwaway cluster, removed with it. */
  tempParent?: string;
}

type DirState = 'missing' | 'empty' | 'cluster' | 'other';

function dataDirError(message: string): EmbeddedPostgresError {
  return new EmbeddedPostgresError('EMBEDDED_PG_DATA_DIR', message);
}

async function stateOf(dir: string): Promise<DirState> {
  try {
    const names = await readdir(dir);
    if (names.length === 0) return 'empty';
    return names.includes('PG_VERSION') ? 'cluster' : 'other';
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 'missing';
    throw dataDirError(
      `cannot read the data directory ${dir} (${reason(err)}): pass a --data-dir you can read.`,
    );
  }
}

async function createParent(dir: string): Promise<void> {
  try {
    await mkdir(dirname(dir), { recursive: true });
  } catch (err) {
    throw dataDirError(`cannot create ${dirname(dir)} (${reason(err)}): pass a --data-dir you can write.`);
  }
}

/** `dir` made (when missing) and handed to `user` with the mode Postgres demands of a data directory. */
async function ownedBy(dir: string, user: OsUser): Promise<void> {
  try {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    await chown(dir, user.uid, user.gid);
    await chmod(dir, 0o700);
  } catch (err) {
    throw dataDirError(
      `cannot hand ${dir} to the ${user.name} OS user (${reason(err)}): free space there, or use another directory.`,
    );
  }
}

/**
 * A new directory in TMPDIR, mode 0700, belonging to `user` when given (root's programs run as
 * that user). TMPDIR itself must let that user through: it may be set to a private directory.
 */
export async function privateTempDir(prefix: string, user: OsUser | undefined): Promise<string> {
  let dir: string;
  try {
    dir = await mkdtemp(join(tmpdir(), prefix));
  } catch (err) {
    throw dataDirError(
      `cannot create a temporary directory in ${tmpdir()} (${reason(err)}): set TMPDIR to a writable directory.`,
    );
  }
  if (!user) return dir;
  await ownedBy(dir, user);
  const blocked = await blockedAt(user, dir);
  if (blocked === undefined) return dir;
  await rm(dir, { recursive: true, force: true });
  throw dataDirError(
    `the ${user.name} OS user, which runs Postgres for root, cannot enter ${blocked} on the way to the ` +
      `temporary directory ${dir}: set TMPDIR to a directory every user can enter, such as /tmp.`,
  );
}

/** A throwaway cluster's directory, inside a temporary directory of its own. */
export async function temporaryDataDir(user: OsUser | undefined): Promise<DataDir> {
  const tempParent = await privateTempDir('reserveit-pg-', user);
  return { path: join(tempParent, 'data'), initialised: false, tempParent };
}

/**
 * The directory under SYSTEM_DIR/postgres-data that stands in for `requested`: named after its path
 * (readable in `ls`), with a hash so two clones never share one.
 */
export function relocatedName(requested: string): string {
  const readable = requested
    .split(sep)
    .filter((part) => part.length > 0)
    .join('-')
    .replace(/[^A-Za-z0-9._-]/g, '_')
    .slice(-80);
  const hash = createHash('sha256').update(requested).digest('hex').slice(0, 12);
  return `${readable}-${hash}`;
}

/**
 * The cluster directory for `requested` (--data-dir). For root, Postgres runs as `user`, who must
 * be able to enter every directory above the cluster. When it cannot (a clone in root's 0700
 * home), a new cluster goes to SYSTEM_DIR/postgres-data and `requested` becomes a symlink to it:
 * the data still shows where the user looks for it, and no directory of theirs is opened up. An
 * existing cluster there is not moved (a copy of a live database is the user's decision).
 */
export async function persistentDataDir(
  requested: string,
  user: OsUser | undefined,
  log: (line: string) => void,
): Promise<DataDir> {
  const asked = resolve(requested);
  const entry = await lstat(asked).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return undefined;
    throw dataDirError(
      `cannot read the data directory ${asked} (${reason(err)}): pass a --data-dir you can read.`,
    );
  });
  // A symlink: made below by an earlier run, or by the user. Postgres gets the directory it names.
  const path = entry?.isSymbolicLink() ? resolve(dirname(asked), await readlink(asked)) : asked;
  const state = await stateOf(path);
  if (state === 'other') {
    throw dataDirError(
      `${path} is neither empty nor a Postgres data directory (no PG_VERSION): pass another --data-dir.`,
    );
  }
  if (!user) {
    await createParent(path);
    return { path, initialised: state === 'cluster' };
  }
  if (state === 'cluster') {
    const blocked = await blockedAt(user, path);
    if (blocked === undefined) return { path, initialised: true };
    throw dataDirError(
      `${path} holds a Postgres cluster, but the ${user.name} OS user, which runs Postgres for root, cannot ` +
        `enter ${blocked}. Move the cluster to a directory that user can enter and pass that --data-dir, ` +
        'or remove it to start afresh.',
    );
  }
  await createParent(path);
  const blocked = await blockedAt(user, dirname(path));
  if (blocked === undefined) {
    await ownedBy(path, user);
    return { path, initialised: false };
  }
  if (path !== asked) {
    throw dataDirError(
      `${asked} links to ${path}, but the ${user.name} OS user, which runs Postgres for root, cannot enter ` +
        `${blocked}: remove the link, or pass another --data-dir.`,
    );
  }
  const relocated = join(await systemDir('postgres-data'), relocatedName(asked));
  await ownedBy(relocated, user);
  try {
    if (state === 'empty') await rmdir(asked);
    await symlink(relocated, asked);
  } catch (err) {
    throw dataDirError(`cannot link ${asked} to ${relocated} (${reason(err)}): pass another --data-dir.`);
  }
  const relocatedState = await stateOf(relocated);
  log(
    `the ${user.name} OS user, which runs Postgres for root, cannot enter ${blocked}: data in ` +
      `${relocated}, linked from ${asked} (remove both to start afresh)`,
  );
  return { path: relocated, initialised: relocatedState === 'cluster' };
}
