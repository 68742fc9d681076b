import { type Booking, RESERVATION_EVENT_TYPES as T } from '@reserveit/contracts';
import { describe, expect, it } from 'vitest';
import {
  type DayCommand,
  type DayState,
  daySheet,
  decideBusiness,
  decideDay,
  evolveBusiness,
  evolveDay,
  initialDayState,
  type StaffStatus,
} from '../src/domain/index.js';
import { createBooking, DAY, dayHarness } from './day-harness.js';
import { businessFixture } from './fixtures.js';

/** Two days before; the 19:00 seating (Asia/Dubai) is 15:00–16:30 UTC. */
const NOW = Date.parse('2026-06-01T06:00:00Z');
const { business, ctx, given } = dayHarness(NOW);
let counter = 0;

const create = (id: string, time: string, partySize: number, source: Booking['source'] = 'whatsapp') =>
  createBooking({ reservationId: id, time, partySize, notes: 'window seat', source });
const setStatus = (id: string, status: StaffStatus, by?: string): DayCommand => ({
  type: 'setStatus',
  reservationId: id,
  status,
  ...(by ? { by } : {}),
});

/** A day holding booking `a` (party of 2 at 19:00) in `status`, the way staff or the guest got it there. */
function bookingIn(status: Booking['status']): DayState {
  const confirmed = given([create('a', '19:00', 2)]);
  switch (status) {
    case 'pending': {
      // No command makes a pending booking today; older events may hold one.
      const booking = confirmed.bookings.get('a');
      if (!booking) throw new Error('no booking');
      return evolveDay(initialDayState(), {
        v: 1,
        id: 'p',
        at: new Date(NOW).toISOString(),
        type: T.reservationCreated,
        booking: { ...booking, status: 'pending' },
      });
    }
    case 'confirmed':
      return confirmed;
    case 'cancelled':
      return given([{ type: 'cancel', reservationId: 'a', reason: '', byStaff: true }], confirmed);
    case 'seated':
    case 'no_show':
      return given([setStatus('a', status)], confirmed);
    case 'finished':
      return given([setStatus('a', 'seated'), setStatus('a', 'finished')], confirmed);
    default:
      throw new Error(`no way to ${status}`);
  }
}

type Expected = 'set' | 'replayed' | 'ALREADY_CANCELLED' | 'INVALID_TRANSITION';
const TRANSITIONS: Record<StaffStatus, Record<Booking['status'], Expected>> = {
  seated: {
    pending: 'set',
    confirmed: 'set',
    no_show: 'set',
    seated: 'replayed',
    finished: 'INVALID_TRANSITION',
    cancelled: 'ALREADY_CANCELLED',
  },
  finished: {
    seated: 'set',
    finished: 'replayed',
    pending: 'INVALID_TRANSITION',
    confirmed: 'INVALID_TRANSITION',
    no_show: 'INVALID_TRANSITION',
    cancelled: 'ALREADY_CANCELLED',
  },
  no_show: {
    pending: 'set',
    confirmed: 'set',
    no_show: 'replayed',
    seated: 'INVALID_TRANSITION',
    finished: 'INVALID_TRANSITION',
    cancelled: 'ALREADY_CANCELLED',
  },
};
const EVENT = { seated: T.reservationSeated, finished: T.reservationFinished, no_show: T.reservationNoShow };

