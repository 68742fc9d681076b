import type { Kysely } from 'kysely';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { OutboxAdminStore } from '../src/outbox/outbox-admin-store.js';
import type { OutboxStore } from '../src/outbox/outbox-store.js';
import { StatusStore } from '../src/outbox/status-store.js';
import type { SenderDb } from '../src/outbox/tables.js';
import { newGuest, type OutboxUnderTest, outboxUnderTest, replyFor } from './outbox-under-test.js';

const OWNER = 'outbox-reset-test';
const LEASE = { owner: OWNER, ms: 60_000 };
const exhausted = { type: 'failed', code: 131000, reason: 'Something went wrong', exhausted: true } as const;
const sent = (wamid: string) => ({ type: 'sent', wamid }) as const;

describe("resetting a failed outbox row in its guest's queue", () => {
  let outbox: OutboxUnderTest;
  let db: Kysely<SenderDb>;
  let store: OutboxStore;
  let admin: OutboxAdminStore;
  let guest: string;

  /** Claims what is due, one key at a time, finishing each as sent: the order the guest gets them. */
  async function sendAll(): Promise<string[]> {
    const order: string[] = [];
    for (;;) {
      const claimed = await store.claimDue(OWNER, new Date(), 60_000, 8);
      if (claimed.length === 0) return order;
      // One guest: never two of its replies at once.
      expect(claimed).toHaveLength(1);
      const key = claimed[0]!.key;
      order.push(key);
      const outcome = await store.finish(key, OWNER, sent(`wamid.${key}`), new Date());
      if (outcome.owed) await store.handOver();
    }
  }

  /** The guest's first reply fails for good while two more wait behind it, which then head the queue. */
  async function failedWithTwoBehind() {
    const first = await store.insert(replyFor(guest), new Date(), LEASE);
    const second = await store.insert(replyFor(guest), new Date(), LEASE);
    const third = await store.insert(replyFor(guest), new Date(), LEASE);
    const failed = await store.finish(first!.key, OWNER, exhausted, new Date());
    expect(failed.final).toMatchObject({ state: 'failed', exhausted: true });
    return { first: first!.key, second: second!.key, third: third!.key };
  }

  const rowsOf = (keys: string[]) =>
    db
      .selectFrom('sender.outbox')
      .select(['key', 'state', 'attempts', 'exhausted', 'published', 'head', 'followed', 'lease_owner'])
      .where('key', 'in', keys)
      .orderBy('stream_seq')
      .execute();

  beforeAll(async () => {
    outbox = await outboxUnderTest('outbox-reset-test');
    ({ db, store } = outbox);
    admin = new OutboxAdminStore(db);
  });
  afterAll(async () => {
    await outbox?.close();
  });
  beforeEach(() => {
    guest = newGuest();
  });
  afterEach(async () => {
    await db.deleteFrom('sender.outbox').execute();
  });

  it('makes the failed reply the head again, with the replies recorded after it queued behind it, and the guest gets them in stream order', async () => {
    const { first, second, third } = await failedWithTwoBehind();
    expect(await rowsOf([second])).toMatchObject([{ head: true }]);

    expect(await admin.resetFailed(first, new Date())).toEqual({ key: first, result: 'reset' });
    expect(await rowsOf([first, second, third])).toEqual([
      {
        key: first,
        state: 'pending',
        attempts: 0,
        exhausted: false,
        published: false,
        head: true,
        followed: true,
        lease_owner: null,
      },
      expect.objectContaining({ key: second, state: 'pending', head: false }),
      expect.objectContaining({ key: third, state: 'pending', head: false }),
    ]);
    expect(await sendAll()).toEqual([first, second, third]);
  });

  it("refuses while another reply of the guest is being sent, and resets once it is done, before the guest's next", async () => {
    const { first, second, third } = await failedWithTwoBehind();
    const [claimed] = await store.claimDue(OWNER, new Date(), 60_000, 8);
    expect(claimed?.key).toBe(second);

    expect(await admin.resetFailed(first, new Date())).toEqual({
      key: first,
      result: 'busy',
      inFlight: second,
    });
    expect(await rowsOf([first])).toMatchObject([{ state: 'failed', exhausted: true }]);

    // Recorded `sending` (a crash here leaves it so, for reconciliation): still in flight.
    await store.markSending(second, OWNER, 1, new Date(), 60_000, new Date(Date.now() + 60_000));
    expect(await admin.resetFailed(first, new Date())).toMatchObject({ result: 'busy', inFlight: second });

    await store.finish(second, OWNER, sent('wamid.second'), new Date());
    expect(await admin.resetFailed(first, new Date())).toEqual({ key: first, result: 'reset' });
    expect(await sendAll()).toEqual([first, third]);
  });

  it('queues a reply recorded after the reset behind the reset one', async () => {
    const only = await store.insert(replyFor(guest), new Date(), LEASE);
    await store.finish(only!.key, OWNER, exhausted, new Date());
    expect(await admin.resetFailed(only!.key, new Date())).toEqual({ key: only!.key, result: 'reset' });
    expect(await rowsOf([only!.key])).toMatchObject([{ head: true, followed: false }]);

    const next = await store.insert(replyFor(guest), new Date(), LEASE);
    expect(next).toMatchObject({ head: false, lease_owner: null });
    expect(await sendAll()).toEqual([only!.key, next!.key]);
  });

  it('refuses to reset a failed row a status webhook names: one of its attempts reached Meta', async () => {
    const row = await store.insert(replyFor(guest), new Date(), LEASE);
    await store.finish(row!.key, OWNER, exhausted, new Date());
    await new StatusStore(db).recordStatus(
      {
        wamid: 'wamid.late',
        callbackKey: row!.key,
        status: 'delivered',
        rank: 2,
        statusAt: new Date(),
        errorCode: undefined,
      },
      new Date(),
    );
    expect(await admin.resetFailed(row!.key, new Date())).toEqual({
      key: row!.key,
      result: 'reached-meta',
      status: 'delivered',
    });
    expect(await rowsOf([row!.key])).toMatchObject([{ state: 'failed' }]);
  });

  it('changes nothing for a key without a row or a row that is not failed', async () => {
    const row = await store.insert(replyFor(guest), new Date(), LEASE);
    await store.finish(row!.key, OWNER, sent('wamid.done'), new Date());

    expect(await admin.resetFailed('no-such-key', new Date())).toEqual({
      key: 'no-such-key',
      result: 'no-row',
    });
    expect(await admin.resetFailed(row!.key, new Date())).toEqual({
      key: row!.key,
      result: 'not-failed',
      state: 'sent',
    });
    expect(await rowsOf([row!.key])).toMatchObject([{ state: 'sent' }]);
    expect(await admin.states([row!.key, 'no-such-key'])).toEqual(new Map([[row!.key, 'sent']]));
  });
});
