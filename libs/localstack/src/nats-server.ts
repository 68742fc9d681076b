import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { trackChild } from './child-registry.js';
import { findExecutable } from './executable.js';
import { freePort, portInUse } from './free-port.js';
import { LogTail } from './log-tail.js';
import { waitForTcp } from './tcp-wait.js';

export interface NatsServerOptions {
  /** Client port on 127.0.0.1; a free one when omitted. */
  port?: number;
  /** JetStream store directory; a temp dir (removed on stop) when omitted. */
  storeDir?: string;
  /** Appended after the standard flags (e.g. `--cluster_name`). */
  extraArgs?: string[];
  /** Passed as `-c`; command-line flags still win over the file. */
  configFile?: string;
  /**
   * Extra environment of the server, e.g. the NATS_PASSWORD_<USER> variables a config with users
   * (deploy/nats/users.conf) reads its passwords from.
   */
  env?: Record<string, string>;
  /** How long to wait for the server to greet; default 15 s. */
  readyTimeoutMs?: number;
  /**
   * Clients must speak TLS (`--tls --tlscert --tlskey`, e.g. ensureDevCertificates' files). The
   * INFO greeting stays plaintext (TLS starts after it, https://docs.nats.io/running-a-nats-service/configuration/securing_nats/tls),
   * so readiness is seen as before.
   */
  tls?: { certFile: string; keyFile: string };
}

export interface NatsServer {
  url: string;
  port: number;
  storeDir: string;
  /** SIGTERM and wait for exit; removes the store dir when it was a temp dir. */
  stop(): Promise<void>;
  /** SIGKILL and wait for exit; the store dir stays so restart() can recover it. */
  kill(): Promise<void>;
  /** Stops if running, then starts again on the same port and store dir. */
  restart(): Promise<void>;
}

export const NATS_SERVER_MISSING =
  'nats-server was not found on PATH or in /usr/sbin. Install it (Debian/Ubuntu: `apt-get install nats-server`) ' +
  'or set NATS_URL to a running server started with JetStream (-js).';

function waitExit(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/**
 * One core for a local nats-server unless GOMAXPROCS says otherwise: it shares the machine with the
 * services, Postgres and the load, and Go's idle threads spinning for work on the other cores took
 * a quarter of its CPU time in bench:e2e on two cores (nats-server 2.9.10). Production NATS runs on
 * nodes of its own (deploy/).
 */
export function natsServerEnv(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return { ...env, GOMAXPROCS: env.GOMAXPROCS ?? '1' };
}

/** Spawns `nats-server -js` on loopback and resolves once it greets clients with its INFO line. */
export async function startNatsServer(opts: NatsServerOptions = {}): Promise<NatsServer> {
  const bin = findExecutable('nats-server');
  if (!bin) throw new Error(NATS_SERVER_MISSING);
  const port = opts.port ?? (await freePort());
  const ownsStore = opts.storeDir === undefined;
  const storeDir = opts.storeDir ?? (await mkdtemp(join(tmpdir(), 'reserveit-nats-')));
  const args = [
    ...(opts.configFile ? ['-c', opts.configFile] : []),
    '-js',
    '-a',
    '127.0.0.1',
    '-p',
    String(port),
    '-sd',
    storeDir,
    ...(opts.tls ? ['--tls', '--tlscert', opts.tls.certFile, '--tlskey', opts.tls.keyFile] : []),
    ...(opts.extraArgs ?? []),
  ];
  // Readiness must see *our* server: another one already on the port would greet just the same.
  const nameIndex = args.findIndex((a) => /^--?(n|name|server_name)$/.test(a));
  const serverName =
    nameIndex >= 0
      ? args[nameIndex + 1]
      : opts.configFile
        ? undefined
        : `reserveit-${randomBytes(4).toString('hex')}`;
  if (nameIndex < 0 && serverName) args.push('--name', serverName);
  const isOurs = (line: string): boolean => {
    if (!line.startsWith('INFO ')) return false;
    if (!serverName) return true;
    try {
      const info: unknown = JSON.parse(line.slice(5));
      return (
        typeof info === 'object' && info !== null && 'server_name' in info && info.server_name === serverName
      );
    } catch {
      return false;
    }
  };
  const readyTimeoutMs = opts.readyTimeoutMs ?? 15_000;
  let child: ChildProcess | undefined;

  const launch = async (): Promise<void> => {
    if (await portInUse(port)) {
      throw new Error(`cannot start nats-server: port ${port} on 127.0.0.1 is already in use`);
    }
    const logs = new LogTail();
    const proc = spawn(bin, args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: natsServerEnv({ ...process.env, ...opts.env }),
    });
    trackChild(proc);
    proc.stdout?.on('data', (c: Buffer) => logs.push(c));
    proc.stderr?.on('data', (c: Buffer) => logs.push(c));
    let spawnError: Error | undefined;
    proc.once('error', (err) => {
      spawnError = err;
    });
    child = proc;
    try {
      await waitForTcp({
        port,
        timeoutMs: readyTimeoutMs,
        acceptGreeting: isOurs,
        isDead: () => {
          if (spawnError) return `nats-server could not start: ${spawnError.message}`;
          if (proc.exitCode !== null || proc.signalCode !== null) {
            return `nats-server exited (code ${proc.exitCode}, signal ${proc.signalCode}) before accepting clients on port ${port}:\n${logs.text()}`;
          }
          return undefined;
        },
      });
    } catch (err) {
      proc.kill('SIGKILL');
      await waitExit(proc);
      const message = err instanceof Error ? err.message : String(err);
      throw new Error(message.includes('\n') ? message : `${message}\n${logs.text()}`);
    }
  };

  const signal = async (sig: NodeJS.Signals): Promise<void> => {
    const proc = child;
    if (!proc) return;
    child = undefined;
    if (proc.exitCode === null && proc.signalCode === null) proc.kill(sig);
    await waitExit(proc);
  };

  try {
    await launch();
  } catch (err) {
    if (ownsStore) await rm(storeDir, { recursive: true, force: true });
    throw err;
  }
  return {
    url: `nats://127.0.0.1:${port}`,
    port,
    storeDir,
    stop: async () => {
      await signal('SIGTERM');
      if (ownsStore) await rm(storeDir, { recursive: true, force: true });
    },
    kill: () => signal('SIGKILL'),
    restart: async () => {
      await signal('SIGTERM');
      await launch();
    },
  };
}
