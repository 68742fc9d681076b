import { spawn } from 'node:child_process';
import { LogTail } from './log-tail.js';

/** An OS account by its ids, as `spawn` takes them. */
export interface OsUser {
  name: string;
  uid: number;
  gid: number;
}

export interface CommandResult {
  /** Exit code; undefined when the program could not be started or died of a signal. */
  code: number | undefined;
  /** The last lines it wrote (stdout and stderr), or why it could not be started. */
  output: string;
}

const KEPT_ENV = /^(PATH|TZ|LANG|LANGUAGE|LC_[A-Z_]+)$/;

/**
 * The environment for initdb and postgres: what decides locale and time zone, nothing else. As
 * root they run as another user, who must not get root's environment (tokens, database URLs).
 * Messages in C, because readiness is read from the server's log (embedded-postgres-server.ts).
 */
export function postgresEnv(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const kept = Object.fromEntries(Object.entries(env).filter(([key]) => KEPT_ENV.test(key)));
  return { ...kept, LC_MESSAGES: 'C' };
}

/**
 * Runs a program to its end; resolves (never rejects) with its exit code and output, so a program
 * that is missing or may not be executed (`spawn … EACCES`) is a result to explain, not an
 * unhandled 'error' event. `as` runs it as that user (the caller is root).
 */
export function runCommand(
  file: string,
  args: string[],
  opts: { as?: OsUser; env?: NodeJS.ProcessEnv } = {},
): Promise<CommandResult> {
  return new Promise((resolve) => {
    const logs = new LogTail(40);
    const child = spawn(file, args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: opts.env ?? process.env,
      ...(opts.as ? { uid: opts.as.uid, gid: opts.as.gid } : {}),
    });
    child.stdout.on('data', (chunk: Buffer) => logs.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => logs.push(chunk));
    child.once('error', (err) => resolve({ code: undefined, output: err.message }));
    child.once('close', (code) => resolve({ code: code ?? undefined, output: logs.text() }));
  });
}
