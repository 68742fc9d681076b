import { genericPlans, seqScansOn, type TestDatabase, useDatabase } from '@reserveit/testkit';
import { type Kysely, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  applyBatchOnce,
  applyFreshBatch,
  applyOnce,
  checkpoint,
  createDatabase,
  inboxMigration,
  jsonRecords,
  keyList,
  migrateSchema,
} from '../src/index.js';

interface Tables {
  'projection.counters': { name: string; value: number };
}

let database: TestDatabase;
let db: Kysely<Tables>;

beforeAll(async () => {
  database = await useDatabase();
  db = createDatabase<Tables>({ url: database.url, applicationName: 'db-test' });
  await migrateSchema(db as Kysely<unknown>, 'projection', migrations);
});

const migrations = {
  '0001_inbox': inboxMigration('projection'),
  '0002_counters': {
    async up(up: Kysely<unknown>) {
      await up.schema
        .withSchema('projection')
        .createTable('counters')
        .addColumn('name', 'text', (c) => c.primaryKey())
        .addColumn('value', 'integer', (c) => c.notNull())
        .execute();
    },
  },
};

afterAll(async () => {
  await db.destroy();
  await database.drop();
});

const bump = (eventId: string, streamSeq: number, fail = false) =>
  applyOnce(db, { schema: 'projection', consumer: 'counter', eventId, streamSeq }, async (trx) => {
    await trx
      .insertInto('projection.counters')
      .values({ name: 'total', value: 1 })
      .onConflict((oc) => oc.column('name').doUpdateSet({ value: sql`projection.counters.value + 1` }))
      .execute();
    if (fail) throw new Error('projection failed');
  });

const total = async () =>
  (await db.selectFrom('projection.counters').select('value').where('name', '=', 'total').executeTakeFirst())
    ?.value ?? 0;

describe('migrateSchema', () => {
  it('applies each migration once, in its own schema, when run again', async () => {
    await migrateSchema(db as Kysely<unknown>, 'projection', migrations);
    const tables = await sql<{
      table_name: string;
    }>`select table_name from information_schema.tables where table_schema = 'projection' order by 1`.execute(
      db,
    );
    expect(tables.rows.map((row) => row.table_name)).toEqual([
      'counters',
      'inbox',
      'kysely_migration',
      'kysely_migration_lock',
    ]);
  });

  it('migrates while another service migrates its own schema, creating and dropping tables', async () => {
    const other = createDatabase<Tables>({ url: database.url, applicationName: 'db-test-churn' });
    await sql`create schema if not exists churn`.execute(other);
    // A burst of DDL as long as a service's own migrations (graphile-worker's take about this).
    const burst = async (round: number) => {
      const until = Date.now() + 300;
      for (let n = 0; Date.now() < until; n++) {
        await sql`create table ${sql.id('churn', `t${round}_${n}`)} (id int)`.execute(other);
        await sql`drop table ${sql.id('churn', `t${round}_${n}`)}`.execute(other);
      }
    };
    try {
      for (let round = 0; round < 10; round++) {
        await Promise.all([
          burst(round),
          migrateSchema(db as Kysely<unknown>, `race_${round}`, {
            '0001_inbox': inboxMigration(`race_${round}`),
          }),
        ]);
      }
    } finally {
      await sql`drop schema churn cascade`.execute(other);
      await other.destroy();
    }
  });

  it('refuses to start with a clear error when an applied migration is missing from the code', async () => {
    await expect(
      migrateSchema(db as Kysely<unknown>, 'projection', { '0001_inbox': inboxMigration('projection') }),
    ).rejects.toThrow(/schema projection failed: .*0002_counters is missing/);
  });
});

