import { createDatabase, migrateSchema } from '@reserveit/db';
import { createLogger, createMetrics } from '@reserveit/telemetry';
import { type TestDatabase, useDatabase } from '@reserveit/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { senderMetrics } from '../src/metrics.js';
import { senderMigrations } from '../src/outbox/migrations.js';
import { RateLimitStore } from '../src/outbox/rate-limit-store.js';
import { SENDER_SCHEMA, type SenderDb } from '../src/outbox/tables.js';
import { RateLimitUnavailable, SendSlots } from '../src/send-slots.js';

const HOUR_MS = 3_600_000;
/**
 * One send an hour: the interval dwarfs the time the test takes, so each wait says exactly which
 * place in the queue a send got, whatever the machine's speed.
 */
const HOURLY = { perSecond: 1 / 3_600, burst: 3 };
/** The place in the queue a wait stands for: 0 for the burst, then one per interval. */
const place = (waitMs: number) => Math.round(waitMs / HOUR_MS);

let database: TestDatabase;
const pools: ReturnType<typeof createDatabase<SenderDb>>[] = [];
/** A pool of its own: a replica's. */
const pool = () => {
  const db = createDatabase<SenderDb>({
    url: database.url,
    applicationName: 'rate-limit-test',
    maxConnections: 4,
  });
  pools.push(db);
  return db;
};
let number = 0;
const newNumber = () => `pnid-${++number}`;

beforeAll(async () => {
  database = await useDatabase();
  await migrateSchema(pool() as never, SENDER_SCHEMA, senderMigrations);
});

afterAll(async () => {
  for (const db of pools) await db.destroy();
  await database.drop();
});

describe('RateLimitStore: one GCRA row per number, taken in one statement on the database clock', () => {
  it('lets a number seen first send its burst at once, then queues each further send one interval later', async () => {
    const limits = new RateLimitStore(pool(), HOURLY);
    const pnid = newNumber();
    const waits: number[] = [];
    for (let i = 0; i < 5; i += 1) waits.push(await limits.reserve(pnid));
    expect(waits.map(place)).toEqual([0, 0, 0, 1, 2]);
    expect(waits[3]).toBeLessThanOrEqual(HOUR_MS);
  });

  it('gives every send of two replicas, each with its own pool, a place of its own in one queue', async () => {
    const a = new RateLimitStore(pool(), HOURLY);
    const b = new RateLimitStore(pool(), HOURLY);
    const pnid = newNumber();
    const waits = await Promise.all(
      Array.from({ length: 40 }, (_, i) => (i % 2 === 0 ? a : b).reserve(pnid)),
    );
    // The burst (3) at once, then places 1 … 37, none shared and none skipped.
    expect(waits.map(place).sort((x, y) => x - y)).toEqual([
      0,
      0,
      ...Array.from({ length: 38 }, (_, i) => i),
    ]);
  });

  it('keeps each number on its own budget, also when their sends share a statement', async () => {
    const limits = new RateLimitStore(pool(), HOURLY);
    const [busy, other] = [newNumber(), newNumber()];
    for (let i = 0; i < 3; i += 1) await limits.reserve(busy);
    expect(place(await limits.reserve(busy))).toBe(1);
    expect(await limits.reserve(other)).toBe(0);
    // Asked at once: the first goes alone, the rest share the next statement, in the order asked.
    const [a, b] = [newNumber(), newNumber()];
    const waits = await Promise.all([a, b, a, b, a, b, a, b, a].map((pnid) => limits.reserve(pnid)));
    expect(waits.map(place)).toEqual([0, 0, 0, 0, 0, 0, 1, 1, 2]);
  });

  it('tryTake takes only free tokens and never lends, so a refusal leaves no debt', async () => {
    const limits = new RateLimitStore(pool(), HOURLY);
    const pnid = newNumber();
    expect(await limits.tryTake(pnid)).toBe(1);
    expect(await limits.tryTake(pnid, 5)).toBe(2);
    expect(await limits.tryTake(pnid)).toBe(0);
    expect(await limits.tryTake(pnid, 3)).toBe(0);
    // The refusals took nothing: the next reservation is the first one past the burst.
    expect(place(await limits.reserve(pnid))).toBe(1);
  });

  it('tryTake grants asks made together as many tokens as are free, the first asked first, and lends none', async () => {
    const limits = new RateLimitStore(pool(), HOURLY);
    const pnid = newNumber();
    const other = newNumber();
    const taken = await Promise.all([pnid, pnid, other, pnid, pnid, pnid].map((n) => limits.tryTake(n)));
    expect(taken).toEqual([1, 1, 1, 1, 0, 0]);
    expect(await limits.tryTake(pnid)).toBe(0);
    expect(await limits.tryTake(other, 3)).toBe(2);
    // Nothing was lent: the next reservation is the first one past the burst.
    expect(place(await limits.reserve(pnid))).toBe(1);
  });
});

