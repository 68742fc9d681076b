import { spawn } from 'node:child_process';
import { trackChild } from './child-registry.js';
import type { PostgresBinaries } from './embedded-postgres-binaries.js';
import { type OsUser, postgresEnv } from './embedded-postgres-command.js';
import { EmbeddedPostgresError, reason } from './embedded-postgres-error.js';
import { LogTail } from './log-tail.js';

// Logged once the server takes connections (after recovery); in English because lc_messages=C.
const READY_LINE = 'database system is ready to accept connections';
const READY_TIMEOUT_MS = 120_000;

/**
 * How the server is shut down, as `pg_ctl stop -m` says it: `fast` (SIGINT) rolls back open
 * transactions, checkpoints and exits; `immediate` (SIGQUIT) exits at once and the next start
 * recovers from the WAL (https://www.postgresql.org/docs/current/server-shutdown.html).
 */
export type ShutdownMode = 'fast' | 'immediate';

const SHUTDOWN_SIGNAL: Record<ShutdownMode, NodeJS.Signals> = { fast: 'SIGINT', immediate: 'SIGQUIT' };

export interface PostgresServer {
  /** Shuts the server down (`fast` unless told) and waits for the exit. */
  stop(mode?: ShutdownMode): Promise<void>;
}

/** Runs `postgres` on 127.0.0.1:`port` until stop(); resolves once it accepts connections. */
export async function startServer(opts: {
  bins: PostgresBinaries;
  dataDir: string;
  port: number;
  user: OsUser | undefined;
}): Promise<PostgresServer> {
  const args = [
    '-D',
    opts.dataDir,
    '-p',
    String(opts.port),
    '-c',
    'listen_addresses=127.0.0.1',
    // No Unix socket: the default socket directory may be owned by a system Postgres or absent.
    '-c',
    'unix_socket_directories=',
    '-c',
    'lc_messages=C',
  ];
  const child = spawn(opts.bins.postgres, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: postgresEnv(),
    ...(opts.user ? { uid: opts.user.uid, gid: opts.user.gid } : {}),
  });
  trackChild(child);
  const logs = new LogTail(40);
  // 'close', not 'exit': a program that could not be started emits only 'error' and 'close'.
  const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
  const running = () => child.exitCode === null && child.signalCode === null;

  await new Promise<void>((resolve, reject) => {
    const fail = (message: string) =>
      reject(new EmbeddedPostgresError('EMBEDDED_PG_START', `${message}\n${logs.text()}`.trim()));
    const timer = setTimeout(
      () => fail(`postgres did not accept connections within ${READY_TIMEOUT_MS / 1000} s:`),
      READY_TIMEOUT_MS,
    );
    // Read for as long as it runs: a full pipe would block the server's next log write.
    const onData = (chunk: Buffer) => {
      if (logs.push(chunk).some((line) => line.includes(READY_LINE))) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('error', (err) => {
      clearTimeout(timer);
      fail(`cannot start ${opts.bins.postgres} (${reason(err)}).`);
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      fail(
        `postgres exited (code ${code}, signal ${signal}) before accepting connections on 127.0.0.1:${opts.port}; ` +
          'its last lines say why (a port in use, a data directory of another owner or version):',
      );
    });
  }).catch(async (err: unknown) => {
    if (running()) child.kill('SIGKILL');
    await closed;
    throw err;
  });

  return {
    stop: async (mode = 'fast') => {
      if (running()) child.kill(SHUTDOWN_SIGNAL[mode]);
      await closed;
    },
  };
}
