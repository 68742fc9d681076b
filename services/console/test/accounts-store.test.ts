import { createDatabase, migrateSchema } from '@reserveit/db';
import { type TestDatabase, useDatabase } from '@reserveit/testkit';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiTokens } from '../src/api-tokens.js';
import { type ConsoleDb, type Db, migrations, SCHEMA } from '../src/database.js';
import { LoginThrottle } from '../src/login-throttle.js';
import { Sessions } from '../src/sessions.js';
import { StaffAccounts } from '../src/staff-accounts.js';

let database: TestDatabase;
let db: Db;
let clock = Date.parse('2026-12-07T10:00:00Z');
const now = () => clock;
const minutes = (n: number) => n * 60_000;

beforeAll(async () => {
  database = await useDatabase();
  db = createDatabase<ConsoleDb>({ url: database.url, applicationName: 'console-test' });
  await migrateSchema(db as unknown as Kysely<unknown>, SCHEMA, migrations);
});

afterAll(async () => {
  await db.destroy();
  await database.drop();
});

describe('staff accounts', () => {
  it('hashes passwords with argon2id and never keeps a one-time password', async () => {
    const staff = new StaffAccounts(db);
    const added = await staff.add({
      email: 'Owner@Example.com',
      name: 'Omar',
      businessId: 'a-place',
      role: 'owner',
    });
    expect(added.oneTimePassword).toMatch(/^[A-Za-z0-9_-]{20}$/);
    const row = await db
      .selectFrom('console.staff')
      .selectAll()
      .where('email', '=', 'owner@example.com')
      .executeTakeFirstOrThrow();
    expect(row.password_hash).toMatch(/^\$argon2id\$/);
    expect(row.password_hash).not.toContain(added.oneTimePassword);
    expect(await staff.authenticate('owner@example.com', added.oneTimePassword as string)).toMatchObject({
      name: 'Omar',
    });
    expect(await staff.authenticate('owner@example.com', 'wrong')).toBeNull();
    expect(await staff.authenticate('nobody@example.com', 'wrong')).toBeNull();

    const again = await staff.add({
      email: 'owner@example.com',
      name: 'Other',
      businessId: 'b-place',
      role: 'host',
    });
    expect(again.oneTimePassword).toBeNull();
    expect([...(await staff.roles(added.member.staffId))]).toEqual([
      ['a-place', 'owner'],
      ['b-place', 'host'],
    ]);
  });
});

describe('sessions', () => {
  it('end at their expiry, after idling, and at logout, whatever the cookie says', async () => {
    const staff = await new StaffAccounts(db).add({
      email: 's@example.com',
      name: 'S',
      businessId: 'a-place',
      role: 'host',
    });
    const sessions = new Sessions(db, { ttlMs: minutes(60), idleMs: minutes(20) }, now);
    const open = await sessions.open(staff.member.staffId);
    expect(await sessions.find(open.secret)).toMatchObject({
      staffId: staff.member.staffId,
      csrfToken: open.csrfToken,
    });

    clock += minutes(15);
    expect(await sessions.find(open.secret)).toBeDefined();
    clock += minutes(15);
    expect(await sessions.find(open.secret)).toBeDefined();
    clock += minutes(21);
    expect(await sessions.find(open.secret)).toBeUndefined();

    const second = await sessions.open(staff.member.staffId);
    for (let i = 0; i < 6; i++) {
      clock += minutes(10);
      if (i < 5) expect(await sessions.find(second.secret)).toBeDefined();
    }
    expect(await sessions.find(second.secret)).toBeUndefined();

    const third = await sessions.open(staff.member.staffId);
    await sessions.close(third.secret);
    expect(await sessions.find(third.secret)).toBeUndefined();
    const stored = await db.selectFrom('console.sessions').select('id_hash').execute();
    expect(stored.map((s) => s.id_hash)).not.toContain(third.secret);
  });
});

describe('login throttle', () => {
  const policy = {
    maxFailures: 3,
    maxFailuresPerAccount: 5,
    maxFailuresPerAddress: 8,
    windowMs: minutes(15),
  };

  it('blocks a guesser at its limit, and the account from anywhere only at a higher one', async () => {
    const throttle = new LoginThrottle(db, policy, now);
    const guesser = { email: 'victim@example.com', address: '198.51.100.7' };
    for (let i = 0; i < 3; i++) expect(await throttle.attempt(guesser)).toBe(0);
    expect(await throttle.attempt(guesser)).toBe(minutes(15));
    // The victim, elsewhere, still signs in: the account's own limit is not reached yet.
    const victim = { email: 'victim@example.com', address: '203.0.113.20' };
    expect(await throttle.attempt(victim)).toBe(0);
    await throttle.succeed(victim);
    // Guessing from many addresses meets the account's limit.
    for (let i = 0; i < 5; i++)
      await throttle.attempt({ email: 'victim@example.com', address: `192.0.2.${i}` });
    expect(await throttle.attempt({ email: 'victim@example.com', address: '192.0.2.99' })).toBeGreaterThan(0);

    clock += minutes(16);
    expect(await throttle.attempt(guesser)).toBe(0);
  });

  it('counts parallel guesses before checking any, so no more than the limit get through', async () => {
    const throttle = new LoginThrottle(db, policy, now);
    const keys = { email: 'parallel@example.com', address: '198.51.100.8' };
    const waits = await Promise.all(Array.from({ length: 10 }, () => throttle.attempt(keys)));
    expect(waits.filter((wait) => wait === 0)).toHaveLength(3);
  });

  it('blocks an address trying many accounts, but not for its own successful sign-ins', async () => {
    const throttle = new LoginThrottle(db, policy, now);
    const office = '198.51.100.9';
    for (let i = 0; i < 20; i++) {
      const staff = { email: `staff${i}@example.com`, address: office };
      expect(await throttle.attempt(staff)).toBe(0);
      await throttle.succeed(staff);
    }
    for (let i = 0; i < 8; i++) await throttle.attempt({ email: `guess${i}@example.com`, address: office });
    expect(await throttle.attempt({ email: 'staff0@example.com', address: office })).toBeGreaterThan(0);
    expect(await throttle.attempt({ email: 'staff0@example.com', address: '203.0.113.9' })).toBe(0);
  });
});

describe('API tokens', () => {
  it('keep only a hash, and stop working once revoked', async () => {
    const tokens = new ApiTokens(db, now);
    const { token, secret } = await tokens.create({
      businessId: 'a-place',
      name: 'pos',
      role: 'host',
      createdBy: crypto.randomUUID(),
    });
    expect(secret.startsWith('ri_')).toBe(true);
    const rows = await db.selectFrom('console.api_tokens').select('secret_hash').execute();
    expect(rows.map((r) => r.secret_hash)).not.toContain(secret);
    expect(await tokens.find(secret)).toMatchObject({ businessId: 'a-place', role: 'host' });
    expect(await tokens.revoke('b-place', token.id)).toBe(false);
    expect(await tokens.revoke('a-place', token.id)).toBe(true);
    expect(await tokens.find(secret)).toBeUndefined();
  });
});
