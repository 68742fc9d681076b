import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

// Debian installs nats-server into /usr/sbin, which is not on PATH for non-login shells and some
// CI users.
export const SBIN_DIRS = ['/usr/local/sbin', '/usr/sbin', '/sbin'];

/** Absolute path of `name` from PATH or the sbin directories, or undefined. */
export function findExecutable(name: string): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), ...SBIN_DIRS].filter((d) => d.length > 0);
  for (const dir of dirs) {
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  return undefined;
}

/** PATH with the sbin directories appended, for children that look up nats-server themselves. */
export function pathWithSbin(path: string | undefined): string {
  const parts = (path ?? '').split(delimiter).filter((d) => d.length > 0);
  for (const dir of SBIN_DIRS) if (!parts.includes(dir)) parts.push(dir);
  return parts.join(delimiter);
}