describe('staff statuses in the day decider', () => {
  for (const [to, fromAll] of Object.entries(TRANSITIONS) as [
    StaffStatus,
    Record<Booking['status'], Expected>,
  ][]) {
    for (const [from, expected] of Object.entries(fromAll) as [Booking['status'], Expected][]) {
      it(`${to} from ${from}: ${expected}`, () => {
        const state = bookingIn(from);
        const decision = decideDay(setStatus('a', to, 'Omar'), state, ctx());
        if (expected === 'set') {
          expect(decision).toMatchObject({ ok: true, replayed: false, booking: { status: to } });
          if (!decision.ok) return;
          expect(decision.events).toEqual([
            {
              v: 1,
              id: expect.any(String),
              at: new Date(NOW).toISOString(),
              type: EVENT[to],
              reservationId: 'a',
              businessId: business.businessId,
              serviceDate: DAY,
              by: 'Omar',
            },
          ]);
          const after = decision.events.reduce<DayState>((s, e) => evolveDay(s, e), state);
          expect(after.bookings.get('a')).toEqual(decision.booking);
        } else if (expected === 'replayed') {
          expect(decision).toMatchObject({ ok: true, events: [], replayed: true, booking: { status: to } });
        } else {
          expect(decision).toMatchObject({ ok: false, rejection: { code: expected } });
        }
      });
    }
  }

  it('leaves `by` out when no staff member is named, and refuses an unknown or moved reservation', () => {
    const decision = decideDay(setStatus('a', 'seated'), bookingIn('confirmed'), ctx());
    expect(decision.ok && decision.events[0]).not.toHaveProperty('by');
    expect(decideDay(setStatus('zz', 'seated'), bookingIn('confirmed'), ctx())).toMatchObject({
      ok: false,
      rejection: { code: 'NOT_FOUND' },
    });
    const moved = given(
      [{ type: 'moveOut', reservationId: 'a', movedTo: '2026-06-04' }],
      bookingIn('confirmed'),
    );
    expect(decideDay(setStatus('a', 'seated'), moved, ctx())).toMatchObject({
      ok: false,
      rejection: { code: 'MOVED', movedTo: '2026-06-04' },
    });
  });

  it("frees a no-show's covers, and seats the late party again only while they fit", () => {
    const full = given([create('a', '19:00', 8), setStatus('a', 'no_show')]);
    expect(decideDay(create('b', '19:00', 8), full, ctx()).ok).toBe(true);
    const small = given([create('c', '19:30', 2)], full);
    expect(decideDay(setStatus('a', 'seated'), small, ctx()).ok).toBe(true);
    const taken = given([create('b', '19:00', 8)], full);
    expect(decideDay(setStatus('a', 'seated'), taken, ctx())).toMatchObject({
      ok: false,
      rejection: { code: 'NO_CAPACITY' },
    });
  });

  it('frees the covers of a finished party from the moment it finished, not earlier', () => {
    // Seated at 19:00 for 90 minutes, finished at 19:30 (15:30 UTC).
    const finishedAt = Date.parse('2026-06-03T15:30:00Z');
    const seated = given([create('a', '19:00', 8), setStatus('a', 'seated')]);
    const finished = given([setStatus('a', 'finished')], seated, finishedAt);
    expect(finished.bookings.get('a')).toMatchObject({
      status: 'finished',
      finishedAt: '2026-06-03T15:30:00.000Z',
    });
    // 19:15 overlaps the half hour the party sat; 19:30 starts as it left.
    expect(decideDay(create('b', '19:15', 8, 'staff'), finished, ctx(finishedAt))).toMatchObject({
      ok: false,
      rejection: { code: 'NO_CAPACITY' },
    });
    expect(decideDay(create('b', '19:30', 8, 'staff'), finished, ctx(finishedAt)).ok).toBe(true);
    expect(decideDay(create('b', '19:30', 8, 'staff'), seated, ctx(finishedAt))).toMatchObject({
      ok: false,
      rejection: { code: 'NO_CAPACITY' },
    });
  });
});

