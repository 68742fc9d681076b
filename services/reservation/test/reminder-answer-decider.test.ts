import { RESERVATION_EVENT_TYPES as T } from '@reserveit/contracts';
import { describe, expect, it } from 'vitest';
import { type DayCommand, decideDay, evolveDay, initialDayState } from '../src/domain/index.js';
import { createBooking, dayHarness } from './day-harness.js';

const NOW = Date.parse('2026-06-01T06:00:00Z');
const { ctx, given } = dayHarness(NOW);
const create = createBooking();
const answer = (value: 'confirmed' | 'running_late', minutes?: number): DayCommand => ({
  type: 'answerReminder',
  reservationId: 'a',
  answer: value,
  ...(minutes === undefined ? {} : { minutes }),
});

describe('the guest answers a reminder', () => {
  it('records a confirmation once: saying it again changes nothing', () => {
    const state = given([create]);
    const first = decideDay(answer('confirmed'), state, ctx());
    if (!first.ok) throw new Error(first.rejection.code);
    expect(first.events.map((e) => e.type)).toEqual([T.reservationGuestConfirmed]);
    expect(first.booking.guestConfirmedAt).toBe(new Date(NOW).toISOString());
    const after = first.events.reduce(evolveDay, state);
    expect(after.bookings.get('a')?.guestConfirmedAt).toBe(new Date(NOW).toISOString());
    const again = decideDay(answer('confirmed'), after, ctx());
    expect(again).toMatchObject({ ok: true, events: [], replayed: true });
  });

  it('records running late with its minutes, a new number as a new event, and refuses a lateness out of range', () => {
    const state = given([create]);
    const late = decideDay(answer('running_late', 15), state, ctx());
    if (!late.ok) throw new Error(late.rejection.code);
    expect(late.events).toMatchObject([{ type: T.reservationRunningLate, minutes: 15, reservationId: 'a' }]);
    const after = late.events.reduce(evolveDay, state);
    expect(after.bookings.get('a')?.lateMinutes).toBe(15);
    expect(decideDay(answer('running_late', 15), after, ctx())).toMatchObject({ ok: true, events: [] });
    expect(decideDay(answer('running_late', 30), after, ctx())).toMatchObject({
      ok: true,
      events: [{ minutes: 30 }],
    });
    expect(decideDay(answer('running_late', 0), after, ctx())).toMatchObject({
      ok: false,
      rejection: { code: 'INVALID_ARGUMENT' },
    });
  });

  it('takes no answer for a cancelled, seated or unknown booking', () => {
    const cancelled = given([create, { type: 'cancel', reservationId: 'a', reason: '', byStaff: true }]);
    expect(decideDay(answer('confirmed'), cancelled, ctx())).toMatchObject({
      ok: false,
      rejection: { code: 'ALREADY_CANCELLED' },
    });
    const seated = given([create, { type: 'setStatus', reservationId: 'a', status: 'seated' }]);
    expect(decideDay(answer('running_late', 10), seated, ctx())).toMatchObject({
      ok: false,
      rejection: { code: 'INVALID_TRANSITION' },
    });
    expect(decideDay(answer('confirmed'), initialDayState(), ctx())).toMatchObject({ ok: false });
  });
});