describe('applyOnce', () => {
  it('applies an event delivered ten times at once exactly once', async () => {
    const before = await total();
    const results = await Promise.all(Array.from({ length: 10 }, () => bump('evt-concurrent', 7)));
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await total()).toBe(before + 1);
  });

  it('rolls the inbox row back with the projection when applying fails, so a retry applies it', async () => {
    const before = await total();
    await expect(bump('evt-retry', 8, true)).rejects.toThrow('projection failed');
    expect(await total()).toBe(before);
    expect(await bump('evt-retry', 8)).toBe(true);
    expect(await total()).toBe(before + 1);
  });

  it('reports the highest applied stream sequence as the checkpoint', async () => {
    await bump('evt-41', 41);
    await bump('evt-12', 12);
    expect(await checkpoint(db as Kysely<unknown>, 'projection', 'counter')).toBe(41);
    expect(await checkpoint(db as Kysely<unknown>, 'projection', 'nobody')).toBe(0);
  });

  it('applies a batch in one transaction, skipping events already applied and repeats within the batch', async () => {
    const before = await total();
    await bump('evt-b2', 102);
    const seen: string[] = [];
    const entries = ['evt-b1', 'evt-b2', 'evt-b3', 'evt-b1'].map((eventId, i) => ({
      eventId,
      streamSeq: 101 + i,
    }));
    const applied = await applyBatchOnce(
      db,
      { schema: 'projection', consumer: 'counter' },
      entries,
      async (trx, entry) => {
        seen.push(entry.eventId);
        await trx
          .updateTable('projection.counters')
          .set({ value: sql`value + 1` })
          .where('name', '=', 'total')
          .execute();
      },
    );
    expect(applied).toBe(2);
    expect(seen).toEqual(['evt-b1', 'evt-b3']);
    expect(await total()).toBe(before + 3);
  });

  it('applies nothing of a batch when one event of it fails', async () => {
    const before = await total();
    const entries = [
      { eventId: 'evt-f1', streamSeq: 201 },
      { eventId: 'evt-f2', streamSeq: 202 },
    ];
    await expect(
      applyBatchOnce(db, { schema: 'projection', consumer: 'counter' }, entries, async (trx, entry) => {
        await trx
          .updateTable('projection.counters')
          .set({ value: sql`value + 1` })
          .where('name', '=', 'total')
          .execute();
        if (entry.eventId === 'evt-f2') throw new Error('bad event');
      }),
    ).rejects.toThrow('bad event');
    expect(await total()).toBe(before);
    expect(await bump('evt-f1', 201)).toBe(true);
  });
});

describe('applyFreshBatch', () => {
  const count = (trx: Kysely<Tables>, by: number) =>
    trx
      .updateTable('projection.counters')
      .set({ value: sql`value + ${by}` })
      .where('name', '=', 'total')
      .execute();

  it('hands every fresh event of a batch to one call, in order, without repeats or events applied before', async () => {
    const before = await total();
    await bump('evt-s2', 302);
    const calls: string[][] = [];
    const entries = ['evt-s3', 'evt-s1', 'evt-s2', 'evt-s3', 'evt-s4'].map((eventId, i) => ({
      eventId,
      streamSeq: 301 + i,
    }));
    const applied = await applyFreshBatch(
      db,
      { schema: 'projection', consumer: 'counter' },
      entries,
      async (trx, fresh) => {
        calls.push(fresh.map((entry) => entry.eventId));
        await count(trx, fresh.length);
      },
    );
    expect(applied).toBe(3);
    expect(calls).toEqual([['evt-s3', 'evt-s1', 'evt-s4']]);
    expect(await total()).toBe(before + 4);
  });

  it('does not call back when every event of the batch was applied before', async () => {
    const calls: number[] = [];
    const entries = [{ eventId: 'evt-s1', streamSeq: 302 }];
    const applied = await applyFreshBatch(
      db,
      { schema: 'projection', consumer: 'counter' },
      entries,
      async (_trx, fresh) => {
        calls.push(fresh.length);
      },
    );
    expect(applied).toBe(0);
    expect(calls).toEqual([]);
  });

  it('rolls the inbox rows back with the projection when the call fails, so a retry applies them', async () => {
    const before = await total();
    const entries = [
      { eventId: 'evt-sf1', streamSeq: 401 },
      { eventId: 'evt-sf2', streamSeq: 402 },
    ];
    const target = { schema: 'projection', consumer: 'counter' };
    await expect(
      applyFreshBatch(db, target, entries, async (trx, fresh) => {
        await count(trx, fresh.length);
        throw new Error('bad batch');
      }),
    ).rejects.toThrow('bad batch');
    expect(await total()).toBe(before);
    expect(
      await applyFreshBatch(db, target, entries, (trx, fresh) =>
        count(trx, fresh.length).then(() => undefined),
      ),
    ).toBe(2);
    expect(await total()).toBe(before + 2);
  });
});

