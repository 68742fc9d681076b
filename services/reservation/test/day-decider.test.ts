import type { DayEvent } from '@reserveit/contracts';
import { describe, expect, it } from 'vitest';
import {
  type DayCommand,
  type DayState,
  decideDay,
  evolveDay,
  initialDayState,
} from '../src/domain/index.js';
import { businessFixture } from './fixtures.js';

const business = businessFixture();
const NOW = Date.parse('2026-06-01T06:00:00Z');
let counter = 0;
const ctx = (nowMs = NOW) => ({
  business,
  serviceDate: '2026-06-03',
  nowMs,
  newEventId: () => `e${++counter}`,
});

const create = (id: string, time: string, partySize: number): DayCommand => ({
  type: 'create',
  reservationId: id,
  idempotencyKey: `key-${id}`,
  serviceDate: '2026-06-03',
  time,
  partySize,
  guestWaId: '971500000001',
  guestName: 'Layla',
  notes: '',
  source: 'whatsapp',
});

/** given(events) → when(command) → state after, like Emmett's DeciderSpecification. */
function given(...commands: DayCommand[]): DayState {
  let state = initialDayState();
  for (const command of commands) {
    const decision = decideDay(command, state, ctx());
    if (!decision.ok) throw new Error(`given: ${decision.rejection.code}`);
    state = decision.events.reduce<DayState>((s, e: DayEvent) => evolveDay(s, e), state);
  }
  return state;
}

describe('day decider', () => {
  it('confirms a booking with an event that names the slot in UTC', () => {
    const decision = decideDay(create('r1', '19:00', 2), initialDayState(), ctx());
    expect(decision.ok).toBe(true);
    if (!decision.ok) return;
    expect(decision.events).toHaveLength(1);
    expect(decision.events[0]).toMatchObject({ type: 'reservation.created', id: 'r1:created' });
    expect(decision.booking).toMatchObject({
      status: 'confirmed',
      startsAt: '2026-06-03T15:00:00.000Z',
      endsAt: '2026-06-03T16:30:00.000Z',
    });
  });

  it('returns the existing booking and no event when the same reservation is created again', () => {
    const state = given(create('r1', '19:00', 2));
    const decision = decideDay(create('r1', '20:00', 4), state, ctx());
    expect(decision).toMatchObject({ ok: true, events: [], replayed: true, booking: { partySize: 2 } });
  });

  it('refuses the party that does not fit and accepts the one that does', () => {
    const state = given(create('a', '19:00', 4), create('b', '19:30', 4));
    expect(decideDay(create('c', '19:15', 4), state, ctx())).toMatchObject({
      ok: false,
      rejection: { code: 'NO_CAPACITY' },
    });
    expect(decideDay(create('d', '19:15', 2), state, ctx()).ok).toBe(true);
  });

  it('refuses a modify into a full slot and leaves the booking as it was', () => {
    const state = given(create('a', '19:00', 8), create('b', '21:00', 4));
    const decision = decideDay({ type: 'modify', reservationId: 'b', time: '19:30' }, state, ctx());
    expect(decision).toMatchObject({ ok: false, rejection: { code: 'NO_CAPACITY' } });
    expect(state.bookings.get('b')?.startsAt).toBe('2026-06-03T17:00:00.000Z');
  });

  it('lets a booking grow in place without competing with itself', () => {
    const state = given(create('a', '19:00', 6));
    const decision = decideDay({ type: 'modify', reservationId: 'a', partySize: 8 }, state, ctx());
    expect(decision).toMatchObject({
      ok: true,
      booking: { partySize: 8, startsAt: '2026-06-03T15:00:00.000Z' },
    });
  });

  it('frees the covers of a cancelled booking', () => {
    const state = given(create('a', '19:00', 8), {
      type: 'cancel',
      reservationId: 'a',
      reason: '',
      byStaff: false,
    });
    expect(state.bookings.get('a')?.status).toBe('cancelled');
    expect(decideDay(create('b', '19:00', 8), state, ctx()).ok).toBe(true);
  });

  it('refuses a guest cancel inside the cutoff but lets staff cancel', () => {
    const state = given(create('a', '19:00', 2));
    const late = Date.parse('2026-06-03T14:00:00Z');
    expect(
      decideDay({ type: 'cancel', reservationId: 'a', reason: '', byStaff: false }, state, ctx(late)),
    ).toMatchObject({
      ok: false,
      rejection: { code: 'TOO_LATE' },
    });
    expect(
      decideDay({ type: 'cancel', reservationId: 'a', reason: '', byStaff: true }, state, ctx(late)).ok,
    ).toBe(true);
  });

  it('answers MOVED for a reservation that left for another date, so a retried create does not rebook it', () => {
    const state = given(create('a', '19:00', 2), {
      type: 'moveOut',
      reservationId: 'a',
      movedTo: '2026-06-04',
    });
    expect(state.bookings.has('a')).toBe(false);
    expect(decideDay(create('a', '19:00', 2), state, ctx())).toMatchObject({
      ok: false,
      rejection: { code: 'MOVED', movedTo: '2026-06-04' },
    });
    expect(decideDay(create('z', '19:00', 8), state, ctx()).ok).toBe(true);
  });
});
