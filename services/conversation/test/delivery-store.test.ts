import { createDatabase, migrateSchema } from '@reserveit/db';
import { type TestDatabase, useDatabase } from '@reserveit/testkit';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConversationStore } from '../src/conversation-store.js';
import { type ConversationDb, migrations, SCHEMA } from '../src/database.js';
import type { DeliveryStatus, DeliveryUpdate } from '../src/delivery-status.js';
import { recordDeliveries } from '../src/delivery-store.js';

const RANK: Record<DeliveryStatus, number> = { pending: 0, sent: 10, failed: 15, delivered: 20, read: 30 };
const update = (
  status: DeliveryStatus,
  ids: { messageId?: string; wamid?: string },
  error: string | null = null,
): DeliveryUpdate => ({ messageId: ids.messageId, wamid: ids.wamid, status, rank: RANK[status], error });

function permutations<T>(items: T[]): T[][] {
  if (items.length <= 1) return [items];
  return items.flatMap((item, i) =>
    permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]),
  );
}

describe('delivery ticks in Postgres', () => {
  let database: TestDatabase;
  let db: ReturnType<typeof createDatabase<ConversationDb>>;
  let store: ConversationStore;

  beforeAll(async () => {
    database = await useDatabase();
    db = createDatabase<ConversationDb>({ url: database.url, applicationName: 'delivery-store-test' });
    await migrateSchema(db as unknown as Kysely<unknown>, SCHEMA, migrations);
    store = new ConversationStore(db);
  });
  afterAll(async () => {
    await db?.destroy();
    await database?.drop();
  });

  /** A conversation of one assistant reply per key, as the history holds it. */
  async function replies(conversationId: string, keys: string[]) {
    await db
      .insertInto('conversation.messages')
      .values(
        keys.map((id) => ({
          conversation_id: conversationId,
          id,
          direction: 'out' as const,
          kind: 'text',
          text: `reply ${id}`,
          intent: null,
          at: new Date(),
          author: 'bot',
        })),
      )
      .execute();
  }
  const shown = async (conversationId: string) =>
    Object.fromEntries((await store.history(conversationId, 100)).map((m) => [m.id, m.delivery]));

  it('ends at the furthest status whatever order the outcome and the statuses (by key or by wamid alone) come in', async () => {
    const orders = permutations(['outcome', 'delivered', 'read'] as const);
    const keys = orders.map((_, n) => `c_order:w:${n}`);
    await replies('c_order', keys);
    for (const [n, order] of orders.entries()) {
      const key = keys[n] ?? '';
      const wamid = `wamid.order.${n}`;
      const updates = {
        outcome: update('sent', { messageId: key, wamid }),
        delivered: update('delivered', { messageId: key, wamid }),
        // Known by Meta's id only: found once the outcome or a keyed status told the wamid.
        read: update('read', { wamid }),
      };
      for (const step of order) {
        await recordDeliveries(db, [updates[step]]);
        await recordDeliveries(db, [updates[step]]);
      }
    }
    expect(Object.values(await shown('c_order'))).toEqual(
      orders.map(() => ({ status: 'read', error: null })),
    );
  });

  it('ends at the same ticks when every order of the updates, repeats and all, comes in one batch', async () => {
    const orders = permutations(['outcome', 'failed', 'delivered', 'read'] as const);
    const keys = orders.map((_, n) => `c_batch:w:${n}`);
    await replies('c_batch', keys);
    const all = orders.flatMap((order, n) => {
      const key = keys[n] ?? '';
      const wamid = `wamid.batch.${n}`;
      const updates = {
        outcome: update('sent', { messageId: key, wamid }),
        failed: update('failed', { messageId: key }, '131026: Message undeliverable'),
        delivered: update('delivered', { messageId: key }),
        read: update('read', { wamid }),
      };
      return order.flatMap((step) => [updates[step], updates[step]]);
    });
    await recordDeliveries(db, all);
    expect(Object.values(await shown('c_batch'))).toEqual(
      orders.map(() => ({ status: 'read', error: null })),
    );
  });

  it('lets failed replace only pending and sent, and a later delivery replace failed', async () => {
    await replies('c_failed', ['k:1', 'k:2', 'k:3', 'k:4']);
    const failed = (key: string) => update('failed', { messageId: key }, '131026: Message undeliverable');
    await recordDeliveries(db, [failed('k:1')]);
    await recordDeliveries(db, [update('sent', { messageId: 'k:1', wamid: 'wamid.k1' })]);
    await recordDeliveries(db, [update('sent', { messageId: 'k:2', wamid: 'wamid.k2' })]);
    await recordDeliveries(db, [failed('k:2')]);
    await recordDeliveries(db, [update('delivered', { messageId: 'k:3', wamid: 'wamid.k3' })]);
    await recordDeliveries(db, [failed('k:3')]);
    await recordDeliveries(db, [failed('k:4')]);
    await recordDeliveries(db, [update('read', { messageId: 'k:4', wamid: 'wamid.k4' })]);
    expect(await shown('c_failed')).toEqual({
      'k:1': { status: 'failed', error: '131026: Message undeliverable' },
      'k:2': { status: 'failed', error: '131026: Message undeliverable' },
      'k:3': { status: 'delivered', error: null },
      'k:4': { status: 'read', error: null },
    });
  });

  it('shows a reply nothing was heard of yet as pending, and guest messages without a status', async () => {
    await replies('c_quiet', ['q:1']);
    await db
      .insertInto('conversation.messages')
      .values({
        conversation_id: 'c_quiet',
        id: 'wamid.guest',
        direction: 'in',
        kind: 'text',
        text: 'hello',
        intent: null,
        at: new Date(),
        author: 'guest',
      })
      .execute();
    // Guest messages have no ticks, even when a status names their wamid.
    await recordDeliveries(db, [update('read', { wamid: 'wamid.guest' })]);
    expect(await shown('c_quiet')).toEqual({
      'q:1': { status: 'pending', error: null },
      'wamid.guest': undefined,
    });
  });
});
