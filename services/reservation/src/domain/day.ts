import { type Booking, type DayEvent, RESERVATION_EVENT_TYPES as T } from '@reserveit/contracts';
import { wallClockAt } from '@reserveit/time';
import { checkSlot, freeCoversAt, type Occupancy } from './availability.js';
import type { Business } from './business.js';
import { type Rejection, reject } from './rejection.js';
import { anyWaiting, evolveWaitlist, offersFor, type Waitlist, waitlistHolds } from './waitlist.js';

/** The aggregate of one business's bookings on one service date. */
export interface DayState {
  bookings: ReadonlyMap<string, Booking>;
  /** Bookings that moved to another date: a retried create must not book them again here. */
  movedOut: ReadonlyMap<string, string>;
  /**
   * Bookings that moved in from another date, by that date. A date change appends here first and
   * releases the old date second; when the second step failed, the old date still holds the
   * covers, and whoever next changes or cancels the booking completes the release from this.
   */
  movedFrom: ReadonlyMap<string, string>;
  /** Parties waiting for a full seating, in join order (src/domain/waitlist.ts). */
  waitlist: Waitlist;
}

export const initialDayState = (): DayState => ({
  bookings: new Map(),
  movedOut: new Map(),
  movedFrom: new Map(),
  waitlist: new Map(),
});

export type DayCommand =
  | {
      type: 'create';
      reservationId: string;
      idempotencyKey: string;
      serviceDate: string;
      time: string;
      partySize: number;
      guestWaId: string;
      guestName: string;
      notes: string;
      source: Booking['source'];
    }
  /**
   * Same service date; what is missing keeps the booking's. `byStaff`: past the guests' cutoff and
   * lead time (the host moving a party that is there).
   */
  | {
      type: 'modify';
      reservationId: string;
      time?: string;
      partySize?: number;
      guestName?: string;
      notes?: string;
      byStaff?: boolean;
    }
  /** Second half of a date change, first step: hold the new date. */
  | { type: 'moveIn'; booking: Booking; serviceDate: string; time: string; partySize: number }
  /** Second step: release the old date. */
  | { type: 'moveOut'; reservationId: string; movedTo: string }
  | { type: 'cancel'; reservationId: string; reason: string; byStaff: boolean }
  /** The host stand: `by` names the staff member when known. */
  | { type: 'setStatus'; reservationId: string; status: StaffStatus; by?: string }
  /** The guest's answer to a reminder: coming, or late by `minutes`. */
  | { type: 'answerReminder'; reservationId: string; answer: 'confirmed' | 'running_late'; minutes?: number }
  /**
   * The scheduler's no-show check, for the booking's time as it was planned (`startsAt`): a guest
   * not seated is flagged, or marked no-show when the restaurant chose that.
   */
  | { type: 'checkNoShow'; reservationId: string; startsAt: string; graceMinutes: number; autoMark: boolean }
  /** The guest's rating of a seated or finished visit (once), and the one comment that may follow it. */
  | { type: 'giveFeedback'; reservationId: string; rating?: number; comment?: string };

/** The statuses staff set at the host stand. */
export type StaffStatus = Extract<Booking['status'], 'seated' | 'finished' | 'no_show'>;

/**
 * From which statuses each can be set: a late party arrives after being marked a no-show; only a
 * seated party can finish; a party that sat down did show up.
 */
const STATUS_FROM: Record<StaffStatus, ReadonlySet<Booking['status']>> = {
  seated: new Set(['pending', 'confirmed', 'no_show']),
  finished: new Set(['seated']),
  no_show: new Set(['pending', 'confirmed']),
};

const STATUS_EVENT = {
  seated: T.reservationSeated,
  finished: T.reservationFinished,
  no_show: T.reservationNoShow,
} as const;

export interface DayContext {
  business: Business;
  serviceDate: string;
  nowMs: number;
  newEventId(): string;
}

export type DayDecision =
  | { ok: true; events: DayEvent[]; booking: Booking; replayed: boolean }
  | { ok: false; rejection: Rejection };

const ACTIVE: ReadonlySet<Booking['status']> = new Set(['pending', 'confirmed', 'seated']);

