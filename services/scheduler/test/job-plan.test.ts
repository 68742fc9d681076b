import { type DayEvent, DEFAULT_FOLLOW_UPS, type FollowUpSettings } from '@reserveit/contracts';
import { describe, expect, it } from 'vitest';
import { type BookingState, evolveBooking } from '../src/domain/booking-state.js';
import { type BusinessFollowUps, planJobs } from '../src/domain/job-plan.js';
import { beforeLocally, outsideQuietHours } from '../src/domain/reminder-time.js';

const MADRID = 'Europe/Madrid';
const at = (iso: string) => Date.parse(iso);
const business = (followUps: Partial<FollowUpSettings> = {}): BusinessFollowUps => ({
  timezone: MADRID,
  followUps: { ...DEFAULT_FOLLOW_UPS, ...followUps },
});
const noQuiet = { ...DEFAULT_FOLLOW_UPS.reminders, quietHours: null };

const booking = (startsAt: string, stage: BookingState['stage'] = 'upcoming'): BookingState => ({
  reservationId: 'r1',
  businessId: 'casa',
  serviceDate: startsAt.slice(0, 10),
  startsAt,
  guestId: '34600000001',
  partySize: 2,
  stage,
});

const base = { v: 1 as const, businessId: 'casa', reservationId: 'r1', serviceDate: '2027-03-28' };
const created: DayEvent = {
  v: 1,
  id: 'e1',
  at: '2027-03-25T10:00:00.000Z',
  type: 'reservation.created',
  booking: {
    reservationId: 'r1',
    businessId: 'casa',
    serviceDate: '2027-03-28',
    guestWaId: '34600000001',
    guestName: 'Ana',
    partySize: 2,
    startsAt: '2027-03-28T18:00:00.000Z',
    endsAt: '2027-03-28T20:00:00.000Z',
    status: 'confirmed',
    notes: '',
    source: 'whatsapp',
    idempotencyKey: 'k1',
  },
};

describe('reminder times', () => {
  it('puts "a day before" a 20:00 booking at 20:00 local on the eve of the spring DST change (23 elapsed hours)', () => {
    // 2027-03-28 is Europe/Madrid's last Sunday of March: 20:00 CEST = 18:00Z; the eve's 20:00 is CET = 19:00Z.
    expect(new Date(beforeLocally(at('2027-03-28T18:00:00Z'), 24 * 60, MADRID)).toISOString()).toBe(
      '2027-03-27T19:00:00.000Z',
    );
  });

  it('puts "a day before" at the same local time across the autumn change (25 elapsed hours)', () => {
    // 2027-10-31: 20:00 CET = 19:00Z; the eve's 20:00 is CEST = 18:00Z.
    expect(new Date(beforeLocally(at('2027-10-31T19:00:00Z'), 24 * 60, MADRID)).toISOString()).toBe(
      '2027-10-30T18:00:00.000Z',
    );
  });

  it('counts offsets under a day in elapsed minutes, also across the change', () => {
    // 03:30 CEST on the change day (01:30Z) minus 2 h is 23:30Z of the day before: 00:30 CET.
    expect(new Date(beforeLocally(at('2027-03-28T01:30:00Z'), 120, MADRID)).toISOString()).toBe(
      '2027-03-27T23:30:00.000Z',
    );
  });

  it('moves a reminder inside overnight quiet hours to the minute before they began, after or before midnight', () => {
    const quiet = { start: '22:00', end: '08:00' };
    // 07:00 local (CET, 06:00Z) → 21:59 local the evening before (20:59Z).
    expect(new Date(outsideQuietHours(at('2027-01-15T06:00:00Z'), quiet, MADRID)).toISOString()).toBe(
      '2027-01-14T20:59:00.000Z',
    );
    // 23:00 local → 21:59 the same evening.
    expect(new Date(outsideQuietHours(at('2027-01-15T22:00:00Z'), quiet, MADRID)).toISOString()).toBe(
      '2027-01-15T20:59:00.000Z',
    );
    expect(outsideQuietHours(at('2027-01-15T12:00:00Z'), quiet, MADRID)).toBe(at('2027-01-15T12:00:00Z'));
    expect(outsideQuietHours(at('2027-01-15T06:00:00Z'), null, MADRID)).toBe(at('2027-01-15T06:00:00Z'));
  });

  it('moves a reminder inside daytime quiet hours to the minute before they began', () => {
    const quiet = { start: '14:00', end: '16:00' };
    expect(new Date(outsideQuietHours(at('2027-01-15T14:30:00Z'), quiet, MADRID)).toISOString()).toBe(
      '2027-01-15T12:59:00.000Z',
    );
  });
});

