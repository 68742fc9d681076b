import {
  RESERVATION_EVENT_TYPES as T,
  type WaitlistEntry,
  type WaitlistEvent,
  waitlistSettingsOf,
} from '@reserveit/contracts';
import { coversTakenAt, type Occupancy, slotsOfDay } from './availability.js';
import type { Business } from './business.js';

/**
 * A waiting party as the day has it: waiting in join order, offered (the covers of its seating
 * held for it until the offer expires), accepted (a booking now), expired or left.
 */
export type WaitlistStatus = 'waiting' | 'offered' | 'accepted' | 'expired' | 'left';

export interface WaitlistOffer {
  startsAt: string;
  endsAt: string;
  offerExpiresAt: string;
}

export interface WaitlistPlace extends WaitlistEntry {
  status: WaitlistStatus;
  joinedAt: string;
  /** The last offer made to the party, kept after it was accepted or expired. */
  offer?: WaitlistOffer;
  /** Set once accepted. */
  reservationId?: string;
}

/** Entries in join order (a Map keeps insertion order). */
export type Waitlist = ReadonlyMap<string, WaitlistPlace>;

export interface OfferContext {
  business: Business;
  serviceDate: string;
  nowMs: number;
  newEventId(): string;
}

type OfferedEvent = Extract<WaitlistEvent, { type: typeof T.waitlistOffered }>;

export function anyWaiting(waitlist: Waitlist): boolean {
  for (const place of waitlist.values()) if (place.status === 'waiting') return true;
  return false;
}

/** What the open offers hold: each its party's covers for its seating, like a booking. */
export function waitlistHolds(waitlist: Waitlist): Occupancy[] {
  const out: Occupancy[] = [];
  for (const place of waitlist.values()) {
    if (place.status !== 'offered' || !place.offer) continue;
    out.push({
      reservationId: place.entryId,
      partySize: place.partySize,
      startMs: Date.parse(place.offer.startsAt),
      endMs: Date.parse(place.offer.endsAt),
    });
  }
  return out;
}

/**
 * Offers for the parties that fit now: in join order, each waiting party whose seating has not
 * started and has room for it (bookings and open offers counted) gets one, and its hold counts for
 * the parties after it. A party too large for what is free is passed over, not blocking smaller
 * ones behind it. `occupancy` already holds the day's bookings and open offers.
 */
export function offersFor(
  waitlist: Waitlist,
  occupancy: readonly Occupancy[],
  ctx: OfferContext,
): OfferedEvent[] {
  const settings = waitlistSettingsOf(ctx.business.profile);
  if (!settings.enabled) return [];
  const slots = slotsOfDay(ctx);
  const held = [...occupancy];
  const capacity = ctx.business.profile.rules.capacityCovers;
  const offers: OfferedEvent[] = [];
  for (const place of waitlist.values()) {
    if (place.status !== 'waiting') continue;
    const slot = slots.find((candidate) => candidate.time === place.time);
    if (!slot || slot.startMs <= ctx.nowMs) continue;
    if (capacity - coversTakenAt(slot, { occupancy: held }) < place.partySize) continue;
    held.push({
      reservationId: place.entryId,
      partySize: place.partySize,
      startMs: slot.startMs,
      endMs: slot.endMs,
    });
    offers.push({
      v: 1,
      id: ctx.newEventId(),
      at: new Date(ctx.nowMs).toISOString(),
      type: T.waitlistOffered,
      businessId: ctx.business.businessId,
      serviceDate: ctx.serviceDate,
      entryId: place.entryId,
      guestWaId: place.guestWaId,
      time: place.time,
      partySize: place.partySize,
      startsAt: new Date(slot.startMs).toISOString(),
      endsAt: new Date(slot.endMs).toISOString(),
      offerExpiresAt: new Date(ctx.nowMs + settings.holdMinutes * 60_000).toISOString(),
    });
  }
  return offers;
}

export function evolveWaitlist(waitlist: Waitlist, event: WaitlistEvent): Waitlist {
  if (event.type === T.waitlistJoined) {
    if (waitlist.has(event.entry.entryId)) return waitlist;
    return new Map(waitlist).set(event.entry.entryId, {
      ...event.entry,
      status: 'waiting',
      joinedAt: event.at,
    });
  }
  const place = waitlist.get(event.entryId);
  if (!place) return waitlist;
  return new Map(waitlist).set(place.entryId, placeAfter(place, event));
}

function placeAfter(place: WaitlistPlace, event: Exclude<WaitlistEvent, { type: typeof T.waitlistJoined }>) {
  switch (event.type) {
    case T.waitlistOffered:
      return {
        ...place,
        status: 'offered' as const,
        offer: { startsAt: event.startsAt, endsAt: event.endsAt, offerExpiresAt: event.offerExpiresAt },
      };
    case T.waitlistOfferAccepted:
      return { ...place, status: 'accepted' as const, reservationId: event.reservationId };
    case T.waitlistOfferExpired:
      return { ...place, status: 'expired' as const };
    case T.waitlistLeft:
      return { ...place, status: 'left' as const };
    default:
      return exhaustive(event);
  }
}

function exhaustive(value: never): never {
  throw new Error(`unhandled ${JSON.stringify(value)}`);
}
