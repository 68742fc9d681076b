import { credentials, makeGenericClientConstructor } from '@grpc/grpc-js';
import { errorCodeOf } from '@reserveit/rpc';
import {
  GuestAnswer,
  type ReservationServiceClient,
  ReservationStatus,
} from '@reserveit/rpc/reservation/v1/reservation';
import { type TestNats, useDatabase } from '@reserveit/testkit';
import { service as healthService } from 'grpc-health-check';
import { type Kysely, sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { ALTERNATIVES_KEY } from '../src/grpc/errors.js';
import { replayProjection } from '../src/projection/projector.js';
import type { ProjectionDb } from '../src/projection/tables.js';
import type { RunningReservation } from '../src/server.js';
import {
  NOW,
  projectionCaughtUp,
  reservationUnderTest,
  rpc,
  SEED,
  useReservationServices,
} from './reservation-under-test.js';

const BIZ = 'demo-dubai';
/** A Wednesday; the demo restaurant serves dinner 18:00–23:30 (Asia/Dubai) with 40 covers. */
const WEDNESDAY = '2026-06-03';

describe('reservation lifecycle over gRPC, from the seeded demo restaurant', () => {
  let key = 0;
  const suite = useReservationServices({ env: { RESERVATION_SEED_FILE: SEED }, as: { restaurants: [BIZ] } });
  let service: RunningReservation;
  let client: ReservationServiceClient;
  let nats: TestNats;

  beforeAll(async () => {
    ({ service, nats } = suite);
    client = suite.client();
  });

  const lastSeq = async () =>
    (await nats.jsm.streams.info(service.topology.streams.reservations.name)).state.last_seq;
  const settle = async () => projectionCaughtUp(service, await lastSeq());

  const book = (time: string, partySize: number, date = WEDNESDAY, guest = '971500000001') =>
    rpc(client, client.createReservation, {
      businessId: BIZ,
      idempotencyKey: `k${++key}`,
      guestWaId: guest,
      guestName: 'Layla',
      partySize,
      date,
      time,
      notes: '',
      source: 0,
    }).then((response) => {
      if (!response.reservation) throw new Error('no reservation in the response');
      return response.reservation;
    });

  it('registers the seed once and serves it by phone_number_id, with its menu by category', async () => {
    expect(service.seeded).toEqual([BIZ]);
    await settle();
    const { business } = await rpc(client, client.getBusinessByPhoneNumberId, {
      phoneNumberId: '100000000000001',
    });
    expect(business).toMatchObject({
      id: BIZ,
      timezone: 'Asia/Dubai',
      locales: ['en', 'ar'],
      displayPhoneNumber: '15550001111',
    });
    expect(business?.hours?.weekly.find((day) => day.isoWeekday === 5)?.intervals).toContainEqual({
      start: '18:00',
      end: '01:00',
    });
    const menu = await rpc(client, client.getMenu, { businessId: BIZ, category: 'desserts' });
    expect(menu.categories.map((c) => c.name)).toEqual(['Desserts']);
    expect(menu.categories[0]?.items.map((item) => item.id)).toEqual(['umm-ali', 'kunafa']);
    const unknown = await rpc(client, client.getBusinessByPhoneNumberId, { phoneNumberId: '999' }).catch(
      (e: unknown) => e,
    );
    expect(errorCodeOf(unknown)).toBe('NOT_FOUND');
  });

  it("lists the menu's sections in the restaurant's order, not alphabetically; a section added later comes last", async () => {
    await settle();
    const seeded = await rpc(client, client.getMenu, { businessId: BIZ, category: '' });
    // the seed's order (deploy/local/seed.json), where alphabetical would put Desserts first
    expect(seeded.categories.map((c) => c.name)).toEqual(['Starters', 'Mains', 'Desserts', 'Drinks']);
    expect(seeded.categories[0]?.items.map((item) => [item.id, item.description])).toEqual([
      ['hummus', 'Chickpeas, tahini, lemon, olive oil'],
      ['fattoush', expect.stringContaining('sumac')],
    ]);
    // an owner edits a starter and adds a section whose name sorts first
    const hummus = seeded.categories[0]?.items[0];
    if (!hummus) throw new Error('no hummus in the seed');
    await rpc(client, client.setMenuItem, { businessId: BIZ, item: { ...hummus, priceMinor: 3100 } });
    await rpc(client, client.setMenuItem, {
      businessId: BIZ,
      item: {
        id: 'shakshuka',
        category: 'Breakfast',
        name: 'Shakshuka',
        description: 'Eggs poached in spiced tomato',
        priceMinor: 3800,
        currency: 'AED',
        dietaryTags: [],
        available: true,
        position: 1,
      },
    });
    await settle();
    const edited = await rpc(client, client.getMenu, { businessId: BIZ, category: '' });
    expect(edited.categories.map((c) => c.name)).toEqual([
      'Starters',
      'Mains',
      'Desserts',
      'Drinks',
      'Breakfast',
    ]);
    expect(edited.categories[0]?.items[0]).toMatchObject({ id: 'hummus', priceMinor: 3100 });
  });

  it("books Friday's last seating, which ends after midnight, on Friday's service", async () => {
    const late = await book('23:30', 2, '2026-06-05');
    expect(late).toMatchObject({
      serviceDate: '2026-06-05',
      time: '23:30',
      startsAt: '2026-06-05T19:30:00.000Z',
      endsAt: '2026-06-05T21:00:00.000Z',
    });
    expect(errorCodeOf(await book('23:45', 2, '2026-06-05').catch((e: unknown) => e))).toBe('CLOSED');
  });

  it('refuses a modify into a full slot, leaves the original intact, and allows it once a cancel frees the covers', async () => {
    const full = await Promise.all([
      book('20:00', 10),
      book('20:00', 10),
      book('20:00', 10),
      book('20:00', 10),
    ]);
    const mine = await book('21:30', 2, WEDNESDAY, '971500000002');
    const refused = await rpc(client, client.modifyReservation, {
      reservationId: mine.id,
      date: '',
      time: '20:00',
      partySize: 0,
    }).catch((e: unknown) => e);
    expect(errorCodeOf(refused)).toBe('NO_CAPACITY');
    await settle();
    const listed = await rpc(client, client.listReservations, {
      businessId: BIZ,
      guestWaId: '971500000002',
      date: '',
      includeCancelled: false,
      upcomingOnly: false,
    });
    expect(listed.reservations.map((r) => [r.id, r.time, r.partySize])).toEqual([[mine.id, '21:30', 2]]);

    const availability = {
      businessId: BIZ,
      partySize: 2,
      date: WEDNESDAY,
      windowStart: '19:00',
      windowEnd: '21:00',
      preferredTime: '20:00',
    };
    const before = await rpc(client, client.checkAvailability, availability);
    expect(before.preferredAvailable).toBe(false);
    expect(before.alternatives.length).toBeGreaterThan(0);
    expect(
      before.slots.every((slot) => slot.time < '18:45' || slot.time > '21:15' || slot.time === undefined),
    ).toBe(true);

    const cancelled = await rpc(client, client.cancelReservation, {
      reservationId: full[0]?.id ?? '',
      reason: 'plans changed',
      byStaff: false,
    });
    expect(cancelled.reservation?.status).toBe(ReservationStatus.RESERVATION_STATUS_CANCELLED);
    await settle();
    const after = await rpc(client, client.checkAvailability, availability);
    expect(after.preferredAvailable).toBe(true);
    const moved = await rpc(client, client.modifyReservation, {
      reservationId: mine.id,
      date: '',
      time: '20:00',
      partySize: 0,
    });
    expect(moved.reservation).toMatchObject({
      id: mine.id,
      time: '20:00',
      startsAt: '2026-06-03T16:00:00.000Z',
    });
  });

  it('answers NO_CAPACITY with the nearest free slots a caller can offer', async () => {
    const refused = await book('20:00', 10).catch((e: unknown) => e);
    expect(errorCodeOf(refused)).toBe('NO_CAPACITY');
    const metadata = (refused as { metadata?: { get(key: string): unknown[] } }).metadata;
    const alternatives = JSON.parse(String(metadata?.get(ALTERNATIVES_KEY)[0] ?? '[]')) as { time: string }[];
    expect(alternatives.length).toBe(3);
    expect(alternatives.map((slot) => slot.time)).not.toContain('20:00');
  });

  it('moves a booking to another date, keeping its id, and frees the old date', async () => {
    const booking = await book('13:00', 4, WEDNESDAY, '971500000003');
    const moved = await rpc(client, client.modifyReservation, {
      reservationId: booking.id,
      date: '2026-06-04',
      time: '',
      partySize: 6,
    });
    expect(moved.reservation).toMatchObject({
      id: booking.id,
      serviceDate: '2026-06-04',
      time: '13:00',
      partySize: 6,
    });
    await settle();
    const old = await rpc(client, client.listReservations, {
      businessId: BIZ,
      guestWaId: '',
      date: WEDNESDAY,
      includeCancelled: true,
      upcomingOnly: false,
    });
    expect(old.reservations.map((r) => r.id)).not.toContain(booking.id);
    const again = await rpc(client, client.cancelReservation, {
      reservationId: booking.id,
      reason: '',
      byStaff: false,
    });
    expect(again.reservation).toMatchObject({
      serviceDate: '2026-06-04',
      status: ReservationStatus.RESERVATION_STATUS_CANCELLED,
    });
  });

  it('answers CLOSED, with the nearest seatings, for a time after the last seating of an open day', async () => {
    const ask = (preferredTime: string) =>
      rpc(client, client.checkAvailability, {
        businessId: BIZ,
        partySize: 2,
        date: WEDNESDAY,
        windowStart: '',
        windowEnd: '',
        preferredTime,
      });
    // Wednesdays open 18:00-23:30 and a table is held 90 minutes: the last seating is at 22:00.
    const late = await ask('22:30');
    expect(late).toMatchObject({ preferredAvailable: false, closedReason: 'CLOSED' });
    expect(late.alternatives.map((slot) => slot.time)).toContain('22:00');
    expect(await ask('21:00')).toMatchObject({ preferredAvailable: true, closedReason: '' });
    expect((await ask('')).closedReason).toBe('');
  });

  it('refuses closed hours, too-large parties and bookings past the horizon with their codes', async () => {
    expect(errorCodeOf(await book('16:00', 2).catch((e: unknown) => e))).toBe('CLOSED');
    expect(errorCodeOf(await book('19:00', 11).catch((e: unknown) => e))).toBe('PARTY_TOO_LARGE');
    expect(errorCodeOf(await book('19:00', 2, '2026-09-01').catch((e: unknown) => e))).toBe('BEYOND_HORIZON');
    expect(errorCodeOf(await book('19:00', 0).catch((e: unknown) => e))).toBe('INVALID_ARGUMENT');
  });

  it('reports SERVING on grpc.health.v1 and ready on /readyz', async () => {
    const Health = makeGenericClientConstructor(healthService, 'Health');
    const health = new Health(service.grpcAddress, credentials.createInsecure()) as unknown as {
      check(
        request: { service: string },
        callback: (error: Error | null, response: { status: string }) => void,
      ): void;
      close(): void;
    };
    const status = await new Promise<string>((resolve, reject) =>
      health.check({ service: 'reservation.v1.ReservationService' }, (error, response) =>
        error ? reject(error) : resolve(response.status),
      ),
    );
    health.close();
    expect(status).toBe('SERVING');
    const ready = await fetch(`${service.httpAddress}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ ready: true, detail: 'nats ok, database ok, businesses ok' });
  });

  it("answers DEADLINE_EXCEEDED, without booking, when the caller's deadline has passed", async () => {
    const request = {
      businessId: BIZ,
      idempotencyKey: 'late-caller',
      guestWaId: '9715',
      guestName: '',
      partySize: 2,
      date: WEDNESDAY,
      time: '22:00',
      notes: '',
      source: 0,
    };
    const error = await rpc(client, client.createReservation, request, -1).catch((e: unknown) => e);
    expect((error as { code?: number }).code).toBe(4);
    await settle();
    expect((await service.app.queries.byGuest('9715', { includeCancelled: true })).length).toBe(0);
  });

  it('records the host stand: statuses, a renamed guest with notes, the guest’s answers to a reminder, and new settings with templates, a booking Flow and follow-ups', async () => {
    const seated = await book('18:00', 2, WEDNESDAY, '971500000004');
    const finished = await book('18:00', 2, WEDNESDAY, '971500000005');
    const absent = await book('18:15', 3, WEDNESDAY, '971500000006');
    const answering = await book('18:30', 2, WEDNESDAY, '971500000007');
    const answer = (value: GuestAnswer, minutes = 0) =>
      rpc(client, client.answerReminder, {
        reservationId: answering.id,
        businessId: BIZ,
        answer: value,
        minutes,
      });
    await answer(GuestAnswer.GUEST_ANSWER_CONFIRMED);
    expect((await answer(GuestAnswer.GUEST_ANSWER_RUNNING_LATE, 20)).reservation).toMatchObject({
      guestConfirmedAt: new Date(NOW).toISOString(),
      lateMinutes: 20,
    });
    const outOfRange = await answer(GuestAnswer.GUEST_ANSWER_RUNNING_LATE, 0).catch((e: unknown) => e);
    expect(errorCodeOf(outOfRange)).toBe('INVALID_ARGUMENT');
    const status = (reservationId: string, value: ReservationStatus) =>
      rpc(client, client.setReservationStatus, {
        reservationId,
        businessId: BIZ,
        status: value,
        staff: 'Omar',
      });
    await status(seated.id, ReservationStatus.RESERVATION_STATUS_SEATED);
    await status(finished.id, ReservationStatus.RESERVATION_STATUS_SEATED);
    await status(finished.id, ReservationStatus.RESERVATION_STATUS_FINISHED);
    await status(absent.id, ReservationStatus.RESERVATION_STATUS_NO_SHOW);
    await rpc(client, client.modifyReservation, {
      reservationId: seated.id,
      date: '',
      time: '',
      partySize: 0,
      guestName: 'Layla Haddad',
      notes: 'high chair',
    });
    await rpc(client, client.updateBusinessSettings, {
      businessId: BIZ,
      name: 'Demo Dubai Grill',
      greetings: {},
      hasGreetings: false,
      templates: {
        items: [{ name: 'table_ready', language: 'en', bodyParameters: 1, category: 'UTILITY', purpose: '' }],
      },
      bookingFlowId: '1234567890123456',
      followUps: {
        reminders: { enabled: true, offsetsMinutes: [1440, 90], templateName: 'table_ready' },
        noShow: { enabled: true, graceMinutes: 15, autoMark: false, messageGuest: true },
        feedback: { enabled: true, delayMinutes: 120 },
      },
    });
    await settle();
    expect((await rpc(client, client.getBusiness, { businessId: BIZ })).business?.followUps).toEqual({
      reminders: { enabled: true, offsetsMinutes: [1440, 90], templateName: 'table_ready' },
      noShow: { enabled: true, graceMinutes: 15, autoMark: false, messageGuest: true },
      feedback: { enabled: true, delayMinutes: 120 },
    });
    const row = (id: string) => service.app.queries.reservation(id);
    expect(await row(answering.id)).toMatchObject({
      guestConfirmedAt: new Date(NOW).toISOString(),
      lateMinutes: 20,
    });
    expect(await row(seated.id)).toMatchObject({
      status: 'seated',
      guestName: 'Layla Haddad',
      notes: 'high chair',
    });
    expect(await row(finished.id)).toMatchObject({
      status: 'finished',
      finishedAt: new Date(NOW).toISOString(),
    });
    expect(await row(absent.id)).toMatchObject({ status: 'no_show' });
    expect(await service.app.queries.businessById(BIZ)).toMatchObject({
      name: 'Demo Dubai Grill',
      templates: [{ name: 'table_ready', language: 'en', bodyParameters: 1, category: 'UTILITY' }],
      bookingFlowId: '1234567890123456',
      followUps: {
        reminders: { quietHours: null, templateName: 'table_ready' },
        noShow: { graceMinutes: 15 },
      },
    });
  });

  it('rebuilds identical rows when the projection is dropped and the stream replayed from sequence 1', async () => {
    await settle();
    const db = service.db as Kysely<ProjectionDb>;
    const snapshot = async () => ({
      businesses: (
        await sql<Record<string, unknown>>`select * from reservation.businesses order by id`.execute(db)
      ).rows,
      menu: (await sql`select * from reservation.menu_items order by business_id, item_id`.execute(db)).rows,
      reservations: (
        await sql<Record<string, unknown>>`select * from reservation.reservations order by id`.execute(db)
      ).rows,
    });
    const live = await snapshot();
    expect(live.reservations.length).toBeGreaterThan(5);
    // The rebuild must carry every kind of event, the host stand's included.
    expect(new Set(live.reservations.map((row) => row.status))).toEqual(
      new Set(['confirmed', 'cancelled', 'seated', 'finished', 'no_show']),
    );
    expect(live.businesses.map((row) => [row.name, row.booking_flow_id])).toEqual([
      ['Demo Dubai Grill', '1234567890123456'],
    ]);

    // A second, empty database plays the dropped projection: the live one keeps serving.
    const fresh = await useDatabase();
    const rebuilt = await reservationUnderTest(nats.url, nats.prefix, fresh.url, {}, { projector: false });
    try {
      const result = await replayProjection({
        js: nats.js,
        jsm: nats.jsm,
        db: rebuilt.db,
        topology: rebuilt.topology,
      });
      expect(result.applied).toBe(result.lastSeq);
      const replayed = await (async () => {
        const other = rebuilt.db as Kysely<ProjectionDb>;
        return {
          businesses: (await sql`select * from reservation.businesses order by id`.execute(other)).rows,
          menu: (await sql`select * from reservation.menu_items order by business_id, item_id`.execute(other))
            .rows,
          reservations: (await sql`select * from reservation.reservations order by id`.execute(other)).rows,
        };
      })();
      expect(replayed).toEqual(live);
    } finally {
      await rebuilt.close(1_000);
      await fresh.drop();
    }
  });
});