describe('planJobs', () => {
  const now = at('2027-03-25T10:00:00Z');

  it('plans both reminders of a booking three days ahead and drops every other key', () => {
    const plan = planJobs(booking('2027-03-28T18:00:00.000Z'), business({ reminders: noQuiet }), now);
    expect(plan.put.map((job) => [job.key, job.dueAt, job.work.kind])).toEqual([
      ['reminder:r1:0', '2027-03-27T19:00:00.000Z', 'reminder'],
      ['reminder:r1:1', '2027-03-28T16:00:00.000Z', 'reminder'],
    ]);
    expect(plan.drop).toEqual(['reminder:r1:2', 'no-show:r1', 'feedback:r1']);
  });

  it('puts nothing that is already due: a booking changed after its first reminder keeps only the second', () => {
    const plan = planJobs(booking('2027-03-28T18:00:00.000Z'), business(), at('2027-03-28T08:00:00Z'));
    expect(plan.put.map((job) => job.key)).toEqual(['reminder:r1:1']);
    expect(plan.drop).toContain('reminder:r1:0');
  });

  it('drops every job of a cancelled booking', () => {
    const plan = planJobs(booking('2027-03-28T18:00:00.000Z', 'gone'), business(), now);
    expect(plan.put).toEqual([]);
    expect(plan.drop).toHaveLength(5);
  });

  it('plans a no-show check the grace minutes after the booking only when the restaurant turned it on', () => {
    const off = planJobs(booking('2027-03-28T18:00:00.000Z'), business(), now);
    expect(off.put.map((job) => job.key)).not.toContain('no-show:r1');
    const on = planJobs(
      booking('2027-03-28T18:00:00.000Z'),
      business({ noShow: { enabled: true, graceMinutes: 15, autoMark: false, messageGuest: false } }),
      now,
    );
    expect(on.put.find((job) => job.key === 'no-show:r1')?.dueAt).toBe('2027-03-28T18:15:00.000Z');
  });

  it('asks for feedback only from a seated booking, the delay after it was seated', () => {
    const feedback = { enabled: true, delayMinutes: 120 };
    const upcoming = planJobs(booking('2027-03-28T18:00:00.000Z'), business({ feedback }), now);
    expect(upcoming.put.map((job) => job.work.kind)).not.toContain('feedback_request');
    const seated = { ...booking('2027-03-28T18:00:00.000Z', 'seated'), seatedAt: '2027-03-28T18:05:00.000Z' };
    const plan = planJobs(seated, business({ feedback }), now);
    expect(plan.put.map((job) => [job.key, job.dueAt])).toEqual([
      ['feedback:r1', '2027-03-28T20:05:00.000Z'],
    ]);
    expect(plan.drop).toContain('reminder:r1:0');
  });

  it('plans no reminders when the restaurant turned them off', () => {
    const plan = planJobs(
      booking('2027-03-28T18:00:00.000Z'),
      business({ reminders: { ...noQuiet, enabled: false } }),
      now,
    );
    expect(plan.put).toEqual([]);
  });
});

describe('evolveBooking', () => {
  it('follows a booking through a modification, seating and finishing, keeping when it was seated', () => {
    let state = evolveBooking(undefined, created);
    expect(state?.stage).toBe('upcoming');
    state = evolveBooking(state, {
      ...base,
      id: 'e2',
      at: '2027-03-26T10:00:00.000Z',
      type: 'reservation.modified',
      partySize: 4,
      startsAt: '2027-03-28T19:00:00.000Z',
      endsAt: '2027-03-28T21:00:00.000Z',
    });
    expect(state?.startsAt).toBe('2027-03-28T19:00:00.000Z');
    state = evolveBooking(state, {
      ...base,
      id: 'e3',
      at: '2027-03-28T19:02:00.000Z',
      type: 'reservation.seated',
    });
    state = evolveBooking(state, {
      ...base,
      id: 'e4',
      at: '2027-03-28T21:00:00.000Z',
      type: 'reservation.finished',
    });
    expect(state).toMatchObject({ stage: 'seated', seatedAt: '2027-03-28T19:02:00.000Z' });
  });

  it('ends a booking on cancellation and no-show, but not on the release of the date it moved from', () => {
    const state = evolveBooking(undefined, created);
    const cancelled = evolveBooking(state, {
      ...base,
      id: 'e2',
      at: created.at,
      type: 'reservation.cancelled',
      reason: '',
    });
    expect(cancelled?.stage).toBe('gone');
    const noShow = evolveBooking(state, { ...base, id: 'e2', at: created.at, type: 'reservation.no_show' });
    expect(noShow?.stage).toBe('gone');
    const released = evolveBooking(state, {
      ...base,
      serviceDate: '2027-03-27',
      id: 'e2',
      at: created.at,
      type: 'reservation.moved_out',
      movedTo: '2027-03-28',
    });
    expect(released?.stage).toBe('upcoming');
  });

  it('knows nothing of a booking whose creation it never saw', () => {
    expect(
      evolveBooking(undefined, { ...base, id: 'e9', at: created.at, type: 'reservation.seated' }),
    ).toBeUndefined();
  });
});
