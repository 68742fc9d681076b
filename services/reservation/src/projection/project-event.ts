import {
  type ReservationStreamEvent,
  RESERVATION_EVENT_TYPES as T,
  waitlistSettingsOf,
} from '@reserveit/contracts';
import type { Transaction } from 'kysely';
import { bookingColumns } from './booking-columns.js';
import type { ProjectionDb } from './tables.js';

/**
 * Applies one event to the rows; a row only moves forward (`version` = stream sequence of its
 * last change), so an older event applied late cannot undo a newer one. Values come from the event only (its `at`, the stream sequence),
 * never from the clock, so a replay produces the same rows as the live run.
 */
export async function projectEvent(
  trx: Transaction<ProjectionDb>,
  event: ReservationStreamEvent,
  seq: number,
): Promise<void> {
  switch (event.type) {
    case T.businessRegistered: {
      const p = event.profile;
      const row = {
        name: p.name,
        phone_number_id: p.phoneNumberId,
        display_phone_number: p.displayPhoneNumber,
        timezone: p.timezone,
        locales: JSON.stringify(p.locales),
        greetings: JSON.stringify(p.greetings),
        rules: JSON.stringify(p.rules),
        hours: JSON.stringify(event.hours),
        templates: JSON.stringify(p.templates),
        booking_flow_id: p.bookingFlowId,
        waitlist: JSON.stringify(waitlistSettingsOf(p)),
        follow_ups: JSON.stringify(p.followUps),
        updated_at: event.at,
        version: seq,
      };
      await trx
        .insertInto('reservation.businesses')
        .values({ id: event.businessId, registered_at: event.at, ...row })
        .onConflict((c) =>
          c.column('id').doUpdateSet(row).where('reservation.businesses.version', '<', String(seq)),
        )
        .execute();
      return;
    }
    case T.businessHoursSet:
      await trx
        .updateTable('reservation.businesses')
        .set({ hours: JSON.stringify(event.hours), updated_at: event.at, version: seq })
        .where('id', '=', event.businessId)
        .where('version', '<', String(seq))
        .execute();
      return;
    case T.businessSettingsSet:
      await trx
        .updateTable('reservation.businesses')
        .set({
          ...(event.name !== undefined ? { name: event.name } : {}),
          ...(event.rules !== undefined ? { rules: JSON.stringify(event.rules) } : {}),
          ...(event.greetings !== undefined ? { greetings: JSON.stringify(event.greetings) } : {}),
          ...(event.templates !== undefined ? { templates: JSON.stringify(event.templates) } : {}),
          ...(event.bookingFlowId !== undefined ? { booking_flow_id: event.bookingFlowId } : {}),
          ...(event.waitlist !== undefined ? { waitlist: JSON.stringify(event.waitlist) } : {}),
          ...(event.followUps !== undefined ? { follow_ups: JSON.stringify(event.followUps) } : {}),
          updated_at: event.at,
          version: seq,
        })
        .where('id', '=', event.businessId)
        .where('version', '<', String(seq))
        .execute();
      return;
    case T.menuItemSet: {
      const item = event.item;
      const row = {
        category: item.category,
        name: item.name,
        description: item.description,
        price_minor: item.priceMinor,
        currency: item.currency,
        dietary_tags: JSON.stringify(item.dietaryTags),
        available: item.available,
        position: item.position,
        version: seq,
      };
      await trx
        .insertInto('reservation.menu_items')
        .values({ business_id: event.businessId, item_id: item.itemId, added_seq: seq, ...row })
        .onConflict((c) =>
          c
            .columns(['business_id', 'item_id'])
            .doUpdateSet(row)
            .where('reservation.menu_items.version', '<', String(seq)),
        )
        .execute();
      return;
    }
    case T.menuItemRemoved:
      await trx
        .deleteFrom('reservation.menu_items')
        .where('business_id', '=', event.businessId)
        .where('item_id', '=', event.itemId)
        .execute();
      return;
    case T.reservationCreated: {
      const b = event.booking;
      const row = { ...bookingColumns(b, event.at), version: seq };
      // A date change creates the booking again on its new date: same row, created_at kept.
      await trx
        .insertInto('reservation.reservations')
        .values({ id: b.reservationId, created_at: event.at, ...row })
        .onConflict((c) =>
          c.column('id').doUpdateSet(row).where('reservation.reservations.version', '<', String(seq)),
        )
        .execute();
      return;
    }
    case T.reservationModified:
      await trx
        .updateTable('reservation.reservations')
        .set({
          party_size: event.partySize,
          starts_at: event.startsAt,
          ends_at: event.endsAt,
          ...(event.guestName !== undefined ? { guest_name: event.guestName } : {}),
          ...(event.notes !== undefined ? { notes: event.notes } : {}),
          updated_at: event.at,
          version: seq,
        })
        .where('id', '=', event.reservationId)
        .where('version', '<', String(seq))
        .execute();
      return;
    case T.reservationMovedOut:
      // The reservation.created on the new date (appended first) moved the row already.
      return;
    case T.reservationCancelled:
      await trx
        .updateTable('reservation.reservations')
        .set({ status: 'cancelled', updated_at: event.at, version: seq })
        .where('id', '=', event.reservationId)
        .where('service_date', '=', event.serviceDate)
        .where('version', '<', String(seq))
        .execute();
      return;
    case T.reservationSeated:
    case T.reservationFinished:
    case T.reservationNoShow:
      await trx
        .updateTable('reservation.reservations')
        .set({ ...statusColumns(event), updated_at: event.at, version: seq })
        .where('id', '=', event.reservationId)
        .where('service_date', '=', event.serviceDate)
        .where('version', '<', String(seq))
        .execute();
      return;
    case T.reservationGuestConfirmed:
    case T.reservationRunningLate:
    case T.reservationNoShowFlagged:
    case T.reservationFeedbackGiven:
      await trx
        .updateTable('reservation.reservations')
        .set({ ...answerColumns(event), updated_at: event.at, version: seq })
        .where('id', '=', event.reservationId)
        .where('service_date', '=', event.serviceDate)
        .where('version', '<', String(seq))
        .execute();
      return;
    case T.waitlistJoined:
    case T.waitlistOffered:
    case T.waitlistOfferAccepted:
    case T.waitlistOfferExpired:
    case T.waitlistLeft:
      // Read from the day aggregate (src/day-sheet-reads.ts); an accepted offer's booking is its
      // reservation.created, projected above.
      return;
    default:
      return exhaustive(event);
  }
}