/**
 * SendSlots at 100/s (blocks of up to 10, held for 100 ms; a burst of 100, less the hold, free) on
 * a clock the test sets, noting each statement it asks of the store in `calls`; `store` is the
 * store's own methods, unnoted. A queued send sleeps until its place: the clock moves on by as much.
 */
function watchedSlots() {
  const rate = { perSecond: 100, burst: 100 };
  const limits = new RateLimitStore(pool(), rate);
  const calls: string[] = [];
  const store = { tryTake: limits.tryTake.bind(limits), reserve: limits.reserve.bind(limits) };
  limits.tryTake = (phoneNumberId, count) => {
    calls.push(`tryTake ${count}`);
    return store.tryTake(phoneNumberId, count);
  };
  limits.reserve = (phoneNumberId) => {
    calls.push('reserve');
    return store.reserve(phoneNumberId);
  };
  const clock = { now: 0 };
  const slots = new SendSlots({
    limits,
    rate,
    metrics: senderMetrics(createMetrics('send-slots-test'), {
      outboxActive: async () => 0,
      deadLetters: async () => 0,
    }),
    logger: createLogger('send-slots-test', 'silent'),
    sleep: async (ms) => {
      clock.now += ms;
    },
    nowMs: () => clock.now,
  });
  return { slots, calls, clock, store };
}

describe('SendSlots: free tokens held for a busy number', () => {
  it('asks for a block as large as the recent sends, hands out what it holds without a statement until the hold ends, and takes back an unused token while it is good', async () => {
    const { slots, calls, clock } = watchedSlots();
    const pnid = newNumber();
    const first = await slots.take(pnid);
    const second = await slots.take(pnid);
    const third = await slots.take(pnid);
    // One ask, then two: the third send used the second block's spare token.
    expect(calls).toEqual(['tryTake 1', 'tryTake 2']);
    expect([first, second, third].every((token) => token?.untilMs === 100)).toBe(true);
    expect(second).toBeDefined();
    slots.giveBack(second!);
    expect(await slots.take(pnid)).toEqual({ phoneNumberId: pnid, untilMs: 100 });
    expect(calls).toHaveLength(2);
    // Past the hold nothing held is good: the next send asks the store again.
    const late = await slots.take(pnid);
    clock.now = 101;
    slots.giveBack(late!);
    expect(await slots.take(pnid)).toBeDefined();
    expect(calls).toHaveLength(4);
  });

  it('asks for a block for a wait too when nothing is held, and reserves a place only when none is free, asking no block again for a hold', async () => {
    const { slots, calls, clock, store } = watchedSlots();
    const pnid = newNumber();
    // A reply and the read receipt it carries, three times: the second block serves the rest.
    for (let i = 0; i < 3; i += 1) {
      expect(await slots.take(pnid)).toBeDefined();
      await slots.wait(pnid);
    }
    expect(calls).toEqual(['tryTake 1', 'tryTake 2', 'tryTake 4']);
    // The number's free tokens spent and half a second lent (by another replica, say), so none
    // comes free while the test runs: a wait finds none and queues.
    expect(await store.tryTake(pnid, 1_000)).toBeGreaterThan(50);
    await Promise.all(Array.from({ length: 50 }, () => store.reserve(pnid)));
    clock.now = 200;
    await slots.wait(pnid);
    clock.now = 200;
    await slots.wait(pnid);
    expect(calls.slice(3)).toEqual(['tryTake 1', 'reserve', 'reserve']);
    // A hold later it asks for a block again.
    clock.now = 301;
    await slots.wait(pnid);
    expect(calls.slice(6)).toEqual(['tryTake 1', 'reserve']);
  });
});