/**
 * Until when a booking holds its covers: an active one for its seating, a finished one until it
 * finished (never past its seating), a no-show or a cancelled one not at all. The projection's
 * occupancy query (src/projection/queries.ts) counts the same way.
 */
export function coversHeldUntil(booking: Booking): number | undefined {
  const endMs = Date.parse(booking.endsAt);
  if (ACTIVE.has(booking.status)) return endMs;
  if (booking.status === 'finished' && booking.finishedAt)
    return Math.min(endMs, Date.parse(booking.finishedAt));
  return undefined;
}

/** What holds covers: the active bookings and the open waitlist offers. */
export function occupancyOf(state: DayState): Occupancy[] {
  const out: Occupancy[] = waitlistHolds(state.waitlist);
  for (const booking of state.bookings.values()) {
    const endMs = coversHeldUntil(booking);
    if (endMs === undefined) continue;
    out.push({
      reservationId: booking.reservationId,
      partySize: booking.partySize,
      startMs: Date.parse(booking.startsAt),
      endMs,
    });
  }
  return out;
}

/**
 * A booking command, then offers to waiting parties for whatever covers it freed (a cancellation,
 * a smaller party, another time, a no-show): in the same append, so no booking can take covers
 * that a waiting party was owed between the two.
 */
export function decideDay(command: DayCommand, state: DayState, ctx: DayContext): DayDecision {
  const decision = decideBooking(command, state, ctx);
  // Most days have nobody waiting: the booking path then costs nothing more.
  if (!decision.ok || decision.events.length === 0 || !anyWaiting(state.waitlist)) return decision;
  const after = decision.events.reduce(evolveDay, state);
  const offers = offersFor(after.waitlist, occupancyOf(after), ctx);
  return offers.length === 0 ? decision : { ...decision, events: [...decision.events, ...offers] };
}

