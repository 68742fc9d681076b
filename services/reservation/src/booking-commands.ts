import { type Booking, reservationCreatedSchema } from '@reserveit/contracts';
import type { AvailabilityReads } from './availability-reads.js';
import { type Business, type DayCommand, type Rejection, reservationIdFor } from './domain/index.js';
import type { MoveProcess } from './move-process.js';
import { RejectedError } from './rejected-error.js';
import type { Outcome } from './store/aggregates.js';
import type { EventStore } from './store/event-store.js';
import type { ReservationAggregates } from './store/reservation-aggregates.js';

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

export interface ModifyInput {
  reservationId: string;
  date?: string;
  time?: string;
  partySize?: number;
}

export interface CancelInput {
  reservationId: string;
  reason: string;
  byStaff: boolean;
}

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
  ) {}

  async create(
    input: CreateInput,
    deadlineMs?: number,
  ): Promise<{ booking: Booking; replayed: boolean; retries: number }> {
    const business = await this.aggregates.business(input.businessId);
    const reservationId = reservationIdFor(input.businessId, input.idempotencyKey);
    // The same key on another date is the reservation made before, wherever it lives now. Our own
    // appends tell within this process; the projection tells for the other replicas' appends once
    // the stream's duplicate window (2 min), which catches the create's Msg-Id on any date, has
    // passed. Without it, that create would book the same reservation id a second time.
    const elsewhere = await this.aggregates.whereIs(reservationId);
    if (elsewhere && elsewhere.serviceDate !== input.date) {
      const booking = await this.aggregates.current(reservationId, elsewhere, deadlineMs);
      return { booking, replayed: true, retries: 0 };
    }
    const command: DayCommand = { type: 'create', reservationId, serviceDate: input.date, ...input };
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
    const where = await this.aggregates.locate(input.reservationId);
    const business = await this.aggregates.business(where.businessId);
    let serviceDate = where.serviceDate;
    if (input.date !== undefined && input.date !== where.serviceDate) {
      const change = {
        ...input,
        date: input.date,
        seenOn: where.serviceDate,
        timezone: business.profile.timezone,
      };
      const changed = await this.moves.changeDate(business, change, deadlineMs);
      if ('moved' in changed) return changed.moved;
      // Where we looked was behind: the booking is on the wanted date already.
      serviceDate = changed.inPlace;
    }
    const command: BookingCommand = {
      type: 'modify',
      reservationId: input.reservationId,
      time: input.time,
      partySize: input.partySize,
    };
    return this.onItsDay(business, serviceDate, command, deadlineMs);
  }

  async cancel(input: CancelInput, deadlineMs?: number): Promise<Booking> {
    const where = await this.aggregates.locate(input.reservationId);
    const business = await this.aggregates.business(where.businessId);
    return this.onItsDay(business, where.serviceDate, { type: 'cancel', ...input }, deadlineMs);
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
