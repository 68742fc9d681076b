import type { DayEvent } from '@reserveit/contracts';
import { describe, expect, it } from 'vitest';
import {
  type Business,
  type DayCommand,
  type DayState,
  decideDay,
  decideWaitlist,
  evolveDay,
  initialDayState,
  occupancyOf,
  type WaitlistCommand,
} from '../src/domain/index.js';
import { businessFixture } from './fixtures.js';

const base = businessFixture();
const withWaitlist = (enabled: boolean): Business => ({
  ...base,
  profile: { ...base.profile, waitlist: { enabled, holdMinutes: 15 } },
});
const business = withWaitlist(true);
const DATE = '2026-06-03';
const NOW = Date.parse('2026-06-01T06:00:00Z');
let counter = 0;
const ctx = (nowMs = NOW, on: Business = business) => ({
  business: on,
  serviceDate: DATE,
  nowMs,
  newEventId: () => `e${++counter}`,
});

const create = (id: string, time: string, partySize: number): DayCommand => ({
  type: 'create',
  reservationId: id,
  idempotencyKey: `key-${id}`,
  serviceDate: DATE,
  time,
  partySize,
  guestWaId: `97150000${id}`,
  guestName: 'Layla',
  notes: '',
  source: 'whatsapp',
});
const join = (entryId: string, time: string, partySize: number): WaitlistCommand => ({
  type: 'join',
  entryId,
  time,
  partySize,
  guestWaId: `97155000${entryId}`,
  guestName: `Party ${entryId}`,
});

type Step = { day: DayCommand } | { wait: WaitlistCommand };
const apply = (state: DayState, events: DayEvent[]) => events.reduce(evolveDay, state);

function run(state: DayState, step: Step, nowMs = NOW) {
  const decision =
    'day' in step ? decideDay(step.day, state, ctx(nowMs)) : decideWaitlist(step.wait, state, ctx(nowMs));
  if (!decision.ok) throw new Error(`rejected: ${decision.rejection.code}`);
  return { state: apply(state, decision.events), events: decision.events };
}

function given(...steps: Step[]): DayState {
  return steps.reduce((state, step) => run(state, step).state, initialDayState());
}

/** 19:00 full (4 + 4 + 2 of 10), then parties of 6, 4 and 2 waiting, in that order. */
const fullWithThreeWaiting = () =>
  given(
    { day: create('r1', '19:00', 4) },
    { day: create('r2', '19:00', 4) },
    { day: create('r3', '19:00', 2) },
    { wait: join('a', '19:00', 6) },
    { wait: join('b', '19:00', 4) },
    { wait: join('c', '19:00', 2) },
  );

const offeredIds = (events: DayEvent[]) =>
  events.flatMap((e) => (e.type === 'waitlist.offered' ? [e.entryId] : []));

const coversAt1900 = (state: DayState) =>
  occupancyOf(state)
    .filter(
      (o) => o.startMs < Date.parse('2026-06-03T16:30:00Z') && Date.parse('2026-06-03T15:00:00Z') < o.endMs,
    )
    .reduce((sum, o) => sum + o.partySize, 0);

