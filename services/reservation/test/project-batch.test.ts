import {
  parseReservationEvent,
  type ReservationStreamEvent,
  RESERVATION_EVENT_TYPES as T,
} from '@reserveit/contracts';
import { applyBatchOnce, createDatabase, migrateSchema } from '@reserveit/db';
import { type TestDatabase, useDatabase } from '@reserveit/testkit';
import { type Kysely, sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { projectionMigrations } from '../src/projection/migrations.js';
import { projectEvent } from '../src/projection/project-event.js';
import { applyMessages, PROJECTOR } from '../src/projection/projector.js';
import { PROJECTION_SCHEMA, type ProjectionDb } from '../src/projection/tables.js';
import { businessFixture } from './fixtures.js';

type Message = Parameters<typeof applyMessages>[1][number];
/** An event without what `stream()` makes up for it (Omit over each member of the union). */
type Body = ReservationStreamEvent extends infer E
  ? E extends unknown
    ? Omit<E, 'v' | 'id' | 'at'>
    : never
  : never;

const opened: { database: TestDatabase; db: Kysely<ProjectionDb> }[] = [];

/** A fresh database with the projection's schema. */
async function projection(): Promise<Kysely<ProjectionDb>> {
  const database = await useDatabase();
  const db = createDatabase<ProjectionDb>({ url: database.url, applicationName: 'project-batch-test' });
  opened.push({ database, db });
  await migrateSchema(db as unknown as Kysely<unknown>, PROJECTION_SCHEMA, projectionMigrations);
  return db;
}

afterAll(async () => {
  for (const { database, db } of opened) {
    await db.destroy();
    await database.drop();
  }
});

/** The reference: projectEvent, one statement per event, as applyMessages did before projectBatch. */
async function applyOneByOne(db: Kysely<ProjectionDb>, messages: readonly Message[]): Promise<void> {
  const entries = messages.map((message) => {
    const parsed = parseReservationEvent(message.json());
    if (!parsed.ok) throw new Error(parsed.reason);
    return { event: parsed.event, eventId: parsed.event.id, streamSeq: message.seq };
  });
  await applyBatchOnce(db, { schema: PROJECTION_SCHEMA, consumer: PROJECTOR }, entries, (trx, entry) =>
    projectEvent(trx, entry.event, entry.streamSeq),
  );
}

/** Every row of every projection table (inbox without its applied_at clock), in key order. */
async function everyRow(db: Kysely<ProjectionDb>) {
  const all = (table: string, order: string) =>
    sql<Record<string, unknown>>`select * from ${sql.table(table)} order by ${sql.raw(order)}`
      .execute(db)
      .then((result) => result.rows);
  return {
    businesses: await all('reservation.businesses', 'id'),
    menu: await all('reservation.menu_items', 'business_id, item_id'),
    reservations: await all('reservation.reservations', 'id'),
    inbox: (await all('reservation.inbox', 'consumer, event_id')).map(({ applied_at: _, ...row }) => row),
  };
}

const fixture = businessFixture({ id: 'batch-bistro' });
const BUSINESS = fixture.businessId;

/** Events with made-up ids, instants and stream sequences; `seq` may be set to send one out of order. */
function stream() {
  let n = 0;
  const message = (event: Body, seq?: number): Message => {
    n++;
    const full = {
      v: 1,
      id: `ev-${n}`,
      at: new Date(Date.UTC(2026, 2, 1, 8, 0, n)).toISOString(),
      ...event,
    } as ReservationStreamEvent;
    return { seq: seq ?? n, subject: `test.${full.type}`, json: <T>() => full as T };
  };
  const booking = (id: string, serviceDate: string, partySize = 2) => ({
    reservationId: id,
    businessId: BUSINESS,
    serviceDate,
    guestWaId: `97150${id.length}`,
    guestName: `Guest ${id}`,
    partySize,
    startsAt: `${serviceDate}T15:00:00.000Z`,
    endsAt: `${serviceDate}T16:30:00.000Z`,
    status: 'confirmed' as const,
    notes: `notes ${id}`,
    source: 'whatsapp' as const,
    idempotencyKey: `key-${id}-${n}`,
  });
  return {
    registered: () =>
      message({
        type: T.businessRegistered,
        businessId: BUSINESS,
        profile: fixture.profile,
        hours: fixture.hours,
      }),
    hours: () =>
      message({
        type: T.businessHoursSet,
        businessId: BUSINESS,
        hours: { ...fixture.hours, closedDates: ['2026-03-20'] },
      }),
    menuItem: (itemId: string, priceMinor: number) =>
      message({
        type: T.menuItemSet,
        businessId: BUSINESS,
        item: {
          itemId,
          category: 'Mains',
          name: `Dish ${itemId}`,
          description: '',
          priceMinor,
          currency: 'AED',
          dietaryTags: [],
          available: true,
          position: 0,
        },
      }),
    menuItemRemoved: (itemId: string) => message({ type: T.menuItemRemoved, businessId: BUSINESS, itemId }),
    created: (
      id: string,
      serviceDate: string,
      options: { partySize?: number; movedFrom?: string; seq?: number } = {},
    ) =>
      message(
        {
          type: T.reservationCreated,
          booking: booking(id, serviceDate, options.partySize),
          ...(options.movedFrom ? { movedFrom: options.movedFrom } : {}),
        },
        options.seq,
      ),
    modified: (id: string, serviceDate: string, partySize: number, seq?: number) =>
      message(
        {
          type: T.reservationModified,
          reservationId: id,
          businessId: BUSINESS,
          serviceDate,
          partySize,
          startsAt: `${serviceDate}T18:${String(partySize).padStart(2, '0')}:00.000Z`,
          endsAt: `${serviceDate}T19:30:00.000Z`,
        },
        seq,
      ),
    movedOut: (id: string, serviceDate: string, movedTo: string) =>
      message({ type: T.reservationMovedOut, reservationId: id, businessId: BUSINESS, serviceDate, movedTo }),
    status: (
      id: string,
      serviceDate: string,
      type: typeof T.reservationSeated | typeof T.reservationFinished | typeof T.reservationNoShow,
      seq?: number,
    ) => message({ type, reservationId: id, businessId: BUSINESS, serviceDate, by: 'Omar' }, seq),
    feedback: (id: string, serviceDate: string, given: { rating?: number; comment?: string }) =>
      message({
        type: T.reservationFeedbackGiven,
        reservationId: id,
        businessId: BUSINESS,
        serviceDate,
        ...given,
      }),
    renamed: (id: string, serviceDate: string, guestName: string, notes: string) =>
      message({
        type: T.reservationModified,
        reservationId: id,
        businessId: BUSINESS,
        serviceDate,
        partySize: 2,
        startsAt: `${serviceDate}T15:00:00.000Z`,
        endsAt: `${serviceDate}T16:30:00.000Z`,
        guestName,
        notes,
      }),
    settings: (name: string) =>
      message({
        type: T.businessSettingsSet,
        businessId: BUSINESS,
        name,
        templates: [{ name: 'table_ready', language: 'en', bodyParameters: 1, category: 'UTILITY' }],
        bookingFlowId: '998877',
      }),
    cancelled: (id: string, serviceDate: string, seq?: number) =>
      message(
        {
          type: T.reservationCancelled,
          reservationId: id,
          businessId: BUSINESS,
          serviceDate,
          reason: 'test',
        },
        seq,
      ),
  };
}

/** Applies the same batches both ways into two databases and expects every row to match. */
async function expectSameRows(batches: readonly (readonly Message[])[]) {
  const [reference, batched] = [await projection(), await projection()];
  for (const batch of batches) {
    await applyOneByOne(reference, batch);
    await applyMessages(batched, batch);
  }
  const expected = await everyRow(reference);
  expect(await everyRow(batched)).toEqual(expected);
  return expected;
}

describe('projectBatch', () => {
  it('leaves every row as projectEvent applied one event at a time leaves it, over a mixed batch', async () => {
    const s = stream();
    const earlier = [
      s.registered(),
      s.menuItem('soup', 2_000),
      s.menuItem('fish', 6_000),
      s.created('r-a', '2026-03-10'),
      s.created('r-b', '2026-03-11', { partySize: 4 }),
      s.created('r-c', '2026-03-12'),
      s.created('r-old', '2026-03-13'),
      s.modified('r-a', '2026-03-10', 3),
    ];
    const repeat = s.modified('r-b', '2026-03-11', 5);
    const mixed = [
      s.hours(),
      s.menuItem('soup', 2_500),
      s.menuItemRemoved('fish'),
      // Created, changed twice, then a cancel for the wrong date (a no-op), all in this batch.
      s.created('r-d', '2026-03-14'),
      s.modified('r-d', '2026-03-14', 6),
      s.modified('r-d', '2026-03-14', 7),
      s.cancelled('r-d', '2026-03-15'),
      // Rows of the earlier batch: modified, repeated, cancelled.
      repeat,
      repeat,
      s.modified('r-a', '2026-03-10', 2),
      s.cancelled('r-a', '2026-03-10'),
      // A date change: created on the new date first, then moved out of the old one; a late cancel
      // for the old date must not touch it, a modify and a cancel for the new date do.
      s.created('r-c', '2026-03-16', { movedFrom: '2026-03-12' }),
      s.movedOut('r-c', '2026-03-12', '2026-03-16'),
      s.cancelled('r-c', '2026-03-12'),
      s.modified('r-c', '2026-03-16', 8),
      // Created, cancelled, and created again (moved in) in one batch: created_at stays the first one.
      s.created('r-e', '2026-03-17'),
      s.cancelled('r-e', '2026-03-17'),
      s.created('r-e', '2026-03-18', { movedFrom: '2026-03-17' }),
      s.movedOut('r-e', '2026-03-17', '2026-03-18'),
      // Events older than the row (lower stream sequence): the version guard keeps the row.
      s.modified('r-old', '2026-03-13', 1, 2),
      s.created('r-old', '2026-03-19', { seq: 3 }),
      s.cancelled('r-old', '2026-03-13', 4),
      // Events for a reservation nobody created: nothing happens.
      s.modified('r-ghost', '2026-03-13', 2),
      s.cancelled('r-ghost', '2026-03-13'),
    ];
    const redelivered = [mixed[3], mixed[8], s.cancelled('r-b', '2026-03-11')].filter((m) => m !== undefined);
    const rows = await expectSameRows([earlier, mixed, redelivered]);

    const byId = new Map(rows.reservations.map((row) => [row.id, row]));
    expect([...byId.keys()]).toEqual(['r-a', 'r-b', 'r-c', 'r-d', 'r-e', 'r-old']);
    expect(byId.get('r-a')).toMatchObject({ status: 'cancelled', party_size: 2 });
    expect(byId.get('r-b')).toMatchObject({ status: 'cancelled', party_size: 5 });
    expect(byId.get('r-c')).toMatchObject({ status: 'confirmed', service_date: '2026-03-16', party_size: 8 });
    expect(byId.get('r-d')).toMatchObject({ status: 'confirmed', party_size: 7 });
    expect(byId.get('r-e')).toMatchObject({ status: 'confirmed', service_date: '2026-03-18' });
    expect(byId.get('r-old')).toMatchObject({
      status: 'confirmed',
      service_date: '2026-03-13',
      party_size: 2,
    });
    expect(rows.menu.map((row) => [row.item_id, row.price_minor])).toEqual([['soup', '2500']]);
  });

  it('leaves every row as projectEvent does with the host stand: statuses, finish times, names, notes and settings', async () => {
    const s = stream();
    const earlier = [
      s.registered(),
      s.created('r-a', '2026-03-10'),
      s.created('r-b', '2026-03-10'),
      s.created('r-c', '2026-03-11'),
    ];
    const mixed = [
      s.settings('Chez Batch'),
      s.status('r-a', '2026-03-10', T.reservationSeated),
      s.status('r-a', '2026-03-10', T.reservationFinished),
      s.renamed('r-a', '2026-03-10', 'Layla Haddad', ''),
      // A no-show, then the late party seated; a status for another date changes nothing.
      s.status('r-b', '2026-03-10', T.reservationNoShow),
      s.status('r-b', '2026-03-10', T.reservationSeated),
      s.status('r-b', '2026-03-12', T.reservationFinished),
      // Created and seated in one batch; a late status (older sequence) is kept out by the guard.
      s.created('r-d', '2026-03-11'),
      s.status('r-d', '2026-03-11', T.reservationSeated),
      s.status('r-c', '2026-03-11', T.reservationNoShow, 2),
    ];
    const rows = await expectSameRows([earlier, mixed]);
    const byId = new Map(rows.reservations.map((row) => [row.id, row]));
    expect(byId.get('r-a')).toMatchObject({ status: 'finished', guest_name: 'Layla Haddad', notes: '' });
    expect(byId.get('r-a')?.finished_at).toBeInstanceOf(Date);
    expect(byId.get('r-b')).toMatchObject({ status: 'seated', finished_at: null });
    expect(byId.get('r-c')).toMatchObject({ status: 'confirmed' });
    expect(byId.get('r-d')).toMatchObject({ status: 'seated' });
    expect(rows.businesses[0]).toMatchObject({
      name: 'Chez Batch',
      templates: [{ name: 'table_ready' }],
      booking_flow_id: '998877',
    });
  });

  it("leaves every row as projectEvent does with the guests' feedback: a rating, then its comment", async () => {
    const s = stream();
    const earlier = [s.registered(), s.created('r-a', '2026-03-10'), s.created('r-b', '2026-03-10')];
    const mixed = [
      s.status('r-a', '2026-03-10', T.reservationSeated),
      s.feedback('r-a', '2026-03-10', { rating: 2 }),
      s.feedback('r-a', '2026-03-10', { comment: 'A long wait' }),
      s.status('r-b', '2026-03-10', T.reservationSeated),
      s.feedback('r-b', '2026-03-10', { rating: 5, comment: 'Perfect' }),
    ];
    const rows = await expectSameRows([earlier, mixed]);
    const byId = new Map(rows.reservations.map((row) => [row.id, row]));
    expect(byId.get('r-a')).toMatchObject({ rating: 2, feedback_comment: 'A long wait' });
    expect(byId.get('r-b')).toMatchObject({ rating: 5, feedback_comment: 'Perfect' });
  });

  it('leaves every row as projectEvent does over 2,000 random events in uneven batches, with repeats and late events', async () => {
    let seed = 7;
    const rnd = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed / 2_147_483_648;
    };
    const s = stream();
    const dates = ['2026-04-01', '2026-04-02', '2026-04-03'];
    const pick = <V>(values: readonly V[]): V => values[Math.floor(rnd() * values.length)] as V;
    const ids = Array.from({ length: 40 }, (_, i) => `r-${i}`);
    const sent: Message[] = [s.registered()];
    for (let i = 0; i < 2_000; i++) {
      const roll = rnd();
      const id = pick(ids);
      const date = pick(dates);
      // One in ten events carries an older stream sequence, as if applied late.
      const seq = rnd() < 0.1 ? Math.max(1, sent.length - Math.floor(rnd() * 50)) : undefined;
      if (roll < 0.35) sent.push(s.created(id, date, { partySize: 1 + Math.floor(rnd() * 8), seq }));
      else if (roll < 0.65) sent.push(s.modified(id, date, 1 + Math.floor(rnd() * 8), seq));
      else if (roll < 0.8) sent.push(s.cancelled(id, date, seq));
      else if (roll < 0.85)
        sent.push(
          s.status(id, date, pick([T.reservationSeated, T.reservationFinished, T.reservationNoShow]), seq),
        );
      else if (roll < 0.9) sent.push(s.movedOut(id, date, pick(dates)));
      else if (roll < 0.95) sent.push(s.menuItem(`dish-${Math.floor(rnd() * 5)}`, Math.floor(rnd() * 9_000)));
      else sent.push(pick(sent));
    }
    const batches: Message[][] = [];
    for (let at = 0; at < sent.length; ) {
      const size = 1 + Math.floor(rnd() * 300);
      batches.push(sent.slice(at, at + size));
      at += size;
    }
    const rows = await expectSameRows(batches);
    expect(rows.reservations.length).toBeGreaterThan(30);
    expect(new Set(rows.reservations.map((row) => row.status))).toEqual(
      new Set(['confirmed', 'cancelled', 'seated', 'finished', 'no_show']),
    );
  });
});
