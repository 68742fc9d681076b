import { type TestDatabase, useDatabase } from '@reserveit/testkit';
import { type Kysely, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase } from '../src/index.js';

interface Tables {
  'prep.items': { id: string; label: string };
}

let database: TestDatabase;
// One connection, so what it prepared is what pg_prepared_statements shows.
let db: Kysely<Tables>;

beforeAll(async () => {
  database = await useDatabase();
  db = createDatabase<Tables>({ url: database.url, applicationName: 'prepared-test', maxConnections: 1 });
  await sql`create schema prep`.execute(db);
  await sql`create table prep.items (id text primary key, label text not null)`.execute(db);
  await sql`insert into prep.items values ('a', 'first'), ('b', 'second')`.execute(db);
});

afterAll(async () => {
  await db.destroy();
  await database.drop();
});

const prepared = async () =>
  (
    await sql<{ statement: string; generic: number; custom: number }>`
      select statement, generic_plans::int as generic, custom_plans::int as custom
      from pg_prepared_statements where statement like '%"prep"."items"%'`.execute(db)
  ).rows;

describe('prepared statements', () => {
  it('prepares a parameterized statement once per connection and runs it again by name, on its generic plan after five', async () => {
    const byId = (id: string) => db.selectFrom('prep.items').select('label').where('id', '=', id).execute();
    for (let i = 0; i < 8; i += 1) expect(await byId(i % 2 === 0 ? 'a' : 'b')).toHaveLength(1);
    const rows = await prepared();
    expect(rows).toHaveLength(1);
    expect(rows[0]?.statement).toContain('where "id" = $1');
    // Postgres plans the first five runs for their parameters, then keeps the generic plan.
    expect(rows[0]).toMatchObject({ custom: 5, generic: 3 });
  });

  it('plans every run for the tables as they are when asked to (customPlans)', async () => {
    const own = createDatabase<Tables>({
      url: database.url,
      applicationName: 'prepared-custom-test',
      maxConnections: 1,
      customPlans: true,
    });
    try {
      for (let i = 0; i < 8; i += 1)
        await own.selectFrom('prep.items').select('id').where('label', '=', 'first').execute();
      const { rows } = await sql<{ generic: number; custom: number }>`
        select generic_plans::int as generic, custom_plans::int as custom
        from pg_prepared_statements where statement like '%"label" = $1%'`.execute(own);
      expect(rows).toEqual([{ custom: 8, generic: 0 }]);
    } finally {
      await own.destroy();
    }
  });

  it('leaves statements without parameters unprepared', async () => {
    await sql`select count(*) from prep.items`.execute(db);
    expect((await prepared()).map((row) => row.statement)).not.toContainEqual(
      expect.stringContaining('count(*)'),
    );
  });

  it('runs a statement unnamed once a migration changed what it returns, after one failed call', async () => {
    const all = () => db.selectFrom('prep.items').selectAll().where('id', '=', 'a').execute();
    expect(Object.keys((await all())[0] ?? {})).toEqual(['id', 'label']);
    await sql`alter table prep.items add column note text`.execute(db);
    // Postgres refuses the prepared one (its result columns changed); the caller retries as
    // every handler does, and the retry gets the new columns.
    await expect(all()).rejects.toMatchObject({ code: '0A000' });
    expect(Object.keys((await all())[0] ?? {})).toEqual(['id', 'label', 'note']);
  });
});
