import pg from 'pg';
import { expect, inject, it } from 'vitest';
import { useDatabase } from '../src/index.js';

async function databaseExists(name: string): Promise<boolean> {
  const admin = new pg.Client({ connectionString: inject('databaseUrl') });
  await admin.connect();
  try {
    const { rowCount } = await admin.query('select 1 from pg_database where datname = $1', [name]);
    return rowCount === 1;
  } finally {
    await admin.end();
  }
}

it('creates a fresh database to connect to, and drop() removes it even with a client still connected', async () => {
  const db = await useDatabase();
  expect(db.name).toMatch(/^t_[0-9a-f]{12}$/);
  const client = new pg.Client({ connectionString: db.url });
  client.on('error', () => undefined); // the forced drop terminates this connection
  await client.connect();
  const { rows } = await client.query<{ db: string }>('select current_database() as db');
  expect(rows[0]?.db).toBe(db.name);

  await db.drop();

  expect(await databaseExists(db.name)).toBe(false);
  await client.end().catch(() => undefined);
});

it('gives every call its own database', async () => {
  const [a, b] = [await useDatabase(), await useDatabase()];
  try {
    expect(a.name).not.toBe(b.name);
    expect(await databaseExists(a.name)).toBe(true);
    expect(await databaseExists(b.name)).toBe(true);
  } finally {
    await a.drop();
    await b.drop();
  }
});
