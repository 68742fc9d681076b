import { type ReservationStreamEvent, RESERVATION_EVENT_TYPES as T } from './reservation-events.js';

/** Expire one waitlist offer at `dueAt` (reservation.v1 ExpireWaitlistOffer). */
export interface WaitlistOfferJob {
  /** One key per offer: a repeated offer event puts the same job again. */
  key: string;
  /** When the hold ends (RFC 3339 UTC), the offered event's `offerExpiresAt`. */
  dueAt: string;
  business: string;
  date: string;
  entry: string;
}

export interface WaitlistJobChanges {
  put: WaitlistOfferJob[];
  drop: string[];
}

export const waitlistOfferJobKey = (business: string, date: string, entry: string): string =>
  `waitlist-offer:${business}:${date}:${entry}`;

/**
 * The expiry jobs an event of the RESERVATIONS stream schedules or drops: an offer is due at its
 * hold's end; an accepted, expired or left entry needs no expiry any more. ExpireWaitlistOffer is
 * a no-op for an offer that was settled already, so a dropped job that still runs does no harm.
 */
export function waitlistOfferJobs(event: ReservationStreamEvent): WaitlistJobChanges {
  switch (event.type) {
    case T.waitlistOffered:
      return {
        put: [
          {
            key: waitlistOfferJobKey(event.businessId, event.serviceDate, event.entryId),
            dueAt: event.offerExpiresAt,
            business: event.businessId,
            date: event.serviceDate,
            entry: event.entryId,
          },
        ],
        drop: [],
      };
    case T.waitlistOfferAccepted:
    case T.waitlistOfferExpired:
    case T.waitlistLeft:
      return { put: [], drop: [waitlistOfferJobKey(event.businessId, event.serviceDate, event.entryId)] };
    default:
      return { put: [], drop: [] };
  }
}
