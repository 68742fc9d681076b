import { type ChildProcess, spawn } from 'node:child_process';
import { chmod, mkdir, mkdtemp, realpath, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterEach, expect, it } from 'vitest';
import { freePort } from '../src/index.js';
import { copyRepositoryForCli } from './private-copy.js';

const READY = /embedded Postgres ready: .* \(data in (.+)\)$/m;
const cleanups: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

interface Cli {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

function runCli(cli: string, args: string[]): Cli {
  const child = spawn(process.execPath, [cli, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  cleanups.push(async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited;
  });
  return { child, output: () => output, exited };
}

/** Starts `reserveit-stack postgres`, resolves with the data directory it printed once ready. */
async function startPostgres(cli: string, port: number, dataDir: string): Promise<Cli & { dataDir: string }> {
  const run = runCli(cli, ['postgres', '--port', String(port), '--data-dir', dataDir]);
  const ready = new Promise<string>((resolve, reject) => {
    const check = () => {
      const match = READY.exec(run.output());
      if (match?.[1]) resolve(match[1]);
    };
    run.child.stdout?.on('data', check);
    run.child.stderr?.on('data', check);
    void run.exited.then((code) => reject(new Error(`exited ${code} before ready:\n${run.output()}`)));
  });
  return { ...run, dataDir: await ready };
}

async function stopPostgres(run: Cli): Promise<void> {
  run.child.kill('SIGINT');
  expect(await run.exited).toBe(0);
}

async function query<T extends pg.QueryResultRow>(port: number, sql: string): Promise<T[]> {
  const client = new pg.Client({
    connectionString: `postgres://postgres:postgres@127.0.0.1:${port}/postgres`,
  });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

/** A fresh directory only its owner may enter, like root's home where many clone on a new server. */
async function privateDirectory(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'reserveit-private-'));
  await chmod(dir, 0o700);
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

it('runs from a clone inside a 0700 directory (as root too) and keeps a table across restarts, leaving the directory private', async () => {
  const home = await privateDirectory();
  const clone = join(home, 'reserveit');
  const cli = await copyRepositoryForCli(clone);
  const dataDir = join(clone, '.local', 'postgres');
  const port = await freePort();

  const first = await startPostgres(cli, port, dataDir);
  // As root the cluster may live outside the private directory; remove it wherever it went.
  cleanups.push(() => rm(first.dataDir, { recursive: true, force: true }));
  expect(await realpath(dataDir)).toBe(first.dataDir);
  await query(port, 'create table guests (name text primary key)');
  await query(port, "insert into guests values ('Amal')");
  await stopPostgres(first);

  const second = await startPostgres(cli, port, dataDir);
  expect(await query<{ name: string }>(port, 'select name from guests')).toEqual([{ name: 'Amal' }]);
  await stopPostgres(second);
  expect(second.output()).not.toMatch(/\n\s+at |Unhandled 'error' event/);

  expect((await stat(home)).mode & 0o777).toBe(0o700);
}, 180_000);

it('exits 1 with a message naming the directory and what to do, no stack trace, when the cluster sits where the server cannot enter', async () => {
  const base = await mkdtemp(join(tmpdir(), 'reserveit-locked-'));
  cleanups.push(() => rm(base, { recursive: true, force: true }));
  await chmod(base, 0o755);
  const locked = join(base, 'locked');
  await mkdir(locked, { mode: 0o755 });
  const dataDir = join(locked, 'data');
  const cli = new URL('../dist/cli.js', import.meta.url).pathname;
  const port = await freePort();
  await stopPostgres(await startPostgres(cli, port, dataDir));

  // Nobody but root may enter now; as root, Postgres runs as the `postgres` OS user, who cannot.
  await chmod(locked, 0o000);
  cleanups.push(() => chmod(locked, 0o755));
  const run = runCli(cli, ['postgres', '--port', String(port), '--data-dir', dataDir]);
  expect(await run.exited).toBe(1);
  expect(run.output()).toContain(dataDir);
  expect(run.output()).toMatch(/--data-dir/);
  expect(run.output()).not.toMatch(/\n\s+at |Unhandled 'error' event/);
  expect(run.output()).not.toMatch(READY);
}, 180_000);
