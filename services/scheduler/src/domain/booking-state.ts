import { type DayEvent, RESERVATION_EVENT_TYPES as T } from '@reserveit/contracts';

/**
 * What the scheduler keeps of a booking: only what its jobs are planned from. `upcoming` until
 * the guest is seated (reminders, no-show check), `seated` from then (feedback), `gone` once
 * cancelled or marked no-show.
 */
export interface BookingState {
  reservationId: string;
  businessId: string;
  serviceDate: string;
  /** ISO instant. */
  startsAt: string;
  /** The guest reminders go to (wa_id or business-scoped user id). */
  guestId: string;
  partySize: number;
  stage: 'upcoming' | 'seated' | 'gone';
  /** When the guest was seated (or, never seated, left): feedback is due from it. */
  seatedAt?: string;
}

/** The booking after one of its day aggregate's events; undefined: nothing known of it yet. */
export function evolveBooking(state: BookingState | undefined, event: DayEvent): BookingState | undefined {
  switch (event.type) {
    case T.reservationCreated: {
      const { booking } = event;
      const stage = booking.status === 'seated' || booking.status === 'finished' ? 'seated' : 'upcoming';
      return {
        reservationId: booking.reservationId,
        businessId: booking.businessId,
        serviceDate: booking.serviceDate,
        startsAt: booking.startsAt,
        guestId: booking.guestWaId,
        partySize: booking.partySize,
        stage: booking.status === 'cancelled' || booking.status === 'no_show' ? 'gone' : stage,
      };
    }
    case T.reservationModified:
      return (
        state && {
          ...state,
          serviceDate: event.serviceDate,
          startsAt: event.startsAt,
          partySize: event.partySize,
        }
      );
    case T.reservationMovedOut:
      // The reservation service creates the booking on its new date before releasing the old one
      // (services/reservation/src/booking-commands.ts): the release ends nothing that moved on.
      return state && (state.serviceDate === event.serviceDate ? { ...state, stage: 'gone' } : state);
    case T.reservationCancelled:
    case T.reservationNoShow:
      return state && { ...state, stage: 'gone' };
    case T.reservationSeated:
      return state && { ...state, stage: 'seated', seatedAt: state.seatedAt ?? event.at };
    case T.reservationFinished:
      return state && { ...state, stage: 'seated', seatedAt: state.seatedAt ?? event.at };
    case T.reservationGuestConfirmed:
    case T.reservationRunningLate:
    case T.reservationNoShowFlagged:
    case T.reservationFeedbackGiven:
      // The guest's answers, a no-show flag and feedback move no job.
      return state;
    case T.waitlistJoined:
    case T.waitlistOffered:
    case T.waitlistOfferAccepted:
    case T.waitlistOfferExpired:
    case T.waitlistLeft:
      // A waitlist entry is no booking: its offer's expiry is planned apart (waitlist-plan.ts).
      return state;
    default: {
      const unhandled: never = event;
      return unhandled;
    }
  }
}