function decideBooking(command: DayCommand, state: DayState, ctx: DayContext): DayDecision {
  const base = { v: 1 as const, at: new Date(ctx.nowMs).toISOString() };
  const { business, serviceDate } = ctx;
  switch (command.type) {
    case 'create': {
      const existing = state.bookings.get(command.reservationId);
      if (existing) return { ok: true, events: [], booking: existing, replayed: true };
      const movedTo = state.movedOut.get(command.reservationId);
      if (movedTo) return fail(reject('MOVED', `Reservation moved to ${movedTo}.`, { movedTo }));
      const check = checkSlot({
        ...slotQuery(state, ctx, command.partySize),
        time: command.time,
        byStaff: command.source === 'staff',
      });
      if (!check.ok) return fail(check.rejection);
      const booking: Booking = {
        reservationId: command.reservationId,
        businessId: business.businessId,
        serviceDate,
        guestWaId: command.guestWaId,
        guestName: command.guestName,
        partySize: command.partySize,
        startsAt: new Date(check.slot.startMs).toISOString(),
        endsAt: new Date(check.slot.endMs).toISOString(),
        status: 'confirmed',
        notes: command.notes,
        source: command.source,
        idempotencyKey: command.idempotencyKey,
      };
      // The id doubles as the Nats-Msg-Id, stable per idempotency key, so the server itself drops
      // a second create of the same reservation inside its duplicate window, on any date.
      const id = `${command.reservationId}:created`;
      return {
        ok: true,
        events: [{ ...base, id, type: T.reservationCreated, booking }],
        booking,
        replayed: false,
      };
    }
    case 'modify': {
      const found = activeBooking(state, command.reservationId);
      if (!found.ok) return found;
      const booking = found.booking;
      const byStaff = command.byStaff ?? false;
      const late = cutoffRejection(booking, ctx, byStaff);
      if (late) return fail(late);
      const partySize = command.partySize ?? booking.partySize;
      const ownTime = wallClockAt(Date.parse(booking.startsAt), business.profile.timezone).time;
      const time = command.time ?? ownTime;
      let { startsAt, endsAt } = booking;
      // A new name or note alone asks nothing of the slot (which may have started already).
      if (time !== ownTime || partySize !== booking.partySize) {
        const query = slotQuery(state, ctx, partySize, booking.reservationId);
        const check = checkSlot({ ...query, time, byStaff });
        if (!check.ok) return fail(check.rejection);
        startsAt = new Date(check.slot.startMs).toISOString();
        endsAt = new Date(check.slot.endMs).toISOString();
      }
      const details = {
        ...(command.guestName !== undefined && command.guestName !== booking.guestName
          ? { guestName: command.guestName }
          : {}),
        ...(command.notes !== undefined && command.notes !== booking.notes ? { notes: command.notes } : {}),
      };
      if (
        startsAt === booking.startsAt &&
        partySize === booking.partySize &&
        Object.keys(details).length === 0
      ) {
        return { ok: true, events: [], booking, replayed: true };
      }
      const event: DayEvent = {
        ...base,
        id: ctx.newEventId(),
        type: T.reservationModified,
        reservationId: booking.reservationId,
        businessId: business.businessId,
        serviceDate,
        partySize,
        startsAt,
        endsAt,
        ...details,
      };
      return {
        ok: true,
        events: [event],
        booking: { ...booking, partySize, startsAt, endsAt, ...details },
        replayed: false,
      };
    }
    case 'moveIn': {
      // The booking as its old date has it: a cancelled one stays cancelled there, it does not
      // come back to life on another date.
      if (!ACTIVE.has(command.booking.status))
        return fail(reject('ALREADY_CANCELLED', `The reservation is ${command.booking.status}.`));
      const existing = state.bookings.get(command.booking.reservationId);
      if (existing) return { ok: true, events: [], booking: existing, replayed: true };
      const late = cutoffRejection(command.booking, ctx, false);
      if (late) return fail(late);
      const check = checkSlot({ ...slotQuery(state, ctx, command.partySize), time: command.time });
      if (!check.ok) return fail(check.rejection);
      const booking: Booking = {
        ...command.booking,
        serviceDate,
        partySize: command.partySize,
        startsAt: new Date(check.slot.startMs).toISOString(),
        endsAt: new Date(check.slot.endMs).toISOString(),
      };
      const event: DayEvent = {
        ...base,
        id: ctx.newEventId(),
        type: T.reservationCreated,
        booking,
        movedFrom: command.booking.serviceDate,
      };
      return { ok: true, events: [event], booking, replayed: false };
    }
    case 'moveOut': {
      const booking = state.bookings.get(command.reservationId);
      if (!booking) {
        return state.movedOut.has(command.reservationId)
          ? fail(
              reject('MOVED', 'Reservation moved already.', {
                movedTo: state.movedOut.get(command.reservationId) ?? '',
              }),
            )
          : fail(reject('NOT_FOUND', `No reservation ${command.reservationId} on ${serviceDate}.`));
      }
      const event: DayEvent = {
        ...base,
        id: ctx.newEventId(),
        type: T.reservationMovedOut,
        reservationId: booking.reservationId,
        businessId: business.businessId,
        serviceDate,
        movedTo: command.movedTo,
      };
      return { ok: true, events: [event], booking, replayed: false };
    }
    case 'cancel': {
      const booking = state.bookings.get(command.reservationId);
      if (!booking) return notHere(state, command.reservationId, serviceDate);
      if (booking.status === 'cancelled') return { ok: true, events: [], booking, replayed: true };
      if (!ACTIVE.has(booking.status)) {
        return fail(
          reject('INVALID_ARGUMENT', `A reservation that is ${booking.status} cannot be cancelled.`),
        );
      }
      const late = cutoffRejection(booking, ctx, command.byStaff);
      if (late) return fail(late);
      const event: DayEvent = {
        ...base,
        id: ctx.newEventId(),
        type: T.reservationCancelled,
        reservationId: booking.reservationId,
        businessId: business.businessId,
        serviceDate,
        reason: command.reason,
      };
      return { ok: true, events: [event], booking: { ...booking, status: 'cancelled' }, replayed: false };
    }
    case 'setStatus': {
      const booking = state.bookings.get(command.reservationId);
      if (!booking) return notHere(state, command.reservationId, serviceDate);
      if (booking.status === command.status) return { ok: true, events: [], booking, replayed: true };
      if (booking.status === 'cancelled')
        return fail(reject('ALREADY_CANCELLED', 'The reservation is cancelled.'));
      if (!STATUS_FROM[command.status].has(booking.status)) {
        return fail(
          reject(
            'INVALID_TRANSITION',
            `A reservation that is ${booking.status} cannot be marked ${command.status}.`,
          ),
        );
      }
      // A no-show's covers were free for others; the late party gets its seating back only if it fits.
      if (booking.status === 'no_show') {
        const seating = { startMs: Date.parse(booking.startsAt), endMs: Date.parse(booking.endsAt) };
        const free = freeCoversAt(seating, {
          business,
          occupancy: occupancyOf(state),
          excluding: booking.reservationId,
        });
        if (free < booking.partySize) {
          return fail(reject('NO_CAPACITY', `No room left for the party of ${booking.partySize} now.`));
        }
      }
      const event: StatusEvent = {
        ...base,
        id: ctx.newEventId(),
        type: STATUS_EVENT[command.status],
        reservationId: booking.reservationId,
        businessId: business.businessId,
        serviceDate,
        ...(command.by ? { by: command.by } : {}),
      };
      return { ok: true, events: [event], booking: withStatus(booking, event), replayed: false };
    }
    case 'answerReminder': {
      const booking = state.bookings.get(command.reservationId);
      if (!booking) return notHere(state, command.reservationId, serviceDate);
      if (booking.status === 'cancelled')
        return fail(reject('ALREADY_CANCELLED', 'The reservation is cancelled.'));
      if (booking.status !== 'pending' && booking.status !== 'confirmed')
        return fail(
          reject('INVALID_TRANSITION', `A reservation that is ${booking.status} takes no answer now.`),
        );
      const where = { reservationId: booking.reservationId, businessId: business.businessId, serviceDate };
      if (command.answer === 'confirmed') {
        // Said again, it changes nothing: the first confirmation stands.
        if (booking.guestConfirmedAt) return { ok: true, events: [], booking, replayed: true };
        const event = { ...base, id: ctx.newEventId(), type: T.reservationGuestConfirmed, ...where } as const;
        return { ok: true, events: [event], booking: withAnswer(booking, event), replayed: false };
      }
      const minutes = command.minutes ?? 0;
      if (!Number.isInteger(minutes) || minutes < 1 || minutes > 240)
        return fail(reject('INVALID_ARGUMENT', 'Minutes late must be between 1 and 240.'));
      if (booking.lateMinutes === minutes) return { ok: true, events: [], booking, replayed: true };
      const event = {
        ...base,
        id: ctx.newEventId(),
        type: T.reservationRunningLate,
        ...where,
        minutes,
      } as const;
      return { ok: true, events: [event], booking: withAnswer(booking, event), replayed: false };
    }
    case 'checkNoShow': {
      const booking = state.bookings.get(command.reservationId);
      if (!booking) return notHere(state, command.reservationId, serviceDate);
      const unchanged = { ok: true as const, events: [], booking, replayed: true };
      // Seated, cancelled or already decided: nothing to flag. Moved to another time: that time's
      // own check is planned.
      if (booking.status !== 'pending' && booking.status !== 'confirmed') return unchanged;
      if (booking.startsAt !== command.startsAt) return unchanged;
      const where = { reservationId: booking.reservationId, businessId: business.businessId, serviceDate };
      if (command.autoMark) {
        const event = {
          ...base,
          id: ctx.newEventId(),
          type: T.reservationNoShow,
          ...where,
          by: 'assistant',
        } as const;
        return { ok: true, events: [event], booking: withStatus(booking, event), replayed: false };
      }
      if (booking.noShowFlaggedAt) return unchanged;
      const event = {
        ...base,
        id: ctx.newEventId(),
        type: T.reservationNoShowFlagged,
        ...where,
        graceMinutes: command.graceMinutes,
      } as const;
      return {
        ok: true,
        events: [event],
        booking: { ...booking, noShowFlaggedAt: event.at },
        replayed: false,
      };
    }
    case 'giveFeedback':
      return giveFeedback(state, command, { ...base, serviceDate, businessId: business.businessId }, ctx);
    default:
      return exhaustive(command);
  }
}

