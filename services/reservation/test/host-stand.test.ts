import type { ServiceError } from '@grpc/grpc-js';
import { errorCodeOf } from '@reserveit/rpc';
import {
  type CreateReservationRequest,
  type Reservation,
  type ReservationServiceClient,
  ReservationSource,
  ReservationStatus,
  type UpdateBusinessSettingsRequest,
} from '@reserveit/rpc/reservation/v1/reservation';
import type { TestNats } from '@reserveit/testkit';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunningReservation } from '../src/server.js';
import { registerRequest } from './business-request.js';
import {
  clientFor,
  NOW,
  projectionCaughtUp,
  reservationUnderTest,
  rpc,
  SEED,
  useReservationServices,
} from './reservation-under-test.js';

/** The seeded demo restaurant: dinner 18:00–23:30 on weekdays (Asia/Dubai), 40 covers, seatings of 90 minutes. */
const BIZ = 'demo-dubai';
const OTHER = 'other-bistro';
const WEDNESDAY = '2026-06-03';
const THURSDAY = '2026-06-04';
const { SEATED, FINISHED, NO_SHOW, CONFIRMED, CANCELLED } = {
  SEATED: ReservationStatus.RESERVATION_STATUS_SEATED,
  FINISHED: ReservationStatus.RESERVATION_STATUS_FINISHED,
  NO_SHOW: ReservationStatus.RESERVATION_STATUS_NO_SHOW,
  CONFIRMED: ReservationStatus.RESERVATION_STATUS_CONFIRMED,
  CANCELLED: ReservationStatus.RESERVATION_STATUS_CANCELLED,
};

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error('the call succeeded');
    },
    (error: unknown) => ({ code: errorCodeOf(error), details: (error as ServiceError).details }),
  );