describe('waitlist decider', () => {
  it('lets a party join a full seating, in join order, and refuses a seating with room', () => {
    const state = fullWithThreeWaiting();
    expect([...state.waitlist.values()].map((p) => [p.entryId, p.status])).toEqual([
      ['a', 'waiting'],
      ['b', 'waiting'],
      ['c', 'waiting'],
    ]);
    const roomy = decideWaitlist(join('d', '12:00', 2), state, ctx());
    expect(roomy).toMatchObject({ ok: false, rejection: { code: 'NOT_FULL' } });
  });

  it('refuses to join when the restaurant keeps no waitlist', () => {
    const state = given({ day: create('r1', '19:00', 8) }, { day: create('r2', '19:00', 2) });
    const decision = decideWaitlist(join('a', '19:00', 2), state, ctx(NOW, withWaitlist(false)));
    expect(decision).toMatchObject({ ok: false, rejection: { code: 'WAITLIST_CLOSED' } });
  });

  it('answers the same entry and no event when a join is repeated', () => {
    const state = fullWithThreeWaiting();
    const again = decideWaitlist(join('a', '19:00', 6), state, ctx());
    expect(again).toMatchObject({ ok: true, events: [], replayed: true, place: { entryId: 'a' } });
  });

  it('offers 4 freed covers to the first waiting party that fits (b), passing over the 6 and holding them from c', () => {
    const { state, events } = run(fullWithThreeWaiting(), {
      day: { type: 'cancel', reservationId: 'r1', reason: '', byStaff: false },
    });
    expect(events.map((e) => e.type)).toEqual(['reservation.cancelled', 'waitlist.offered']);
    expect(offeredIds(events)).toEqual(['b']);
    expect(events[1]).toMatchObject({
      offerExpiresAt: new Date(NOW + 15 * 60_000).toISOString(),
      startsAt: '2026-06-03T15:00:00.000Z',
      partySize: 4,
    });
    expect(state.waitlist.get('b')?.status).toBe('offered');
    expect(coversAt1900(state)).toBe(10);
    // The hold is no free table for anyone else.
    const walkUp = decideDay(create('r9', '19:00', 2), state, ctx());
    expect(walkUp).toMatchObject({ ok: false, rejection: { code: 'NO_CAPACITY' } });
  });

  it('moves an expired offer on to the next party that fits, and expiring it again is a no-op', () => {
    const offered = run(fullWithThreeWaiting(), {
      day: { type: 'cancel', reservationId: 'r1', reason: '', byStaff: false },
    }).state;
    const later = NOW + 15 * 60_000;
    const { state, events } = run(offered, { wait: { type: 'expire', entryId: 'b' } }, later);
    expect(events.map((e) => e.type)).toEqual(['waitlist.offer_expired', 'waitlist.offered']);
    expect(offeredIds(events)).toEqual(['c']);
    expect(state.waitlist.get('b')?.status).toBe('expired');
    const again = decideWaitlist({ type: 'expire', entryId: 'b' }, state, ctx(later));
    expect(again).toMatchObject({ ok: true, events: [], replayed: true, place: { status: 'expired' } });
  });

  it('turns an accepted offer into a confirmed booking on the held covers, once', () => {
    const offered = run(fullWithThreeWaiting(), {
      day: { type: 'cancel', reservationId: 'r1', reason: '', byStaff: false },
    }).state;
    const decision = decideWaitlist({ type: 'accept', entryId: 'b' }, offered, ctx(NOW + 60_000));
    if (!decision.ok) throw new Error(decision.rejection.code);
    expect(decision.events.map((e) => e.type)).toEqual(['reservation.created', 'waitlist.offer_accepted']);
    expect(decision.booking).toMatchObject({
      status: 'confirmed',
      partySize: 4,
      guestWaId: '97155000b',
      startsAt: '2026-06-03T15:00:00.000Z',
    });
    const state = apply(offered, decision.events);
    expect(coversAt1900(state)).toBe(10);
    const again = decideWaitlist({ type: 'accept', entryId: 'b' }, state, ctx(NOW + 120_000));
    expect(again).toMatchObject({ ok: true, events: [], replayed: true, booking: decision.booking });
    const expireAfter = decideWaitlist({ type: 'expire', entryId: 'b' }, state, ctx(NOW + 15 * 60_000));
    expect(expireAfter).toMatchObject({ ok: true, events: [], place: { status: 'accepted' } });
  });

  it('refuses to accept an offer past its expiry, one never made, or one whose party left', () => {
    const offered = run(fullWithThreeWaiting(), {
      day: { type: 'cancel', reservationId: 'r1', reason: '', byStaff: false },
    }).state;
    const late = decideWaitlist({ type: 'accept', entryId: 'b' }, offered, ctx(NOW + 15 * 60_000));
    expect(late).toMatchObject({ ok: false, rejection: { code: 'OFFER_EXPIRED' } });
    const never = decideWaitlist({ type: 'accept', entryId: 'a' }, offered, ctx());
    expect(never).toMatchObject({ ok: false, rejection: { code: 'OFFER_EXPIRED' } });
    const unknown = decideWaitlist({ type: 'accept', entryId: 'zz' }, offered, ctx());
    expect(unknown).toMatchObject({ ok: false, rejection: { code: 'NOT_FOUND' } });
  });

  it('gives the hold of a party that leaves to the next party that fits', () => {
    const offered = run(fullWithThreeWaiting(), {
      day: { type: 'cancel', reservationId: 'r1', reason: '', byStaff: false },
    }).state;
    const { events } = run(offered, { wait: { type: 'leave', entryId: 'b' } });
    expect(events.map((e) => e.type)).toEqual(['waitlist.left', 'waitlist.offered']);
    expect(offeredIds(events)).toEqual(['c']);
  });

  it('offers the covers a smaller party frees, and those a party moving to another time frees', () => {
    const smaller = run(fullWithThreeWaiting(), {
      day: { type: 'modify', reservationId: 'r2', partySize: 2 },
    });
    expect(offeredIds(smaller.events)).toEqual(['c']);
    const moved = run(fullWithThreeWaiting(), {
      day: { type: 'modify', reservationId: 'r1', time: '12:00' },
    });
    expect(offeredIds(moved.events)).toEqual(['b']);
  });

  it('offers the covers of a no-show to a later overlapping seating that has not started', () => {
    const state = given(
      { day: create('r1', '19:00', 6) },
      { day: create('r2', '19:30', 4) },
      { wait: join('late', '19:30', 4) },
    );
    const noShowAt = Date.parse('2026-06-03T15:15:00Z');
    const { events } = run(
      state,
      { day: { type: 'setStatus', reservationId: 'r1', status: 'no_show' } },
      noShowAt,
    );
    expect(events.map((e) => e.type)).toEqual(['reservation.no_show', 'waitlist.offered']);
    expect(offeredIds(events)).toEqual(['late']);
  });

  it('offers several parties at once when the freed covers fit them all, never past capacity', () => {
    const state = fullWithThreeWaiting();
    const { state: after, events } = run(state, {
      day: { type: 'cancel', reservationId: 'r1', reason: '', byStaff: false },
    });
    const both = run(after, { day: { type: 'cancel', reservationId: 'r3', reason: '', byStaff: false } });
    expect(offeredIds(events)).toEqual(['b']);
    expect(offeredIds(both.events)).toEqual(['c']);
    expect(coversAt1900(both.state)).toBe(10);
  });
});
