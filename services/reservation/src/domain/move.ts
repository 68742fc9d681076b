import type { Booking } from '@reserveit/contracts';
import { wallClockAt } from '@reserveit/time';
import type { DayCommand } from './day.js';
import type { Rejection } from './rejection.js';

/*
 * A date change is a process over two day aggregates, and no publish spans two subjects at once
 * (nats-server 2.9 has no atomic batch publish). So it goes in two steps on the day events that
 * exist already: hold the new date (reservation.created with `movedFrom`), then release the old
 * one (reservation.moved_out). In that order a crash or a failed append between the steps leaves
 * the guest two tables, never none; the new date remembers where the booking came from
 * (DayState.movedFrom in ./day.ts), so the next process on that booking (this change retried,
 * another one, or a modify or cancel on any replica) releases the old date first.
 *
 * Pure: `nextMoveStep` says what to do in a state, the shell (src/move-process.ts) does it and
 * reports what happened as a MoveEvent, `evolveMove` folds that into the next state.
 */

export interface DateChange {
  reservationId: string;
  /** Where the booking was seen last (this replica's appends, else the projection): may be behind. */
  seenOn: string;
  /** The wanted service date. */
  date: string;
  /** Wall-clock time on the new date; the booking's own when missing. */
  time?: string;
  /** The booking's own when missing. */
  partySize?: number;
  /** The business's time zone, to read the booking's wall-clock time. */
  timezone: string;
}

export type MoveState =
  /** Find the booking as its aggregate has it now, following earlier moves from `seenOn`. */
  | { phase: 'locating'; change: DateChange }
  /** Let go of the booking on `from`, where it lives no longer (it is on `to`), then go on with `next`. */
  | { phase: 'releasing'; reservationId: string; from: string; to: string; next: MoveState }
  /** Hold the wanted date for the booking as its present date has it. */
  | { phase: 'holding'; change: DateChange; booking: Booking }
  /** The booking lives on the wanted date, its old date released. */
  | { phase: 'moved'; booking: Booking }
  /** The booking was on the wanted date already (where it was seen was behind): modify it there. */
  | { phase: 'inPlace'; serviceDate: string }
  /** A release an earlier change left undone is done; nothing else was asked. */
  | { phase: 'released' }
  | { phase: 'failed'; rejection: Rejection };

export type MoveEnd = Extract<MoveState, { phase: 'moved' | 'inPlace' | 'released' | 'failed' }>;

/** What a step did, as the shell reports it. */
export type MoveEvent =
  /** `movedFrom`: the date an earlier change moved it in from, which may hold it still. */
  | { type: 'located'; booking: Booking; movedFrom?: string }
  | { type: 'held'; booking: Booking }
  | { type: 'released' }
  | { type: 'refused'; rejection: Rejection };

export type MoveStep =
  | { type: 'locate'; reservationId: string; from: string }
  /** A command on the day aggregate of `serviceDate`. */
  | { type: 'command'; serviceDate: string; command: DayCommand }
  | { type: 'end'; end: MoveEnd };

export const startMove = (change: DateChange): MoveState => ({ phase: 'locating', change });

/** Completes the release an unfinished change left: `from` still holds the booking that is on `to`. */
export const startRelease = (reservationId: string, from: string, to: string): MoveState => ({
  phase: 'releasing',
  reservationId,
  from,
  to,
  next: { phase: 'released' },
});

export function nextMoveStep(state: MoveState): MoveStep {
  switch (state.phase) {
    case 'locating':
      return { type: 'locate', reservationId: state.change.reservationId, from: state.change.seenOn };
    case 'releasing':
      return {
        type: 'command',
        serviceDate: state.from,
        command: { type: 'moveOut', reservationId: state.reservationId, movedTo: state.to },
      };
    case 'holding': {
      const { change, booking } = state;
      return {
        type: 'command',
        serviceDate: change.date,
        command: {
          type: 'moveIn',
          booking,
          serviceDate: change.date,
          time: change.time ?? wallClockAt(Date.parse(booking.startsAt), change.timezone).time,
          partySize: change.partySize ?? booking.partySize,
        },
      };
    }
    default:
      return { type: 'end', end: state };
  }
}

/** Refusals of a release that mean there is nothing (left) to release on that date. */
const RELEASED_ALREADY: ReadonlySet<Rejection['code']> = new Set(['MOVED', 'NOT_FOUND']);

export function evolveMove(state: MoveState, event: MoveEvent): MoveState {
  switch (state.phase) {
    case 'locating': {
      if (event.type === 'refused') return { phase: 'failed', rejection: event.rejection };
      if (event.type !== 'located') break;
      const { change } = state;
      const { booking, movedFrom } = event;
      const after: MoveState =
        booking.serviceDate === change.date
          ? { phase: 'inPlace', serviceDate: change.date }
          : { phase: 'holding', change, booking };
      // An earlier change that held this date but did not release its old one: release it first,
      // so moving on (or back there) starts from one booking, not two.
      if (!movedFrom) return after;
      return {
        phase: 'releasing',
        reservationId: change.reservationId,
        from: movedFrom,
        to: booking.serviceDate,
        next: after,
      };
    }
    case 'releasing':
      if (event.type === 'released') return state.next;
      if (event.type !== 'refused') break;
      // Idempotent: a date that released the booking already answers MOVED, one that never had
      // it NOT_FOUND.
      return RELEASED_ALREADY.has(event.rejection.code)
        ? state.next
        : { phase: 'failed', rejection: event.rejection };
    case 'holding':
      if (event.type === 'refused') return { phase: 'failed', rejection: event.rejection };
      if (event.type !== 'held') break;
      return {
        phase: 'releasing',
        reservationId: state.change.reservationId,
        from: state.booking.serviceDate,
        to: state.change.date,
        next: { phase: 'moved', booking: event.booking },
      };
    default:
      break;
  }
  throw new Error(`a date change in phase ${state.phase} does not expect ${event.type}`);
}
