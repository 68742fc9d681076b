import { type Booking, reservationCreatedSchema } from '@reserveit/contracts';
import type { AvailabilityReads } from './availability-reads.js';
import {
  type Business,
  type DayCommand,
  type Rejection,
  reject,
  reservationIdFor,
  type StaffStatus,
} from './domain/index.js';
import type { MoveProcess } from './move-process.js';
import { RejectedError } from './rejected-error.js';
import type { Outcome } from './store/aggregates.js';
import type { EventStore } from './store/event-store.js';
import type { ReservationAggregates, Where } from './store/reservation-aggregates.js';

/** A day command on a booking that exists (by its id). */
type BookingCommand = Extract<DayCommand, { reservationId: string }>;

export interface CreateInput {
  businessId: string;
  idempotencyKey: string;
  guestWaId: string;
  guestName: string;
  partySize: number;
  date: string;
  time: string;
  notes: string;
  source: Booking['source'];
}

/** `businessId`, when given, scopes the call to that business's reservations (staff tools). */
interface Scoped {
  reservationId: string;
  businessId?: string;
}

export interface ModifyInput extends Scoped {
  date?: string;
  time?: string;
  partySize?: number;
  guestName?: string;
  notes?: string;
  byStaff?: boolean;
}

export interface CancelInput extends Scoped {
  reason: string;
  byStaff: boolean;
}

export interface StatusInput extends Scoped {
  status: StaffStatus;
  /** The staff member, recorded in the event. */
  by?: string;
}

const WALK_IN_NAME = 'Walk-in';

/**
 * Commands on a booking's day aggregate: create, modify on its date, cancel. A modify to another
 * date is the move process (src/move-process.ts). A command on a booking that an unfinished date
 * change left on two dates completes that change's release too.
 */
export class BookingCommands {
  constructor(
    private readonly aggregates: ReservationAggregates,
    private readonly moves: MoveProcess,
    private readonly availability: AvailabilityReads,
    private readonly store: EventStore,
    private readonly newId: () => string,
  ) {}

  async create(
    input: CreateInput,
    deadlineMs?: number,
  ): Promise<{ booking: Booking; replayed: boolean; retries: number }> {
    const business = await this.aggregates.business(input.businessId);
    const reservationId = reservationIdFor(input.businessId, input.idempotencyKey);
    // A walk-in has no phone number: it gets a guest id of its own. A retry with the same key
    // answers the booking made first, with the id made then.
    const guest =
      input.source === 'staff' && input.guestWaId === ''
        ? { guestWaId: `walkin-${this.newId()}`, guestName: input.guestName || WALK_IN_NAME }
        : {};
    // The same key on another date is the reservation made before, wherever it lives now. Our own
    // appends tell within this process; the projection tells for the other replicas' appends once
    // the stream's duplicate window (2 min), which catches the create's Msg-Id on any date, has
    // passed. Without it, that create would book the same reservation id a second time.
    const elsewhere = await this.aggregates.whereIs(reservationId);
    if (elsewhere && elsewhere.serviceDate !== input.date) {
      const booking = await this.aggregates.current(reservationId, elsewhere, deadlineMs);
      return { booking, replayed: true, retries: 0 };
    }
    const command: DayCommand = {
      type: 'create',
      reservationId,
      serviceDate: input.date,
      ...input,
      ...guest,
    };
    const { outcome } = await this.aggregates.executeDay(business, input.date, command, deadlineMs);
    if (outcome.kind === 'duplicate') {
      return {
        booking: await this.fromDuplicate(outcome.seq, deadlineMs),
        replayed: true,
        retries: outcome.retries,
      };
    }
    if (outcome.kind === 'rejected') {
      const { rejection } = outcome;
      if (rejection.code === 'MOVED' && rejection.movedTo) {
        const where = { businessId: input.businessId, serviceDate: rejection.movedTo };
        const booking = await this.aggregates.current(reservationId, where, deadlineMs);
        return { booking, replayed: true, retries: outcome.retries };
      }
      throw new RejectedError(rejection, await this.availability.alternativesFor(rejection, business, input));
    }
    return { ...outcome.result, retries: outcome.retries };
  }

  async modify(input: ModifyInput, deadlineMs?: number): Promise<Booking> {
    const where = await this.locate(input);
    const business = await this.aggregates.business(where.businessId);
    let serviceDate = where.serviceDate;
    const details = {
      ...(input.guestName !== undefined ? { guestName: input.guestName } : {}),
      ...(input.notes !== undefined ? { notes: input.notes } : {}),
      ...(input.byStaff !== undefined ? { byStaff: input.byStaff } : {}),
    };
    if (input.date !== undefined && input.date !== where.serviceDate) {
      const change = {
        reservationId: input.reservationId,
        date: input.date,
        ...(input.time !== undefined ? { time: input.time } : {}),
        ...(input.partySize !== undefined ? { partySize: input.partySize } : {}),
        seenOn: where.serviceDate,
        timezone: business.profile.timezone,
      };
      const changed = await this.moves.changeDate(business, change, deadlineMs);
      if ('moved' in changed) {
        // The move carries the booking as it was; a new name or note is a modify on its new date.
        if (input.guestName === undefined && input.notes === undefined) return changed.moved;
        const command: BookingCommand = { type: 'modify', reservationId: input.reservationId, ...details };
        return this.onItsDay(business, changed.moved.serviceDate, command, deadlineMs);
      }
      // Where we looked was behind: the booking is on the wanted date already.
      serviceDate = changed.inPlace;
    }
    const command: BookingCommand = {
      type: 'modify',
      reservationId: input.reservationId,
      time: input.time,
      partySize: input.partySize,
      ...details,
    };
    return this.onItsDay(business, serviceDate, command, deadlineMs);
  }