describe('SendSlots: waiting for a place', () => {
  it('sleeps until the place has really come though timers fire early, shows the waiting sends, and logs a waiting number once', async () => {
    const registry = createMetrics('send-slots-test');
    const metrics = senderMetrics(registry, { outboxActive: async () => 0, deadLetters: async () => 0 });
    const lines: string[] = [];
    let clock = 0;
    const sleeps: number[] = [];
    let bothAsleep = () => {};
    const asleep = new Promise<void>((resolve) => {
      bothAsleep = resolve;
    });
    let waitingWhileAsleep = '';
    const slots = new SendSlots({
      // Two sends an hour, one at once: the next two wait about half an hour and an hour.
      limits: new RateLimitStore(pool(), { perSecond: 2 / 3_600, burst: 1 }),
      rate: { perSecond: 2 / 3_600, burst: 1 },
      metrics,
      logger: createLogger('send-slots-test', 'info', { write: (line: string) => void lines.push(line) }),
      // A timer that fires 40% early, as one set late in a busy tick does.
      sleep: async (ms) => {
        sleeps.push(ms);
        // The first two sleeps (one per send) start before either ends.
        if (sleeps.length === 2) bothAsleep();
        await asleep;
        waitingWhileAsleep ||= await registry.getSingleMetricAsString('sender_rate_limit_waiting');
        clock += Math.max(1, Math.floor(ms * 0.6));
      },
      nowMs: () => clock,
    });
    const pnid = newNumber();
    await slots.wait(pnid);
    expect(sleeps).toEqual([]);
    await Promise.all([slots.wait(pnid), slots.wait(pnid)]);
    const longest = Math.max(...sleeps);
    expect(longest).toBeGreaterThan(HOUR_MS - 60_000);
    // Slept again after each early timer until the clock passed the place.
    expect(sleeps.length).toBeGreaterThan(2);
    expect(clock).toBeGreaterThanOrEqual(longest);
    expect(waitingWhileAsleep).toMatch(/sender_rate_limit_waiting\{[^}]*\} 2$/m);
    expect(await registry.getSingleMetricAsString('sender_rate_limit_waiting')).toMatch(/\} 0$/m);
    expect(await registry.getSingleMetricAsString('sender_rate_limit_wait_seconds')).toMatch(
      /sender_rate_limit_wait_seconds_count\{[^}]*\} 2$/m,
    );
    // Both started waiting within ten seconds: one line for the number.
    expect(lines.filter((l) => l.includes("sends wait for the number's shared rate limit"))).toHaveLength(1);
  });
});

describe('SendSlots when Postgres does not answer', () => {
  it('refuses to let a send go (wait rejects), finds no free token, and counts the failures', async () => {
    // Nothing listens on port 1: every statement fails to connect.
    const db = createDatabase<SenderDb>({
      url: 'postgres://postgres@127.0.0.1:1/nowhere',
      applicationName: 'rate-limit-test',
      maxConnections: 1,
    });
    const registry = createMetrics('rate-limit-test');
    const metrics = senderMetrics(registry, { outboxActive: async () => 0, deadLetters: async () => 0 });
    let slept = 0;
    const slots = new SendSlots({
      limits: new RateLimitStore(db, { perSecond: 80, burst: 80 }),
      rate: { perSecond: 80, burst: 80 },
      metrics,
      logger: createLogger('rate-limit-test', 'silent'),
      sleep: async () => {
        slept += 1;
      },
      nowMs: () => 0,
    });
    try {
      await expect(slots.wait('pnid')).rejects.toBeInstanceOf(RateLimitUnavailable);
      expect(await slots.take('pnid')).toBeUndefined();
      expect(slept).toBe(0);
      expect(await registry.metrics()).toMatch(/sender_rate_limit_errors_total\{[^}]*\} 2/);
    } finally {
      await db.destroy();
    }
  });
});
