import { addDays, isCalendarDate, localDateAt } from '@reserveit/time';
import type { Business } from './business.js';
import { type Slot, slotsOf } from './opening-slots.js';
import { type Rejection, reject } from './rejection.js';

/** What a booking holds: its covers for its seating. */
export interface Occupancy {
  reservationId: string;
  partySize: number;
  startMs: number;
  endMs: number;
}

export interface FreeSlot extends Slot {
  freeCovers: number;
}

export interface DayQuery {
  business: Business;
  serviceDate: string;
  partySize: number;
  nowMs: number;
  /** Active bookings of the service date. */
  occupancy: readonly Occupancy[];
  /** A booking being modified does not compete with itself. */
  excluding?: string;
}

/** Refusals that hold for the whole service date, whatever the time. */
export function dayRejection(query: Omit<DayQuery, 'occupancy'>): Rejection | undefined {
  const { business, serviceDate, partySize, nowMs } = query;
  const rules = business.profile.rules;
  if (!isCalendarDate(serviceDate))
    return reject('INVALID_ARGUMENT', 'The date must be a calendar date, YYYY-MM-DD.');
  if (partySize < 1) return reject('INVALID_ARGUMENT', 'The party needs at least one guest.');
  if (partySize > rules.maxPartySize) {
    return reject(
      'PARTY_TOO_LARGE',
      `Parties of more than ${rules.maxPartySize} need to call the restaurant.`,
    );
  }
  const today = localDateAt(nowMs, business.profile.timezone);
  if (serviceDate > addDays(today, rules.horizonDays)) {
    return reject('BEYOND_HORIZON', `Bookings open ${rules.horizonDays} days ahead.`);
  }
  // Yesterday's service may still be running past midnight; older dates are over.
  if (serviceDate < addDays(today, -1)) return reject('TOO_SOON', 'That date has passed.');
  return undefined;
}

/** Covers the bookings overlapping a slot's seating hold. */
export function coversTakenAt(
  slot: Pick<Slot, 'startMs' | 'endMs'>,
  query: Pick<DayQuery, 'occupancy' | 'excluding'>,
): number {
  let taken = 0;
  for (const booking of query.occupancy) {
    if (booking.reservationId === query.excluding) continue;
    if (booking.startMs < slot.endMs && slot.startMs < booking.endMs) taken += booking.partySize;
  }
  return taken;
}

/** Covers still free for a slot: capacity minus every active booking overlapping its seating. */
export function freeCoversAt(
  slot: Pick<Slot, 'startMs' | 'endMs'>,
  query: Pick<DayQuery, 'business' | 'occupancy' | 'excluding'>,
): number {
  return query.business.profile.rules.capacityCovers - coversTakenAt(slot, query);
}

/** The bookable slots of the date for this party: open, past the lead time, with room. */
export function freeSlots(query: DayQuery): FreeSlot[] {
  if (dayRejection(query)) return [];
  const earliest = query.nowMs + query.business.profile.rules.minLeadMinutes * 60_000;
  return slotsOfDay(query)
    .filter((slot) => slot.startMs >= earliest)
    .map((slot) => ({ ...slot, freeCovers: freeCoversAt(slot, query) }))
    .filter((slot) => slot.freeCovers >= query.partySize);
}

/**
 * Slots depend only on the hours object and the date, and computing them costs a few hundred Intl
 * calls, so they are memoized per hours object (a new object after every hours change).
 */
const slotMemo = new WeakMap<object, Map<string, readonly Slot[]>>();
const MEMO_DATES = 512;

export function slotsOfDay({
  business,
  serviceDate,
}: Pick<DayQuery, 'business' | 'serviceDate'>): readonly Slot[] {
  const rules = business.profile.rules;
  const key = `${serviceDate}|${business.profile.timezone}|${rules.slotMinutes}|${rules.seatingMinutes}`;
  let byDate = slotMemo.get(business.hours);
  if (!byDate) {
    byDate = new Map();
    slotMemo.set(business.hours, byDate);
  }
  const known = byDate.get(key);
  if (known) return known;
  const slots = slotsOf(business.hours, serviceDate, {
    timezone: business.profile.timezone,
    slotMinutes: rules.slotMinutes,
    seatingMinutes: rules.seatingMinutes,
  });
  if (byDate.size >= MEMO_DATES) byDate.clear();
  byDate.set(key, slots);
  return slots;
}

export type SlotCheck = { ok: true; slot: Slot } | { ok: false; rejection: Rejection };

/**
 * Whether this party can sit at `time` (HH:MM wall clock of the service date). `byStaff`: the
 * host books a party that is there (a walk-in) or on the phone, so the guests' minimum lead time
 * does not apply; a seating that is over still cannot be booked.
 */
export function checkSlot(query: DayQuery & { time: string; byStaff?: boolean }): SlotCheck {
  const day = dayRejection(query);
  if (day) return { ok: false, rejection: day };
  const slots = slotsOfDay(query);
  if (slots.length === 0)
    return { ok: false, rejection: reject('CLOSED', `Closed on ${query.serviceDate}.`) };
  const slot = slots.find((candidate) => candidate.time === query.time);
  if (!slot) {
    return {
      ok: false,
      rejection: reject('CLOSED', `No seating starts at ${query.time} on ${query.serviceDate}.`),
    };
  }
  const rules = query.business.profile.rules;
  if (query.byStaff && slot.endMs <= query.nowMs) {
    return { ok: false, rejection: reject('TOO_SOON', `The ${query.time} seating is over.`) };
  }
  if (!query.byStaff && slot.startMs < query.nowMs + rules.minLeadMinutes * 60_000) {
    return {
      ok: false,
      rejection: reject('TOO_SOON', `Bookings need ${rules.minLeadMinutes} minutes' notice.`),
    };
  }
  const free = freeCoversAt(slot, query);
  if (free < query.partySize) {
    return {
      ok: false,
      rejection: reject('NO_CAPACITY', `No table for ${query.partySize} at ${query.time}.`),
    };
  }
  return { ok: true, slot };
}

/** The `count` free slots closest in time to `targetMs`, in time order. */
export function nearestSlots(slots: readonly FreeSlot[], targetMs: number, count: number): FreeSlot[] {
  return [...slots]
    .sort((a, b) => Math.abs(a.startMs - targetMs) - Math.abs(b.startMs - targetMs) || a.startMs - b.startMs)
    .slice(0, count)
    .sort((a, b) => a.startMs - b.startMs);
}