  async cancel(input: CancelInput, deadlineMs?: number): Promise<Booking> {
    const where = await this.locate(input);
    const business = await this.aggregates.business(where.businessId);
    const command: BookingCommand = {
      type: 'cancel',
      reservationId: input.reservationId,
      reason: input.reason,
      byStaff: input.byStaff,
    };
    return this.onItsDay(business, where.serviceDate, command, deadlineMs);
  }

  /** Seated, finished or no-show, from the host stand. */
  async setStatus(input: StatusInput, deadlineMs?: number): Promise<Booking> {
    const where = await this.locate(input);
    const business = await this.aggregates.business(where.businessId);
    const command: BookingCommand = {
      type: 'setStatus',
      reservationId: input.reservationId,
      status: input.status,
      ...(input.by ? { by: input.by } : {}),
    };
    return this.onItsDay(business, where.serviceDate, command, deadlineMs);
  }

  /** The guest's answer to a reminder, decided on the booking's day like a status. */
  async answerReminder(
    input: Scoped & { answer: 'confirmed' | 'running_late'; minutes: number },
    deadlineMs?: number,
  ): Promise<Booking> {
    const where = await this.locate(input);
    const business = await this.aggregates.business(where.businessId);
    const command: BookingCommand = {
      type: 'answerReminder',
      reservationId: input.reservationId,
      answer: input.answer,
      ...(input.answer === 'running_late' ? { minutes: input.minutes } : {}),
    };
    return this.onItsDay(business, where.serviceDate, command, deadlineMs);
  }

  /** The guest's rating of a visit (and the comment that may follow), decided on the booking's day. */
  async giveFeedback(
    input: Scoped & { rating?: number; comment?: string },
    deadlineMs?: number,
  ): Promise<Booking> {
    const where = await this.locate(input);
    const business = await this.aggregates.business(where.businessId);
    const command: BookingCommand = {
      type: 'giveFeedback',
      reservationId: input.reservationId,
      ...(input.rating === undefined ? {} : { rating: input.rating }),
      ...(input.comment === undefined ? {} : { comment: input.comment }),
    };
    return this.onItsDay(business, where.serviceDate, command, deadlineMs);
  }

  /**
   * The scheduler's no-show check of a booking planned for `startsAt`, under the restaurant's
   * current no-show settings: off since it was planned, it does nothing.
   */
  async checkNoShow(input: Scoped & { startsAt: string }, deadlineMs?: number): Promise<Booking | undefined> {
    const where = await this.locate(input);
    const business = await this.aggregates.business(where.businessId);
    const { noShow } = business.profile.followUps;
    if (!noShow.enabled) return undefined;
    const command: BookingCommand = {
      type: 'checkNoShow',
      reservationId: input.reservationId,
      startsAt: input.startsAt,
      graceMinutes: noShow.graceMinutes,
      autoMark: noShow.autoMark,
    };
    return this.onItsDay(business, where.serviceDate, command, deadlineMs);
  }

  /** The booking as its day aggregate has it now. */
  async get(input: Scoped, deadlineMs?: number): Promise<Booking> {
    return this.aggregates.current(input.reservationId, await this.locate(input), deadlineMs);
  }

  /**
   * Where the reservation lives. Another business's reservation is answered exactly as an unknown
   * one, so a staff tool scoped to one business cannot learn that an id exists elsewhere.
   */
  private async locate({ reservationId, businessId }: Scoped): Promise<Where> {
    const where = await this.aggregates.whereIs(reservationId);
    if (!where || (businessId !== undefined && where.businessId !== businessId))
      throw new RejectedError(reject('NOT_FOUND', `No reservation ${reservationId}.`));
    return where;
  }

  /**
   * A command on the day the booking lives on. Whatever its own outcome (a retried date change
   * is a no-op here, a late one TOO_LATE, a cancel or not), a date the booking moved away from
   * must not keep its covers: an unfinished change's release is completed first.
   */
  private async onItsDay(
    business: Business,
    serviceDate: string,
    command: BookingCommand,
    deadlineMs?: number,
  ): Promise<Booking> {
    const { outcome, movedFrom } = await this.aggregates.executeDay(
      business,
      serviceDate,
      command,
      deadlineMs,
    );
    if (movedFrom)
      await this.moves.release(business, command.reservationId, movedFrom, serviceDate, deadlineMs);
    return settle(outcome);
  }

  /** A create whose Msg-Id the stream had already: answer with the reservation stored then. */
  private async fromDuplicate(seq: number, deadlineMs?: number): Promise<Booking> {
    const stored = await this.store.get(seq);
    const parsed =
      stored && reservationCreatedSchema.safeParse(JSON.parse(new TextDecoder().decode(stored.data)));
    if (!parsed?.success) throw new Error(`message ${seq} is not a reservation.created`);
    const booking = parsed.data.booking;
    return this.aggregates.current(booking.reservationId, booking, deadlineMs);
  }
}

function settle(outcome: Outcome<{ booking: Booking }, Rejection>): Booking {
  if (outcome.kind === 'done') return outcome.result.booking;
  if (outcome.kind === 'rejected') throw new RejectedError(outcome.rejection);
  throw new Error('an event of this command was stored before under the same id');
}