type StatusEvent = Extract<
  ReservationStreamEvent,
  { type: typeof T.reservationSeated | typeof T.reservationFinished | typeof T.reservationNoShow }
>;

/** The columns a status set by staff changes; one place for the one-by-one and batch projections. */
export function statusColumns(event: StatusEvent): { status: string; finished_at?: string } {
  switch (event.type) {
    case T.reservationSeated:
      return { status: 'seated' };
    case T.reservationNoShow:
      return { status: 'no_show' };
    case T.reservationFinished:
      return { status: 'finished', finished_at: event.at };
    default:
      return exhaustive(event);
  }
}

type AnswerEvent = Extract<
  ReservationStreamEvent,
  {
    type:
      | typeof T.reservationGuestConfirmed
      | typeof T.reservationRunningLate
      | typeof T.reservationNoShowFlagged
      | typeof T.reservationFeedbackGiven;
  }
>;

/**
 * The columns a guest's answer to a reminder, a no-show flag or the guest's feedback sets; one
 * place for both projections.
 */
export function answerColumns(event: AnswerEvent): {
  guest_confirmed_at?: string;
  late_minutes?: number;
  no_show_flagged_at?: string;
  rating?: number;
  feedback_comment?: string;
} {
  switch (event.type) {
    case T.reservationGuestConfirmed:
      return { guest_confirmed_at: event.at };
    case T.reservationRunningLate:
      return { late_minutes: event.minutes };
    case T.reservationNoShowFlagged:
      return { no_show_flagged_at: event.at };
    case T.reservationFeedbackGiven:
      return {
        ...(event.rating !== undefined ? { rating: event.rating } : {}),
        ...(event.comment !== undefined ? { feedback_comment: event.comment } : {}),
      };
    default:
      return exhaustive(event);
  }
}

function exhaustive(value: never): never {
  throw new Error(`unhandled ${JSON.stringify(value)}`);
}
