import { existsSync } from 'node:fs';
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
  expect(existsSync(server.dataDir)).toBe(false);
}, 120_000);