describe('createDatabase', () => {
  it('survives Postgres dropping its idle connections and serves the next query', async () => {
    const errors: Error[] = [];
    const own = createDatabase<Tables>({
      url: database.url,
      applicationName: 'db-idle-test',
      logger: { warn: (details) => errors.push((details as { err: Error }).err) },
    });
    await sql`select 1`.execute(own);
    await sql`select pg_terminate_backend(pid) from pg_stat_activity where application_name = 'db-idle-test'`.execute(
      db,
    );
    await expect.poll(() => errors.length).toBeGreaterThan(0);
    expect((await sql<{ one: number }>`select 1 as one`.execute(own)).rows[0]?.one).toBe(1);
    await own.destroy();
  });
});

it('fails only the transaction whose connection Postgres terminated, and the process and the next query go on', async () => {
  const warnings: Error[] = [];
  const own = createDatabase<Tables>({
    url: database.url,
    applicationName: 'db-busy-test',
    logger: { warn: (details) => warnings.push((details as { err: Error }).err) },
  });
  // The transaction holds its connection checked out while Postgres ends it, as on a restart
  // (57P01 terminating connection due to administrator command).
  const held = own.transaction().execute(async (trx) => {
    await sql`select 1`.execute(trx);
    await sql`select pg_terminate_backend(pid) from pg_stat_activity
        where application_name = 'db-busy-test' and pid <> pg_backend_pid()`.execute(db);
    await sql`select pg_sleep(0.2)`.execute(trx);
  });
  await expect(held).rejects.toThrow();
  await expect.poll(() => warnings.length).toBeGreaterThan(0);
  expect((await sql<{ one: number }>`select 1 as one`.execute(own)).rows[0]?.one).toBe(1);
  await own.destroy();
});

describe('jsonRecords', () => {
  it('gives rows a batch sends as JSON, and the planner looks each one up by key instead of scanning', async () => {
    await sql`insert into projection.counters (name, value)
              select 'row-' || g, g from generate_series(1, 20000) g on conflict do nothing`.execute(db);
    await sql`analyze projection.counters`.execute(db);
    const batch = [{ name: 'row-7' }, { name: 'row-11' }, { name: 'missing' }];
    const found = await sql<{ name: string; value: number }>`
      select c.name, c.value from ${jsonRecords(batch, 'name text')} as b
      join projection.counters c on c.name = b.name order by c.value`.execute(db);
    expect(found.rows).toEqual([
      { name: 'row-7', value: 7 },
      { name: 'row-11', value: 11 },
    ]);
    const plan = await sql<{ 'QUERY PLAN': string }>`
      explain select c.value from ${jsonRecords(batch, 'name text')} as b
      join projection.counters c on c.name = b.name`.execute(db);
    const text = plan.rows.map((row) => row['QUERY PLAN']).join('\n');
    expect(text).toContain('Index Scan');
    expect(text).not.toContain('Seq Scan on counters');
  });
});

describe('keyList', () => {
  it('sends keys as one array, and the generic plan made while the table was empty probes its index', async () => {
    // One connection: genericPlans reads what it prepared.
    const own = createDatabase<{ 'projection.keyed': { key: string; value: number } }>({
      url: database.url,
      applicationName: 'db-keylist-test',
      maxConnections: 1,
    });
    try {
      await sql`create table projection.keyed (key text primary key, value int not null)`.execute(own);
      const pick = (keys: string[]) =>
        own.selectFrom('projection.keyed').select('value').where('key', 'in', keyList(keys)).orderBy('value');
      expect(await pick(['a']).execute()).toEqual([]);
      await sql`insert into projection.keyed values ('a', 1), ('b', 2), ('c', 3)`.execute(own);
      expect(await pick(['c', 'a', 'z']).execute()).toEqual([{ value: 1 }, { value: 3 }]);
      const plans = await genericPlans(own as unknown as Kysely<unknown>);
      expect(plans.map((plan) => plan.statement)).toContainEqual(expect.stringContaining('unnest'));
      expect(seqScansOn(plans, ['keyed'])).toEqual([]);
    } finally {
      await own.destroy();
    }
  });
});
