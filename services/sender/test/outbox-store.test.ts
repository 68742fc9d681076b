import { createDatabase, migrateSchema } from '@reserveit/db';
import { genericPlans, seqScansOn, type TestDatabase, useDatabase } from '@reserveit/testkit';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { senderMigrations } from '../src/outbox/migrations.js';
import { type NewCommand, OutboxStore } from '../src/outbox/outbox-store.js';
import { OutcomeMarks } from '../src/outbox/outcome-marks.js';
import { StatusStore } from '../src/outbox/status-store.js';
import { SENDER_SCHEMA, type SenderDb } from '../src/outbox/tables.js';
import { commandFor } from './outbox-under-test.js';

const NOW = new Date('2026-11-23T10:00:00.000Z');
const LATER = new Date('2026-11-23T10:05:00.000Z');
const OWNER = 'sender-test';

/** `k<n>` is the n-th command on OUTBOUND. */
const commandOf = (key: string, recipient: string, kind = 'text'): NewCommand =>
  commandFor(key, recipient, Number(key.replace(/\D/g, '')), kind);

describe('OutboxStore: commands recorded and rounds ended together, one statement per batch', () => {
  let database: TestDatabase;
  let db: ReturnType<typeof createDatabase<SenderDb>>;
  let store: OutboxStore;

  beforeAll(async () => {
    database = await useDatabase();
    // One connection: the last test reads the plans of the statements prepared on it.
    db = createDatabase<SenderDb>({
      url: database.url,
      applicationName: 'outbox-store-test',
      maxConnections: 1,
    });
    await migrateSchema(db as never, SENDER_SCHEMA, senderMigrations);
    store = new OutboxStore(db);
  });
  afterAll(async () => {
    await db?.destroy();
    await database?.drop();
  });

  it('leases each new row unless its guest has an older one, and records it sending when asked', async () => {
    const lease = { owner: OWNER, ms: 300_000 };
    const sending = { ...lease, sending: { recheckAt: LATER } };
    // Concurrent calls: the first goes alone, the other four in one statement.
    const [a1, b1, b2, c1, dup] = await Promise.all([
      store.insert(commandOf('k1', 'guest-a'), NOW, sending),
      store.insert(commandOf('k2', 'guest-b'), NOW, lease),
      store.insert(commandOf('k3', 'guest-c', 'read'), NOW, undefined),
      store.insert(commandOf('k4', 'guest-d'), NOW, sending),
      store.insert(commandOf('k1', 'guest-a'), NOW, lease),
    ]);
    expect(a1).toMatchObject({ key: 'k1', state: 'sending', attempts: 1, lease_owner: OWNER });
    expect(a1?.next_attempt_at).toEqual(LATER);
    expect(b1).toMatchObject({ key: 'k2', state: 'pending', attempts: 0, lease_owner: OWNER });
    expect(b2).toMatchObject({ key: 'k3', state: 'pending', lease_owner: null });
    expect(c1).toMatchObject({ key: 'k4', state: 'sending', attempts: 1 });
    expect(dup).toBeUndefined();

    // The same command twice in one batch (a redelivery while the first waits): one row, given once.
    const [, once, again] = await Promise.all([
      store.insert(commandOf('k8', 'guest-f'), NOW, lease),
      store.insert(commandOf('k7', 'guest-e'), NOW, lease),
      store.insert(commandOf('k7', 'guest-e'), NOW, lease),
    ]);
    expect(once).toMatchObject({ key: 'k7', lease_owner: OWNER });
    expect(again).toBeUndefined();

    // Guest a has k1 unfinished: a second reply waits (no lease); a read receipt never does.
    const [a2, aRead] = await Promise.all([
      store.insert(commandOf('k5', 'guest-a'), NOW, sending),
      store.insert(commandOf('k6', 'guest-a', 'read'), NOW, sending),
    ]);
    expect(a2).toMatchObject({ state: 'pending', attempts: 0, lease_owner: null, lease_until: null });
    expect(aRead).toMatchObject({ state: 'sending', lease_owner: OWNER });
  });

  it('ends each round with its own columns when several end in one statement', async () => {
    const at = new Date('2026-11-23T10:01:00.000Z');
    const retryAt = new Date('2026-11-23T10:02:00.000Z');
    const [read, reply, retried, failed, notOurs] = await Promise.all([
      store.finish('k6', OWNER, { type: 'sent', wamid: 'wamid.read' }, at),
      store.finish('k1', OWNER, { type: 'sent', wamid: 'wamid.k1' }, at),
      store.finish('k2', OWNER, { type: 'retry', at: retryAt, code: 130429, reason: 'rate limit' }, at),
      store.finish(
        'k4',
        OWNER,
        { type: 'failed', code: 131047, reason: 'outside the window', exhausted: false },
        at,
      ),
    ]).then(async (outcomes) => [
      ...outcomes,
      await store.finish('k3', 'someone-else', { type: 'wait', until: retryAt }, at),
    ]);
    expect(read?.final).toMatchObject({ key: 'k6', state: 'sent', wamid: 'wamid.read', lease_owner: null });
    // k1 was holding back guest a's k5.
    expect(reply).toMatchObject({
      final: { key: 'k1', state: 'sent', wamid: 'wamid.k1' },
      guestWaiting: true,
    });
    expect(retried).toEqual({ final: undefined, guestWaiting: false, owed: false });
    expect(failed?.final).toMatchObject({
      key: 'k4',
      state: 'failed',
      last_error_code: 131047,
      exhausted: false,
    });
    expect(await store.get('k2')).toMatchObject({
      state: 'pending',
      next_attempt_at: retryAt,
      last_error_code: 130429,
      last_error: 'rate limit',
      lease_owner: null,
      wamid: null,
      finished_at: null,
    });
    // Not our lease: nothing changed.
    expect(notOurs).toEqual({ final: undefined, guestWaiting: false, owed: false });
    expect(await store.get('k3')).toMatchObject({ state: 'pending', next_attempt_at: NOW });
  });

  it('prepares no statement whose generic plan reads a growing table from end to end', async () => {
    const at = new Date('2026-11-23T10:03:00.000Z');
    await store.claimDue(OWNER, LATER, 60_000, 8);
    await store.markSending('k5', OWNER, 1, at, 60_000, LATER);
    await new StatusStore(db).recordStatus(
      { wamid: 'wamid.k9', callbackKey: 'k9', status: 'sent', rank: 1, statusAt: at, errorCode: undefined },
      at,
    );
    await store.confirmedWamid('k9');
    await store.confirmByStatus('k9', 'wamid.k9', at);
    await new StatusStore(db).deliveryStatus('k1');
    await new StatusStore(db).statusOf('wamid.k1');
    const marks = new OutcomeMarks(db);
    await marks.unpublished(16);
    marks.notePublished('k1');
    await marks.flushPublished();
    await store.countActive();
    const plans = await genericPlans(db as unknown as Kysely<unknown>);
    expect(plans.length).toBeGreaterThan(10);
    expect(seqScansOn(plans, ['outbox', 'statuses'])).toEqual([]);
  });
});