/**
 * A visit is rated once, and commented on once after (or with) its rating; the same rating or
 * comment again is a replay. Only a booking the guest sat down at (seated or finished) is rated.
 */
function giveFeedback(
  state: DayState,
  command: Extract<DayCommand, { type: 'giveFeedback' }>,
  where: { v: 1; at: string; serviceDate: string; businessId: string },
  ctx: DayContext,
): DayDecision {
  const booking = state.bookings.get(command.reservationId);
  if (!booking) return notHere(state, command.reservationId, where.serviceDate);
  if (booking.status !== 'seated' && booking.status !== 'finished')
    return fail(reject('INVALID_TRANSITION', `A reservation that is ${booking.status} takes no feedback.`));
  const { rating, comment } = command;
  if (rating === undefined && comment === undefined)
    return fail(reject('INVALID_ARGUMENT', 'Feedback needs a rating or a comment.'));
  if (rating !== undefined && (!Number.isInteger(rating) || rating < 1 || rating > 5))
    return fail(reject('INVALID_ARGUMENT', 'A rating is 1 to 5.'));
  const newRating = rating !== undefined && booking.feedbackRating === undefined;
  if (rating !== undefined && !newRating && booking.feedbackRating !== rating)
    return fail(reject('ALREADY_RATED', 'The visit is rated already.'));
  if (comment !== undefined && booking.feedbackRating === undefined && rating === undefined)
    return fail(reject('INVALID_ARGUMENT', 'A comment follows a rating.'));
  const newComment = comment !== undefined && booking.feedbackComment === undefined;
  if (comment !== undefined && !newComment && booking.feedbackComment !== comment)
    return fail(reject('ALREADY_RATED', 'The visit has its comment already.'));
  if (!newRating && !newComment) return { ok: true, events: [], booking, replayed: true };
  const event = {
    ...where,
    id: ctx.newEventId(),
    type: T.reservationFeedbackGiven,
    reservationId: booking.reservationId,
    ...(newRating ? { rating } : {}),
    ...(newComment ? { comment } : {}),
  } as const;
  return { ok: true, events: [event], booking: withFeedback(booking, event), replayed: false };
}

