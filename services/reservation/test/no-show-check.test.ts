import {
  DEFAULT_FOLLOW_UPS,
  SCHEDULED_WORK_TYPES,
  RESERVATION_EVENT_TYPES as T,
  type WorkDue,
  workDueId,
} from '@reserveit/contracts';
import { publish } from '@reserveit/messaging';
import {
  type ReservationServiceClient,
  ReservationSource,
  ReservationStatus,
} from '@reserveit/rpc/reservation/v1/reservation';
import type { TestNats } from '@reserveit/testkit';
import { beforeAll, describe, expect, it } from 'vitest';
import { type DayCommand, decideDay } from '../src/domain/index.js';
import type { RunningReservation } from '../src/server.js';
import { createBooking, dayHarness } from './day-harness.js';
import { NOW, rpc, SEED, useReservationServices } from './reservation-under-test.js';

describe('the no-show check on the day aggregate', () => {
  const { ctx, given } = dayHarness(NOW);
  const create = createBooking();
  const startsAt = () => given([create]).bookings.get('a')?.startsAt ?? '';
  const check = (autoMark: boolean, at = startsAt()): DayCommand => ({
    type: 'checkNoShow',
    reservationId: 'a',
    startsAt: at,
    graceMinutes: 20,
    autoMark,
  });

  it('flags a guest not seated once, and marks them no-show instead when the restaurant chose so', () => {
    const flagged = decideDay(check(false), given([create]), ctx());
    expect(flagged).toMatchObject({
      ok: true,
      events: [{ type: T.reservationNoShowFlagged, graceMinutes: 20 }],
    });
    expect(decideDay(check(false), given([create, check(false)]), ctx())).toMatchObject({
      ok: true,
      events: [],
    });
    const marked = decideDay(check(true), given([create]), ctx());
    expect(marked).toMatchObject({ ok: true, events: [{ type: T.reservationNoShow, by: 'assistant' }] });
  });

  it('leaves a seated or cancelled booking alone, and one moved to another time (its own check is planned)', () => {
    const seated = given([create, { type: 'setStatus', reservationId: 'a', status: 'seated' }]);
    expect(decideDay(check(true), seated, ctx())).toMatchObject({ ok: true, events: [] });
    const cancelled = given([create, { type: 'cancel', reservationId: 'a', reason: '', byStaff: true }]);
    expect(decideDay(check(false), cancelled, ctx())).toMatchObject({ ok: true, events: [] });
    expect(decideDay(check(true, '2026-06-03T18:00:00.000Z'), given([create]), ctx())).toMatchObject({
      ok: true,
      events: [],
    });
  });
});

describe('no-show checks handed over by the scheduler', () => {
  const BIZ = 'demo-dubai';
  let key = 0;
  const suite = useReservationServices({
    env: { RESERVATION_SEED_FILE: SEED },
    as: { staff: true, restaurants: [BIZ] },
  });
  let service: RunningReservation;
  let client: ReservationServiceClient;
  let nats: TestNats;

  beforeAll(async () => {
    ({ service, nats } = suite);
    client = suite.client();
  });

  const book = async () => {
    const { reservation } = await rpc(client, client.createReservation, {
      businessId: BIZ,
      idempotencyKey: `no-show-${++key}`,
      guestWaId: '971500000009',
      guestName: `Guest ${key}`,
      partySize: 2,
      date: '2026-06-03',
      time: '19:00',
      notes: '',
      source: ReservationSource.RESERVATION_SOURCE_WHATSAPP,
    });
    if (!reservation) throw new Error('no reservation');
    return reservation;
  };
  const noShow = (autoMark: boolean) =>
    rpc(client, client.updateBusinessSettings, {
      businessId: BIZ,
      greetings: {},
      hasGreetings: false,
      followUps: {
        reminders: { ...DEFAULT_FOLLOW_UPS.reminders, quietHours: undefined, templateName: '' },
        noShow: { enabled: true, graceMinutes: 20, autoMark, messageGuest: false },
        feedback: DEFAULT_FOLLOW_UPS.feedback,
      },
    });
  const handOver = async (reservationId: string, startsAt: string, msgId?: string) => {
    const key = `no-show:${reservationId}`;
    const dueAt = new Date(Date.parse(startsAt) + 20 * 60_000).toISOString();
    const work: WorkDue = {
      v: 1,
      type: SCHEDULED_WORK_TYPES.due,
      id: workDueId(key, dueAt),
      key,
      dueAt,
      at: dueAt,
      work: { kind: 'no_show_check', reservationId, businessId: BIZ, serviceDate: '2026-06-03', startsAt },
    };
    await publish(nats.js, {
      subject: service.topology.subjects.workDue(BIZ),
      msgId: msgId ?? work.id,
      data: JSON.stringify(work),
      timeoutMs: 5_000,
    });
  };
  const flags = async (reservationId: string) => {
    const info = await nats.jsm.streams.info(service.topology.streams.reservations.name);
    let count = 0;
    for (let seq = info.state.first_seq; seq <= info.state.last_seq; seq++) {
      const message = await nats.jsm.streams.getMessage(service.topology.streams.reservations.name, { seq });
      const event = message?.json<{ type: string; reservationId?: string }>();
      if (event?.type === T.reservationNoShowFlagged && event.reservationId === reservationId) count += 1;
    }
    return count;
  };
  const get = async (reservationId: string) =>
    (await rpc(client, client.getReservation, { reservationId, businessId: BIZ })).reservation;

  it('flags a booking not seated after the grace time once, though the check came twice', async () => {
    await noShow(false);
    const booking = await book();
    await handOver(booking.id, booking.startsAt);
    await expect.poll(async () => (await get(booking.id))?.noShowFlaggedAt, { timeout: 15_000 }).not.toBe('');
    await handOver(booking.id, booking.startsAt, `again-${booking.id}`);
    const seated = await book();
    await rpc(client, client.setReservationStatus, {
      reservationId: seated.id,
      businessId: BIZ,
      status: ReservationStatus.RESERVATION_STATUS_SEATED,
      staff: '',
    });
    await handOver(seated.id, seated.startsAt);
    // The later check, of a seated guest, is decided after the repeat: neither adds a flag.
    await expect
      .poll(async () => (await fetch(`${service.httpAddress}/metrics`)).text(), { timeout: 15_000 })
      .toMatch(/reservation_scheduled_checks_total\{[^}]*outcome="checked"[^}]*\} 3/);
    expect(await flags(booking.id)).toBe(1);
    expect(await flags(seated.id)).toBe(0);
    expect((await get(booking.id))?.status).toBe(ReservationStatus.RESERVATION_STATUS_CONFIRMED);
  });

  it('marks the guest no-show on its own when the restaurant chose that', async () => {
    await noShow(true);
    const booking = await book();
    await handOver(booking.id, booking.startsAt);
    await expect
      .poll(async () => (await get(booking.id))?.status, { timeout: 15_000 })
      .toBe(ReservationStatus.RESERVATION_STATUS_NO_SHOW);
  });
});
