import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import pg from 'pg';
import { expect, it } from 'vitest';
import { startEmbeddedPostgres } from '../src/index.js';

it('starts embedded Postgres as the current user (root runs it as the postgres OS user) and answers select 1', async () => {
  const server = await startEmbeddedPostgres();
  try {
    expect(server.url).toMatch(
      new RegExp(`^postgres://postgres:[^@]+@127\\.0\\.0\\.1:${server.port}/postgres$`),
    );
    const client = new pg.Client({ connectionString: server.url });
    await client.connect();
    const { rows } = await client.query<{ one: number }>('select 1 as one');
    await client.end();
    expect(rows).toEqual([{ one: 1 }]);
  } finally {
    await server.stop();
  }
  // The temporary directory it was made in goes too, not only the cluster's data inside it.
  expect(existsSync(dirname(server.dataDir))).toBe(false);
}, 120_000);

it('leaves the exit code of the process that started it alone (a failing test run must not exit 0)', async () => {
  const script = `
    const { startEmbeddedPostgres } = await import(${JSON.stringify(new URL('../dist/index.js', import.meta.url).href)});
    const server = await startEmbeddedPostgres();
    await server.stop();
    process.exitCode = 3;`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: 'ignore' });
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  expect(code).toBe(3);
}, 120_000);

it('restarts on the same port and data after a fast and an immediate shutdown, keeping committed rows', async () => {
  const server = await startEmbeddedPostgres();
  const count = async () => {
    const client = new pg.Client({ connectionString: server.url });
    await client.connect();
    try {
      const { rows } = await client.query<{ n: number }>('select count(*)::int as n from kept');
      return rows[0]?.n;
    } finally {
      await client.end();
    }
  };
  try {
    const client = new pg.Client({ connectionString: server.url });
    await client.connect();
    await client.query('create table kept (n int); insert into kept values (1), (2)');
    await client.end();
    await server.restart('fast');
    expect(await count()).toBe(2);
    // Immediate: no checkpoint; the rows come back from the WAL at the next start.
    await server.restart('immediate', 100);
    expect(await count()).toBe(2);
  } finally {
    await server.stop();
  }
}, 120_000);