function withFeedback(
  booking: Booking,
  event: Extract<DayEvent, { type: typeof T.reservationFeedbackGiven }>,
): Booking {
  return {
    ...booking,
    ...(event.rating !== undefined ? { feedbackRating: event.rating } : {}),
    ...(event.comment !== undefined ? { feedbackComment: event.comment } : {}),
  };
}

type AnswerEvent = Extract<
  DayEvent,
  { type: typeof T.reservationGuestConfirmed | typeof T.reservationRunningLate }
>;

function withAnswer(booking: Booking, event: AnswerEvent): Booking {
  return event.type === T.reservationGuestConfirmed
    ? { ...booking, guestConfirmedAt: event.at }
    : { ...booking, lateMinutes: event.minutes };
}

type StatusEvent = Extract<DayEvent, { type: (typeof STATUS_EVENT)[StaffStatus] }>;

function withStatus(booking: Booking, event: StatusEvent): Booking {
  switch (event.type) {
    case T.reservationSeated:
      return { ...booking, status: 'seated' };
    case T.reservationNoShow:
      return { ...booking, status: 'no_show' };
    case T.reservationFinished:
      return { ...booking, status: 'finished', finishedAt: event.at };
    default:
      return exhaustive(event);
  }
}

export function evolveDay(state: DayState, event: DayEvent): DayState {
  switch (event.type) {
    case T.reservationCreated: {
      const id = event.booking.reservationId;
      const movedOut = new Map(state.movedOut);
      movedOut.delete(id);
      const movedFrom = new Map(state.movedFrom);
      if (event.movedFrom) movedFrom.set(id, event.movedFrom);
      else movedFrom.delete(id);
      return { ...state, bookings: new Map(state.bookings).set(id, event.booking), movedOut, movedFrom };
    }
    case T.reservationModified: {
      const booking = state.bookings.get(event.reservationId);
      if (!booking) return state;
      const next = {
        ...booking,
        partySize: event.partySize,
        startsAt: event.startsAt,
        endsAt: event.endsAt,
        ...(event.guestName !== undefined ? { guestName: event.guestName } : {}),
        ...(event.notes !== undefined ? { notes: event.notes } : {}),
      };
      return { ...state, bookings: new Map(state.bookings).set(booking.reservationId, next) };
    }
    case T.reservationMovedOut: {
      const bookings = new Map(state.bookings);
      bookings.delete(event.reservationId);
      const movedFrom = new Map(state.movedFrom);
      movedFrom.delete(event.reservationId);
      return {
        ...state,
        bookings,
        movedOut: new Map(state.movedOut).set(event.reservationId, event.movedTo),
        movedFrom,
      };
    }
    case T.reservationCancelled: {
      const booking = state.bookings.get(event.reservationId);
      if (!booking) return state;
      return {
        ...state,
        bookings: new Map(state.bookings).set(booking.reservationId, { ...booking, status: 'cancelled' }),
      };
    }
    case T.reservationSeated:
    case T.reservationFinished:
    case T.reservationNoShow: {
      const booking = state.bookings.get(event.reservationId);
      if (!booking) return state;
      return {
        ...state,
        bookings: new Map(state.bookings).set(booking.reservationId, withStatus(booking, event)),
      };
    }
    case T.waitlistJoined:
    case T.waitlistOffered:
    case T.waitlistOfferAccepted:
    case T.waitlistOfferExpired:
    case T.waitlistLeft:
      return { ...state, waitlist: evolveWaitlist(state.waitlist, event) };
    case T.reservationGuestConfirmed:
    case T.reservationRunningLate: {
      const booking = state.bookings.get(event.reservationId);
      if (!booking) return state;
      return {
        ...state,
        bookings: new Map(state.bookings).set(booking.reservationId, withAnswer(booking, event)),
      };
    }
    case T.reservationNoShowFlagged: {
      const booking = state.bookings.get(event.reservationId);
      if (!booking) return state;
      return {
        ...state,
        bookings: new Map(state.bookings).set(booking.reservationId, {
          ...booking,
          noShowFlaggedAt: event.at,
        }),
      };
    }
    case T.reservationFeedbackGiven: {
      const booking = state.bookings.get(event.reservationId);
      if (!booking) return state;
      return {
        ...state,
        bookings: new Map(state.bookings).set(booking.reservationId, withFeedback(booking, event)),
      };
    }
    default:
      return exhaustive(event);
  }
}