describe('staff bookings and modifications in the day decider', () => {
  // 18:40 in Dubai on the service date: the 19:00 seating is inside the 60-minute lead time.
  const evening = Date.parse('2026-06-03T14:40:00Z');

  it('lets staff book inside the lead time and the seating under way, but not a seating that is over', () => {
    expect(decideDay(create('g', '19:00', 2), initialDayState(), ctx(evening))).toMatchObject({
      ok: false,
      rejection: { code: 'TOO_SOON' },
    });
    expect(decideDay(create('s', '19:00', 2, 'staff'), initialDayState(), ctx(evening))).toMatchObject({
      ok: true,
      booking: { source: 'staff', status: 'confirmed' },
    });
    expect(decideDay(create('s', '18:30', 2, 'staff'), initialDayState(), ctx(evening)).ok).toBe(true);
    expect(decideDay(create('s', '12:00', 2, 'staff'), initialDayState(), ctx(evening))).toMatchObject({
      ok: false,
      rejection: { code: 'TOO_SOON' },
    });
    const full = given(
      [create('x', '19:00', 8, 'staff'), create('y', '19:00', 2, 'staff')],
      initialDayState(),
      evening,
    );
    expect(decideDay(create('s', '19:00', 1, 'staff'), full, ctx(evening))).toMatchObject({
      ok: false,
      rejection: { code: 'NO_CAPACITY' },
    });
  });

  it('changes the name and notes, clears notes with "", and repeats without an event', () => {
    const state = given([create('a', '19:00', 2)]);
    const renamed = decideDay(
      { type: 'modify', reservationId: 'a', guestName: 'Layla Haddad', notes: '' },
      state,
      ctx(),
    );
    expect(renamed).toMatchObject({
      ok: true,
      booking: { guestName: 'Layla Haddad', notes: '', partySize: 2 },
    });
    if (!renamed.ok) return;
    expect(renamed.events[0]).toMatchObject({
      type: T.reservationModified,
      guestName: 'Layla Haddad',
      notes: '',
    });
    const after = renamed.events.reduce<DayState>((s, e) => evolveDay(s, e), state);
    expect(after.bookings.get('a')).toEqual(renamed.booking);
    expect(
      decideDay({ type: 'modify', reservationId: 'a', guestName: 'Layla Haddad', notes: '' }, after, ctx()),
    ).toMatchObject({ ok: true, events: [], replayed: true });
    // Only what changed is in the event.
    const noted = decideDay(
      { type: 'modify', reservationId: 'a', guestName: 'Layla Haddad', notes: 'cake' },
      after,
      ctx(),
    );
    expect(noted.ok && noted.events[0]).not.toHaveProperty('guestName');
  });

  it('lets staff rename a seated party after its start, where a guest is past the cutoff', () => {
    const seated = given([create('a', '19:00', 2), setStatus('a', 'seated')]);
    const during = Date.parse('2026-06-03T15:20:00Z');
    expect(
      decideDay({ type: 'modify', reservationId: 'a', notes: 'birthday' }, seated, ctx(during)),
    ).toMatchObject({
      ok: false,
      rejection: { code: 'TOO_LATE' },
    });
    expect(
      decideDay(
        { type: 'modify', reservationId: 'a', notes: 'birthday', byStaff: true },
        seated,
        ctx(during),
      ),
    ).toMatchObject({ ok: true, booking: { notes: 'birthday', status: 'seated' } });
  });
});

describe('the day sheet', () => {
  it('counts the covers in the room during each slot, and lists by time then name', () => {
    const state = given([
      create('z', '19:00', 4),
      { ...create('y', '19:00', 2), guestName: 'Adam' },
      create('x', '20:00', 3),
      setStatus('x', 'no_show'),
      create('w', '21:00', 5),
      { type: 'cancel', reservationId: 'w', reason: '', byStaff: true },
    ]);
    const sheet = daySheet(business, DAY, state, false);
    const used = new Map(sheet.slots.map((slot) => [slot.time, slot.coversUsed]));
    expect(sheet.closedReason).toBeUndefined();
    expect(sheet.slots[0]).toMatchObject({ time: '12:00', capacityCovers: 10, coversUsed: 0 });
    // 19:00–20:30 holds 6 during the slots it spans; the no-show and the cancel hold none.
    expect([
      used.get('18:00'),
      used.get('19:00'),
      used.get('20:15'),
      used.get('20:30'),
      used.get('21:00'),
    ]).toEqual([0, 6, 6, 0, 0]);
    expect(sheet.bookings.map((b) => b.reservationId)).toEqual(['y', 'z', 'x']);
    expect(daySheet(business, DAY, state, true).bookings.map((b) => b.reservationId)).toEqual([
      'y',
      'z',
      'x',
      'w',
    ]);
  });

  it('says CLOSED for a date without seatings and still lists its bookings', () => {
    const state = given([create('a', '19:00', 2)]);
    const closed = businessFixture({ hours: { closedDates: [DAY] } });
    expect(daySheet(closed, DAY, state, false)).toMatchObject({ closedReason: 'CLOSED', slots: [] });
    expect(daySheet(closed, DAY, state, false).bookings).toHaveLength(1);
  });
});

