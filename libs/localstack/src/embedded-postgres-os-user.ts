import { userInfo } from 'node:os';
import { resolve, sep } from 'node:path';
import { z } from 'zod';
import { type OsUser, postgresEnv, runCommand } from './embedded-postgres-command.js';
import { EmbeddedPostgresError, USE_YOUR_OWN_POSTGRES } from './embedded-postgres-error.js';
import { findExecutable } from './executable.js';

/**
 * Postgres refuses to run as root (`"root" execution of the PostgreSQL server is not permitted`,
 * src/backend/main/main.c in https://github.com/postgres/postgres; initdb likewise), so root runs
 * initdb and postgres as this OS user, the name Debian's packages and the official image use too.
 */
export const POSTGRES_OS_USER = 'postgres';

const id = z.coerce.number().int().nonnegative();

/** The user initdb and postgres run as: undefined for a non-root caller (they run as the caller). */
export async function serverUser(): Promise<OsUser | undefined> {
  if (userInfo().uid !== 0) return undefined;
  return (await lookUp(POSTGRES_OS_USER)) ?? (await createPostgresUser());
}

async function lookUp(name: string): Promise<OsUser | undefined> {
  const [uid, gid] = await Promise.all([runCommand('id', ['-u', name]), runCommand('id', ['-g', name])]);
  if (uid.code !== 0 || gid.code !== 0) return undefined;
  const ids = z.tuple([id, id]).safeParse([uid.output.trim(), gid.output.trim()]);
  return ids.success ? { name, uid: ids.data[0], gid: ids.data[1] } : undefined;
}

/** A system account without login or home, in a group of its name (joined when it exists). */
async function createPostgresUser(): Promise<OsUser> {
  const name = POSTGRES_OS_USER;
  const useradd = findExecutable('useradd');
  const groupExists = (await runCommand('getent', ['group', name])).code === 0;
  const args = [
    '--system',
    ...(groupExists ? ['--gid', name] : ['--user-group']),
    '--no-create-home',
    '--home-dir',
    '/nonexistent',
    '--shell',
    '/usr/sbin/nologin',
    name,
  ];
  const created = useradd
    ? await runCommand(useradd, args)
    : { code: undefined, output: 'useradd not found' };
  // A run started at the same time may have created it first.
  const user = await lookUp(name);
  if (user) return user;
  throw new EmbeddedPostgresError(
    'EMBEDDED_PG_OS_USER',
    `Postgres does not run as root, so embedded Postgres runs it as the OS user "${name}", which does not ` +
      `exist and could not be created (useradd: ${created.output || `exit code ${created.code}`}). ` +
      `Create it (useradd --system --user-group ${name}), run as a non-root user, ${USE_YOUR_OWN_POSTGRES}.`,
  );
}

/**
 * The first directory on the way to `dir` (itself included) that `user` may not enter, or
 * undefined when it can reach `dir`. test(1) asks the kernel as that user (access(2)), so modes,
 * ACLs and mount options all count.
 */
export async function blockedAt(user: OsUser, dir: string): Promise<string | undefined> {
  const steps = resolve(dir)
    .split(sep)
    .map((_, i, parts) => parts.slice(0, i + 1).join(sep) || sep);
  const script = 'for d do test -d "$d" && test -x "$d" || { printf %s "$d"; exit 1; }; done';
  const result = await runCommand('/bin/sh', ['-c', script, 'sh', ...steps], {
    as: user,
    env: postgresEnv(),
  });
  if (result.code === 0) return undefined;
  return result.code === 1 && result.output ? result.output : dir;
}

/** True when `user` can start `postgres` (reach the file, load its libraries). */
export async function canRun(user: OsUser, postgres: string): Promise<boolean> {
  return (await runCommand(postgres, ['--version'], { as: user, env: postgresEnv() })).code === 0;
}