function slotQuery(state: DayState, ctx: DayContext, partySize: number, excluding?: string) {
  return {
    business: ctx.business,
    serviceDate: ctx.serviceDate,
    partySize,
    nowMs: ctx.nowMs,
    occupancy: occupancyOf(state),
    ...(excluding ? { excluding } : {}),
  };
}

/** Guests may change or cancel until the cutoff before the start; staff may cancel any time. */
function cutoffRejection(booking: Booking, ctx: DayContext, byStaff: boolean): Rejection | undefined {
  if (byStaff) return undefined;
  const cutoff = ctx.business.profile.rules.cancellationCutoffMinutes;
  if (ctx.nowMs > Date.parse(booking.startsAt) - cutoff * 60_000) {
    return reject(
      'TOO_LATE',
      `Changes close ${cutoff} minutes before the reservation; please call the restaurant.`,
    );
  }
  return undefined;
}

function activeBooking(
  state: DayState,
  reservationId: string,
): { ok: true; booking: Booking } | { ok: false; rejection: Rejection } {
  const booking = state.bookings.get(reservationId);
  if (!booking) return notHere(state, reservationId, '');
  if (!ACTIVE.has(booking.status))
    return fail(reject('ALREADY_CANCELLED', `The reservation is ${booking.status}.`));
  return { ok: true, booking };
}

function notHere(
  state: DayState,
  reservationId: string,
  serviceDate: string,
): { ok: false; rejection: Rejection } {
  const movedTo = state.movedOut.get(reservationId);
  if (movedTo) return fail(reject('MOVED', `Reservation moved to ${movedTo}.`, { movedTo }));
  return fail(
    reject('NOT_FOUND', `No reservation ${reservationId}${serviceDate ? ` on ${serviceDate}` : ''}.`),
  );
}

const fail = (rejection: Rejection): { ok: false; rejection: Rejection } => ({ ok: false, rejection });

function exhaustive(value: never): never {
  throw new Error(`unhandled ${JSON.stringify(value)}`);
}