describe('the host stand over gRPC: statuses, tenant scoping, staff bookings, the day sheet, settings', () => {
  let clock = NOW;
  let key = 0;
  const suite = useReservationServices({
    env: { RESERVATION_SEED_FILE: SEED },
    options: { now: () => clock },
    // As the console for every restaurant named here, so the service's own scoping answers.
    as: { staff: true, restaurants: [BIZ, OTHER, 'nobody'] },
  });
  let service: RunningReservation;
  let client: ReservationServiceClient;
  let nats: TestNats;

  beforeAll(async () => {
    ({ service, nats } = suite);
    client = suite.client();
    await rpc(client, client.registerBusiness, registerRequest(OTHER, '100000000000777'));
  });

  const settle = async () =>
    projectionCaughtUp(
      service,
      (await nats.jsm.streams.info(service.topology.streams.reservations.name)).state.last_seq,
    );

  const book = async (
    time: string,
    partySize: number,
    options: Partial<CreateReservationRequest> = {},
  ): Promise<Reservation> => {
    const { reservation } = await rpc(client, client.createReservation, {
      businessId: BIZ,
      idempotencyKey: `host-${++key}`,
      guestWaId: '971500000001',
      guestName: `Guest ${key}`,
      partySize,
      date: WEDNESDAY,
      time,
      notes: '',
      source: ReservationSource.RESERVATION_SOURCE_WHATSAPP,
      ...options,
    });
    if (!reservation) throw new Error('no reservation in the response');
    return reservation;
  };
  const setStatus = (reservationId: string, status: ReservationStatus, businessId = BIZ, staff = '') =>
    rpc(client, client.setReservationStatus, { reservationId, businessId, status, staff }).then(
      (response) => response.reservation,
    );

  it('seats, finishes and marks no-shows, records the staff member, repeats without an event, and refuses the rest', async () => {
    const party = await book('19:00', 2);
    const dayStream = service.topology.subjects.reservationDay(BIZ, WEDNESDAY);
    const lastOfDay = async () => {
      const message = await nats.jsm.streams.getMessage(service.topology.streams.reservations.name, {
        last_by_subj: dayStream,
      });
      return { seq: message?.seq, event: message?.json<Record<string, unknown>>() };
    };
    expect(await setStatus(party.id, SEATED, BIZ, 'Omar')).toMatchObject({ id: party.id, status: SEATED });
    const seated = await lastOfDay();
    expect(seated.event).toMatchObject({ type: 'reservation.seated', reservationId: party.id, by: 'Omar' });
    expect(await setStatus(party.id, SEATED)).toMatchObject({ status: SEATED });
    expect((await lastOfDay()).seq).toBe(seated.seq);
    expect(await setStatus(party.id, FINISHED, BIZ)).toMatchObject({ status: FINISHED });
    expect(await failure(setStatus(party.id, NO_SHOW))).toMatchObject({ code: 'INVALID_TRANSITION' });
    expect(await failure(setStatus(party.id, SEATED))).toMatchObject({ code: 'INVALID_TRANSITION' });
    for (const status of [CONFIRMED, CANCELLED, ReservationStatus.RESERVATION_STATUS_UNSPECIFIED]) {
      expect(await failure(setStatus(party.id, status))).toMatchObject({
        code: 'INVALID_ARGUMENT',
        details: expect.stringContaining('status'),
      });
    }

    const late = await book('21:00', 4);
    expect(await setStatus(late.id, NO_SHOW)).toMatchObject({ status: NO_SHOW });
    expect(await setStatus(late.id, SEATED)).toMatchObject({ status: SEATED });
    const gone = await book('21:00', 2);
    await rpc(client, client.cancelReservation, {
      businessId: BIZ,
      reservationId: gone.id,
      reason: 'ill',
      byStaff: true,
    });
    expect(await failure(setStatus(gone.id, SEATED))).toMatchObject({ code: 'ALREADY_CANCELLED' });

    await settle();
    const listed = await rpc(client, client.listReservations, {
      businessId: BIZ,
      guestWaId: '',
      date: WEDNESDAY,
      includeCancelled: true,
      upcomingOnly: false,
    });
    const statusOf = new Map(listed.reservations.map((r) => [r.id, r.status]));
    expect([statusOf.get(party.id), statusOf.get(late.id), statusOf.get(gone.id)]).toEqual([
      FINISHED,
      SEATED,
      CANCELLED,
    ]);
  });

  it("answers NOT_FOUND, as for an unknown id, to Get, Modify, Cancel and SetStatus naming another business's reservation", async () => {
    const mine = await book('20:00', 2);
    const unknown = await failure(
      rpc(client, client.getReservation, { reservationId: 'r_nonexistent', businessId: OTHER }),
    );
    expect(unknown.code).toBe('NOT_FOUND');
    const asUnknown = { code: 'NOT_FOUND', details: unknown.details?.replace('r_nonexistent', mine.id) };
    const scoped = { reservationId: mine.id, businessId: OTHER };
    expect(await failure(rpc(client, client.getReservation, scoped))).toEqual(asUnknown);
    expect(
      await failure(
        rpc(client, client.modifyReservation, { ...scoped, date: '', time: '21:00', partySize: 0 }),
      ),
    ).toEqual(asUnknown);
    expect(
      await failure(rpc(client, client.cancelReservation, { ...scoped, reason: 'x', byStaff: true })),
    ).toEqual(asUnknown);
    expect(await failure(setStatus(mine.id, SEATED, OTHER))).toEqual(asUnknown);

    // Nothing changed; its own business and the unscoped (WhatsApp) calls reach it.
    const own = await rpc(client, client.getReservation, { reservationId: mine.id, businessId: BIZ });
    expect(own.reservation).toEqual(mine);
    const guestSide = clientFor(service.grpcAddress);
    const unscoped = await rpc(guestSide, guestSide.getReservation, {
      reservationId: mine.id,
      businessId: '',
    });
    guestSide.close();
    expect(unscoped.reservation).toEqual(mine);
    const modified = await rpc(client, client.modifyReservation, {
      reservationId: mine.id,
      businessId: BIZ,
      date: '',
      time: '20:30',
      partySize: 0,
    });
    expect(modified.reservation).toMatchObject({ time: '20:30' });
  });

  it('changes the guest name and notes, clears notes with "", and keeps them when a call leaves them out', async () => {
    const booking = await book('18:30', 2, { notes: 'by the window' });
    const change = { reservationId: booking.id, businessId: BIZ, date: '', time: '', partySize: 0 };
    const renamed = await rpc(client, client.modifyReservation, {
      ...change,
      guestName: 'Layla Haddad',
      notes: 'anniversary',
    });
    expect(renamed.reservation).toMatchObject({
      guestName: 'Layla Haddad',
      notes: 'anniversary',
      time: '18:30',
    });
    const kept = await rpc(client, client.modifyReservation, { ...change, partySize: 3 });
    expect(kept.reservation).toMatchObject({ guestName: 'Layla Haddad', notes: 'anniversary', partySize: 3 });
    const cleared = await rpc(client, client.modifyReservation, { ...change, notes: '' });
    expect(cleared.reservation).toMatchObject({ notes: '', guestName: 'Layla Haddad' });
    const moved = await rpc(client, client.modifyReservation, { ...change, date: THURSDAY, notes: 'moved' });
    expect(moved.reservation).toMatchObject({ serviceDate: THURSDAY, notes: 'moved', partySize: 3 });
    await settle();
    const listed = await rpc(client, client.listReservations, {
      businessId: BIZ,
      guestWaId: '',
      date: THURSDAY,
      includeCancelled: false,
      upcomingOnly: false,
    });
    expect(listed.reservations.find((r) => r.id === booking.id)).toMatchObject({
      guestName: 'Layla Haddad',
      notes: 'moved',
    });
    await rpc(client, client.cancelReservation, {
      businessId: BIZ,
      reservationId: booking.id,
      reason: '',
      byStaff: true,
    });
  });

  it('books walk-ins and phone bookings for staff inside the lead time, where a guest is refused', async () => {
    // 18:40 in Dubai on Wednesday: the 19:00 seating is inside the 60-minute lead time.
    clock = Date.parse(`${WEDNESDAY}T14:40:00Z`);
    try {
      const staff = { source: ReservationSource.RESERVATION_SOURCE_STAFF, guestName: '' };
      const walkIn = await book('19:00', 3, { ...staff, guestWaId: '', idempotencyKey: 'walk-in-1' });
      expect(walkIn).toMatchObject({
        guestName: 'Walk-in',
        source: ReservationSource.RESERVATION_SOURCE_STAFF,
        status: CONFIRMED,
      });
      expect(walkIn.guestWaId).toMatch(/^walkin-[0-9a-f-]{36}$/);
      const again = await rpc(client, client.createReservation, {
        businessId: BIZ,
        idempotencyKey: 'walk-in-1',
        guestWaId: '',
        guestName: '',
        partySize: 3,
        date: WEDNESDAY,
        time: '19:00',
        notes: '',
        source: ReservationSource.RESERVATION_SOURCE_STAFF,
      });
      expect(again).toMatchObject({
        replayed: true,
        reservation: { id: walkIn.id, guestWaId: walkIn.guestWaId },
      });

      const named = await book('18:30', 2, { ...staff, guestWaId: '', guestName: 'Mr Smith' });
      expect(named).toMatchObject({ guestName: 'Mr Smith', time: '18:30' });
      const phoned = await book('19:00', 2, { ...staff, guestWaId: '+971 50-123 4567', guestName: 'Sara' });
      expect(phoned.guestWaId).toBe('971501234567');
      for (const guestWaId of ['12345', '+97150123456789012', 'abc123456']) {
        expect(await failure(book('19:00', 2, { ...staff, guestWaId }))).toMatchObject({
          code: 'INVALID_ARGUMENT',
          details: expect.stringContaining('guestWaId'),
        });
      }
      expect(await failure(book('19:00', 2))).toMatchObject({ code: 'TOO_SOON' });
      expect(await failure(book('13:00', 2, { ...staff, guestWaId: '' }))).toMatchObject({
        code: 'TOO_SOON',
      });
      expect(await failure(book('19:00', 11, { ...staff, guestWaId: '' }))).toMatchObject({
        code: 'PARTY_TOO_LARGE',
      });
      expect(await failure(book('16:00', 2, { ...staff, guestWaId: '' }))).toMatchObject({ code: 'CLOSED' });
    } finally {
      clock = NOW;
    }
  });

  it('counts the covers of each seating in the day sheet and includes every event stored before the call, on any replica', async () => {
    const date = '2026-06-08';
    const on = { date };
    const seated = await book('19:00', 4, { ...on, guestName: 'Zed' });
    await setStatus(seated.id, SEATED);
    const absent = await book('19:00', 3, { ...on, guestName: 'Yara' });
    await setStatus(absent.id, NO_SHOW);
    const cancelled = await book('19:30', 2, { ...on, guestName: 'Xavier' });
    await rpc(client, client.cancelReservation, {
      businessId: BIZ,
      reservationId: cancelled.id,
      reason: '',
      byStaff: true,
    });
    const later = await book('20:00', 5, { ...on, guestName: 'Adam' });
    const early = await book('19:00', 1, { ...on, guestName: 'Bea' });

    const sheet = await rpc(client, client.getDaySheet, { businessId: BIZ, date, includeCancelled: false });
    expect(sheet).toMatchObject({ date, closedReason: '' });
    const used = (slots: typeof sheet.slots) => new Map(slots.map((slot) => [slot.time, slot.coversUsed]));
    // 19:00–20:30 holds 4 + 1, 20:00–21:30 holds 5; the no-show and the cancelled booking hold none.
    // A slot counts the covers in the room during it (19:15 the 19:00 parties, 20:30 only Adam).
    expect(sheet.slots.find((slot) => slot.time === '19:00')).toEqual({
      time: '19:00',
      startsAt: '2026-06-08T15:00:00.000Z',
      capacityCovers: 40,
      coversUsed: 5,
    });
    const before = used(sheet.slots);
    expect(['12:00', '17:45', '18:00', '19:15', '20:30', '21:15', '21:30'].map((t) => before.get(t))).toEqual(
      [0, undefined, 0, 5, 5, 5, 0],
    );
    expect(sheet.reservations.map((r) => r.id)).toEqual([early.id, absent.id, seated.id, later.id]);
    const withCancelled = await rpc(client, client.getDaySheet, {
      businessId: BIZ,
      date,
      includeCancelled: true,
    });
    expect(withCancelled.reservations.map((r) => r.id)).toEqual([
      early.id,
      absent.id,
      seated.id,
      cancelled.id,
      later.id,
    ]);

    // A replica without a projector read the sheet (and holds the day); the other replica changes it.
    const replica = await reservationUnderTest(
      nats.url,
      nats.prefix,
      suite.database.url,
      {},
      { projector: false, now: () => clock },
    );
    const replicaClient = clientFor(replica.grpcAddress, { staff: true, restaurants: [BIZ] });
    try {
      const sheetOn = () =>
        rpc(replicaClient, replicaClient.getDaySheet, { businessId: BIZ, date, includeCancelled: false });
      expect(used((await sheetOn()).slots).get('19:00')).toBe(5);
      // Finished now, before its start: it frees its covers for the whole seating.
      await setStatus(seated.id, FINISHED);
      const after = await sheetOn();
      expect(used(after.slots).get('19:00')).toBe(1);
      expect(after.reservations.find((r) => r.id === seated.id)?.status).toBe(FINISHED);
    } finally {
      replicaClient.close();
      await replica.close(1_000);
    }

    expect(
      await rpc(client, client.getDaySheet, { businessId: BIZ, date: '2026-12-02', includeCancelled: false }),
    ).toEqual({
      date: '2026-12-02',
      closedReason: 'CLOSED',
      slots: [],
      reservations: [],
      waitlist: [],
    });
    expect(
      await failure(
        rpc(client, client.getDaySheet, { businessId: BIZ, date: '8 June', includeCancelled: false }),
      ),
    ).toMatchObject({
      code: 'INVALID_ARGUMENT',
      details: expect.stringContaining('date'),
    });
    expect(
      await failure(rpc(client, client.getDaySheet, { businessId: 'nobody', date, includeCancelled: false })),
    ).toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it('sets name, greetings and templates, then rules alone, and GetBusiness returns what was set', async () => {
    const template = {
      name: 'booking_reminder',
      language: 'en_US',
      bodyParameters: 2,
      category: 'UTILITY',
      purpose: 'reminder',
    };
    const update = { businessId: OTHER, greetings: {}, hasGreetings: false };
    const first = await rpc(client, client.updateBusinessSettings, {
      ...update,
      name: 'Other Bistro & Bar',
      greetings: { en: 'Hi there', ar: 'مرحبا' },
      hasGreetings: true,
      templates: { items: [template, { ...template, language: 'ar' }] },
    });
    expect(first.business).toMatchObject({
      name: 'Other Bistro & Bar',
      greetings: { en: 'Hi there', ar: 'مرحبا' },
      templates: { items: [template, { ...template, language: 'ar' }] },
    });
    const current = first.business?.rules;
    if (!current) throw new Error('no rules in the answer');
    const rules = { ...current, capacityCovers: 12 };
    await rpc(client, client.updateBusinessSettings, { ...update, rules });
    await settle();
    const { business } = await rpc(client, client.getBusiness, { businessId: OTHER });
    expect(business).toEqual({ ...first.business, rules });
    // An empty list clears the templates, an empty map with has_greetings the greetings.
    const cleared = await rpc(client, client.updateBusinessSettings, {
      ...update,
      hasGreetings: true,
      templates: { items: [] },
    });
    expect(cleared.business).toMatchObject({
      name: 'Other Bistro & Bar',
      greetings: {},
      templates: { items: [] },
    });

    const refusals: [Partial<UpdateBusinessSettingsRequest>, string][] = [
      [{ templates: { items: [{ ...template, name: 'Booking-Reminder' }] } }, 'templates.items.0.name'],
      [{ templates: { items: [template, template] } }, 'templates.items'],
      [{ templates: { items: [{ ...template, category: 'PROMO' }] } }, 'templates.items.0.category'],
      [{ templates: { items: [{ ...template, purpose: 'spam' }] } }, 'templates.items.0.purpose'],
      [{ rules: { ...rules, slotMinutes: 0 } }, 'rules.slotMinutes'],
      [{ name: '' }, 'name'],
      [{}, 'at least one'],
    ];
    for (const [change, field] of refusals) {
      expect(
        await failure(rpc(client, client.updateBusinessSettings, { ...update, ...change })),
      ).toMatchObject({
        code: 'INVALID_ARGUMENT',
        details: expect.stringContaining(field),
      });
    }
    expect(
      await failure(
        rpc(client, client.updateBusinessSettings, { ...update, businessId: 'nobody', name: 'x' }),
      ),
    ).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('sets the booking Flow id alone, keeps it when other settings change, clears it with "" and refuses a non-numeric one', async () => {
    const update = { businessId: OTHER, greetings: {}, hasGreetings: false };
    // GetBusiness reads the projection: the previous test's settings must be in it first.
    await settle();
    const before = await rpc(client, client.getBusiness, { businessId: OTHER });
    expect(before.business?.bookingFlowId).toBe('');
    const set = await rpc(client, client.updateBusinessSettings, {
      ...update,
      bookingFlowId: '1187654321098765',
    });
    expect(set.business).toEqual({ ...before.business, bookingFlowId: '1187654321098765' });
    await rpc(client, client.updateBusinessSettings, { ...update, name: 'Other Flow Bistro' });
    await settle();
    const kept = await rpc(client, client.getBusiness, { businessId: OTHER });
    expect(kept.business).toMatchObject({ name: 'Other Flow Bistro', bookingFlowId: '1187654321098765' });
    expect(
      (await rpc(client, client.listBusinesses, {})).businesses.find((b) => b.id === OTHER),
    ).toMatchObject({
      bookingFlowId: '1187654321098765',
    });
    await rpc(client, client.updateBusinessSettings, { ...update, bookingFlowId: '' });
    await settle();
    expect((await rpc(client, client.getBusiness, { businessId: OTHER })).business?.bookingFlowId).toBe('');
    for (const bookingFlowId of ['flow-1', '12 34', '1'.repeat(33)]) {
      expect(
        await failure(rpc(client, client.updateBusinessSettings, { ...update, bookingFlowId })),
      ).toMatchObject({ code: 'INVALID_ARGUMENT', details: expect.stringContaining('bookingFlowId') });
    }
  });
});