describe('business settings', () => {
  const bctx = { nowMs: NOW, newEventId: () => `b${++counter}`, ownerOfPhoneNumber: () => undefined };
  const template = {
    name: 'booking_reminder',
    language: 'en_US',
    bodyParameters: 2,
    category: 'UTILITY' as const,
  };

  it('records only the parts given, and the business keeps the others', () => {
    const decision = decideBusiness(
      {
        type: 'setSettings',
        businessId: business.businessId,
        settings: { name: 'Chez Fixture', templates: [template] },
      },
      business,
      bctx,
    );
    expect(decision).toMatchObject({ ok: true });
    if (!decision.ok) return;
    expect(decision.events).toEqual([
      {
        v: 1,
        id: expect.any(String),
        at: new Date(NOW).toISOString(),
        type: T.businessSettingsSet,
        businessId: business.businessId,
        name: 'Chez Fixture',
        templates: [template],
      },
    ]);
    const after = decision.events.reduce(evolveBusiness, business);
    expect(after?.profile).toEqual({ ...business.profile, name: 'Chez Fixture', templates: [template] });
    const rules = { ...business.profile.rules, capacityCovers: 60 };
    const again = decideBusiness(
      { type: 'setSettings', businessId: business.businessId, settings: { rules, greetings: {} } },
      after,
      bctx,
    );
    const latest = again.ok ? again.events.reduce(evolveBusiness, after) : undefined;
    expect(latest?.profile).toMatchObject({
      name: 'Chez Fixture',
      rules,
      greetings: {},
      templates: [template],
    });
  });

  it('sets the booking Flow id alone as a settings event, and "" clears it', () => {
    const decision = decideBusiness(
      { type: 'setSettings', businessId: business.businessId, settings: { bookingFlowId: '556677' } },
      business,
      bctx,
    );
    if (!decision.ok) throw new Error(decision.rejection.message);
    expect(decision.events).toEqual([
      expect.objectContaining({ type: 'business.settings.set', bookingFlowId: '556677' }),
    ]);
    expect(Object.keys(decision.events[0] ?? {})).not.toContain('name');
    const after = decision.events.reduce(evolveBusiness, business);
    expect(after?.profile).toEqual({ ...business.profile, bookingFlowId: '556677' });
    const cleared = decideBusiness(
      { type: 'setSettings', businessId: business.businessId, settings: { bookingFlowId: '' } },
      after,
      bctx,
    );
    if (!cleared.ok) throw new Error(cleared.rejection.message);
    expect(cleared.events.reduce(evolveBusiness, after)?.profile.bookingFlowId).toBe('');
  });

  it('refuses settings with no part, and settings of an unknown business', () => {
    expect(
      decideBusiness({ type: 'setSettings', businessId: business.businessId, settings: {} }, business, bctx),
    ).toMatchObject({ ok: false, rejection: { code: 'INVALID_ARGUMENT' } });
    expect(
      decideBusiness({ type: 'setSettings', businessId: 'nobody', settings: { name: 'x' } }, undefined, bctx),
    ).toMatchObject({ ok: false, rejection: { code: 'NOT_FOUND' } });
  });
});
