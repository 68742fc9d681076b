import {
  type Booking,
  type DayEvent,
  RESERVATION_EVENT_TYPES as T,
  waitlistSettingsOf,
} from '@reserveit/contracts';
import { checkSlot, freeCoversAt } from './availability.js';
import { type DayContext, type DayState, evolveDay, occupancyOf } from './day.js';
import { type Rejection, reject } from './rejection.js';
import { reservationIdFor } from './reservation-id.js';
import { offersFor, type WaitlistPlace } from './waitlist.js';

export type WaitlistCommand =
  | {
      type: 'join';
      entryId: string;
      time: string;
      partySize: number;
      guestWaId: string;
      guestName: string;
    }
  /** The guest confirms the offer: the held covers become a booking. */
  | { type: 'accept'; entryId: string; guestWaId?: string }
  /** The hold ran out: a no-op unless the offer is still open. */
  | { type: 'expire'; entryId: string }
  | { type: 'leave'; entryId: string };

export type WaitlistDecision =
  | { ok: true; events: DayEvent[]; place: WaitlistPlace; booking?: Booking; replayed: boolean }
  | { ok: false; rejection: Rejection };

/** The idempotency key of the booking an accepted offer makes: one booking per entry. */
export const waitlistBookingKey = (entryId: string): string => `waitlist:${entryId}`;

export function decideWaitlist(command: WaitlistCommand, state: DayState, ctx: DayContext): WaitlistDecision {
  const { business, serviceDate } = ctx;
  const base = {
    v: 1 as const,
    at: new Date(ctx.nowMs).toISOString(),
    businessId: business.businessId,
    serviceDate,
  };
  const place = state.waitlist.get(command.entryId);
  switch (command.type) {
    case 'join': {
      if (place) return settled(place, state);
      if (!waitlistSettingsOf(business.profile).enabled)
        return fail(reject('WAITLIST_CLOSED', 'This restaurant keeps no waitlist.'));
      const check = checkSlot({
        business,
        serviceDate,
        partySize: command.partySize,
        nowMs: ctx.nowMs,
        occupancy: occupancyOf(state),
        time: command.time,
      });
      if (check.ok)
        return fail(
          reject('NOT_FULL', `There is a table for ${command.partySize} at ${command.time}: book it.`),
        );
      if (check.rejection.code !== 'NO_CAPACITY') return fail(check.rejection);
      const event: DayEvent = {
        ...base,
        id: `${command.entryId}:joined`,
        type: T.waitlistJoined,
        entryId: command.entryId,
        entry: {
          entryId: command.entryId,
          businessId: business.businessId,
          serviceDate,
          time: command.time,
          partySize: command.partySize,
          guestWaId: command.guestWaId,
          guestName: command.guestName,
        },
      };
      return done([event], state, command.entryId);
    }
    case 'accept': {
      // Another guest's entry is answered as an unknown one.
      if (!place || (command.guestWaId !== undefined && command.guestWaId !== place.guestWaId))
        return notFound(command.entryId);
      if (place.status === 'accepted') return settled(place, state);
      if (place.status !== 'offered' || !place.offer)
        return fail(reject('OFFER_EXPIRED', offerGone(place.status)));
      if (ctx.nowMs >= Date.parse(place.offer.offerExpiresAt))
        return fail(reject('OFFER_EXPIRED', 'The offer has expired.'));
      // The offer holds these covers already; this only guards against a state that lost count.
      const seating = { startMs: Date.parse(place.offer.startsAt), endMs: Date.parse(place.offer.endsAt) };
      const free = freeCoversAt(seating, {
        business,
        occupancy: occupancyOf(state),
        excluding: place.entryId,
      });
      if (free < place.partySize)
        return fail(reject('NO_CAPACITY', `No table for ${place.partySize} at ${place.time} any more.`));
      const idempotencyKey = waitlistBookingKey(place.entryId);
      const reservationId = reservationIdFor(business.businessId, idempotencyKey);
      const booking: Booking = {
        reservationId,
        businessId: business.businessId,
        serviceDate,
        guestWaId: place.guestWaId,
        guestName: place.guestName,
        partySize: place.partySize,
        startsAt: place.offer.startsAt,
        endsAt: place.offer.endsAt,
        status: 'confirmed',
        notes: '',
        source: 'whatsapp',
        idempotencyKey,
      };
      const events: DayEvent[] = [
        { v: 1, at: base.at, id: `${reservationId}:created`, type: T.reservationCreated, booking },
        {
          ...base,
          id: ctx.newEventId(),
          type: T.waitlistOfferAccepted,
          entryId: place.entryId,
          reservationId,
        },
      ];
      return done(events, state, place.entryId);
    }
    case 'expire': {
      if (!place) return notFound(command.entryId);
      if (place.status !== 'offered') return settled(place, state);
      const expired: DayEvent = {
        ...base,
        id: ctx.newEventId(),
        type: T.waitlistOfferExpired,
        entryId: place.entryId,
      };
      return withNextOffers([expired], state, ctx, place.entryId);
    }
    case 'leave': {
      if (!place) return notFound(command.entryId);
      if (place.status === 'left' || place.status === 'expired') return settled(place, state);
      if (place.status === 'accepted')
        return fail(reject('INVALID_TRANSITION', 'The offer was accepted: cancel the booking instead.'));
      const left: DayEvent = { ...base, id: ctx.newEventId(), type: T.waitlistLeft, entryId: place.entryId };
      return withNextOffers([left], state, ctx, place.entryId);
    }
    default:
      return exhaustive(command);
  }
}

/** A hold given up goes to the next parties that fit, in the same append. */
function withNextOffers(
  events: DayEvent[],
  state: DayState,
  ctx: DayContext,
  entryId: string,
): WaitlistDecision {
  const after = events.reduce(evolveDay, state);
  return done([...events, ...offersFor(after.waitlist, occupancyOf(after), ctx)], state, entryId);
}

function done(events: DayEvent[], state: DayState, entryId: string): WaitlistDecision {
  const after = events.reduce(evolveDay, state);
  const place = after.waitlist.get(entryId);
  if (!place) throw new Error(`entry ${entryId} vanished`);
  return { ok: true, events, place, ...bookingOf(place, after), replayed: false };
}

/** Asked for what is so already: nothing to append, the entry (and its booking) as they are. */
function settled(place: WaitlistPlace, state: DayState): WaitlistDecision {
  return { ok: true, events: [], place, ...bookingOf(place, state), replayed: true };
}

function bookingOf(place: WaitlistPlace, state: DayState): { booking?: Booking } {
  const booking = place.reservationId ? state.bookings.get(place.reservationId) : undefined;
  return booking ? { booking } : {};
}

function offerGone(status: WaitlistPlace['status']): string {
  if (status === 'waiting') return 'No offer was made yet.';
  return status === 'left' ? 'The party left the waitlist.' : 'The offer has expired.';
}

const notFound = (entryId: string): WaitlistDecision =>
  fail(reject('NOT_FOUND', `No waitlist entry ${entryId}.`));

const fail = (rejection: Rejection): { ok: false; rejection: Rejection } => ({ ok: false, rejection });

function exhaustive(value: never): never {
  throw new Error(`unhandled ${JSON.stringify(value)}`);
}
