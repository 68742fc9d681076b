import {
  type Booking,
  type BusinessEvent,
  businessEventSchema,
  type DayEvent,
  dayEventSchema,
  type Topology,
} from '@reserveit/contracts';
import {
  type Business,
  type BusinessState,
  type DayCommand,
  type DayState,
  decideDay,
  decideWaitlist,
  evolveBusiness,
  evolveDay,
  initialDayState,
  type Rejection,
  reject,
  type WaitlistCommand,
  type WaitlistPlace,
} from '../domain/index.js';
import type { ProjectionQueries } from '../projection/queries.js';
import { RejectedError } from '../rejected-error.js';
import { Aggregates, type Decision, type Outcome } from './aggregates.js';
import type { BusinessDirectory } from './business-directory.js';
import type { EventStore } from './event-store.js';

export interface AggregateDeps {
  store: EventStore;
  topology: Topology;
  directory: BusinessDirectory;
  queries: ProjectionQueries;
  now(): number;
  newId(): string;
  maxRetries: number;
  cacheSize: number;
  onConflict?(): void;
}

/** Where a reservation lives: its business and service date. */
export interface Where {
  businessId: string;
  serviceDate: string;
}

export interface DayResult {
  /** The command's outcome; `result.replayed`: it changed nothing (asked for what was so already). */
  outcome: Outcome<{ booking: Booking; replayed: boolean }, Rejection>;
  /**
   * The date the command's booking moved in from, as the state the command was decided on has it
   * (whatever the outcome), for completing its release (src/domain/move.ts).
   */
  movedFrom?: string;
}

const LOCATOR_SIZE = 100_000;
/** Hops a lookup follows from date to date; a booking that moved more often answers NOT_FOUND. */
const MOVE_HOPS = 4;

/**
 * The day and business aggregates every job of the service works on: loading and caching (one
 * Aggregates per type, src/store/aggregates.ts), running one command on one aggregate, and
 * finding where a reservation lives.
 */
export class ReservationAggregates {
  private readonly days: Aggregates<DayState, DayEvent>;
  private readonly businesses: Aggregates<BusinessState, BusinessEvent>;
  /** reservation id → where it lives, from our own appends; the projection knows the rest. */
  private readonly locator = new Map<string, Where>();

  constructor(private readonly deps: AggregateDeps) {
    const options = { maxRetries: deps.maxRetries, cacheSize: deps.cacheSize, onConflict: deps.onConflict };
    this.days = new Aggregates(
      deps.store,
      {
        initial: initialDayState,
        evolve: evolveDay,
        parse: (data) => dayEventSchema.parse(JSON.parse(new TextDecoder().decode(data))),
      },
      options,
    );
    this.businesses = new Aggregates(
      deps.store,
      {
        initial: (): BusinessState => undefined,
        evolve: evolveBusiness,
        parse: (data) => businessEventSchema.parse(JSON.parse(new TextDecoder().decode(data))),
      },
      options,
    );
  }

  /** The business from the in-memory directory, else from its aggregate; NOT_FOUND when unregistered. */
  async business(businessId: string): Promise<Business> {
    const known = this.deps.directory.get(businessId);
    if (known) return known;
    const loaded = await this.businesses.load(this.deps.topology.subjects.reservationBusiness(businessId));
    if (!loaded.state) throw new RejectedError(reject('NOT_FOUND', `No business ${businessId}.`));
    return loaded.state;
  }

  executeBusiness<R>(
    businessId: string,
    decide: (state: BusinessState) => Decision<BusinessEvent, R, Rejection>,
  ): Promise<Outcome<R, Rejection>> {
    return this.businesses.execute(this.deps.topology.subjects.reservationBusiness(businessId), decide);
  }

  async day(businessId: string, serviceDate: string, deadlineMs?: number): Promise<DayState> {
    const subject = this.deps.topology.subjects.reservationDay(businessId, serviceDate);
    return (await this.days.load(subject, deadlineMs)).state;
  }

  /** One command on one day, decided on its state at the time and the service clock. */
  async executeDay(
    business: Business,
    serviceDate: string,
    command: DayCommand,
    deadlineMs?: number,
  ): Promise<DayResult> {
    const subject = this.deps.topology.subjects.reservationDay(business.businessId, serviceDate);
    const reservationId = command.type === 'moveIn' ? command.booking.reservationId : command.reservationId;
    let movedFrom: string | undefined;
    const outcome = await this.days.execute(
      subject,
      (state) => {
        movedFrom = state.movedFrom.get(reservationId);
        const decision = decideDay(command, state, {
          business,
          serviceDate,
          nowMs: this.deps.now(),
          newEventId: this.deps.newId,
        });
        if (!decision.ok) return decision;
        return {
          ok: true,
          events: decision.events,
          result: { booking: decision.booking, replayed: decision.replayed },
        };
      },
      deadlineMs,
    );
    // A moveOut answers with the booking it let go of: it lives on another date now.
    if (outcome.kind === 'done' && command.type !== 'moveOut') this.remember(outcome.result.booking);
    return movedFrom ? { outcome, movedFrom } : { outcome };
  }

  /** One waitlist command on one day; the booking of an accepted offer is remembered like any. */
  async executeWaitlist(
    business: Business,
    serviceDate: string,
    command: WaitlistCommand,
    deadlineMs?: number,
  ): Promise<Outcome<{ place: WaitlistPlace; booking?: Booking; replayed: boolean }, Rejection>> {
    const subject = this.deps.topology.subjects.reservationDay(business.businessId, serviceDate);
    const outcome = await this.days.execute(
      subject,
      (state) => {
        const decision = decideWaitlist(command, state, {
          business,
          serviceDate,
          nowMs: this.deps.now(),
          newEventId: this.deps.newId,
        });
        if (!decision.ok) return decision;
        const { events, ...result } = decision;
        return { ok: true, events, result };
      },
      deadlineMs,
    );
    if (outcome.kind === 'done' && outcome.result.booking) this.remember(outcome.result.booking);
    return outcome;
  }

  /** Where a reservation lives as far as we know: our own appends first, then the projection. */
  async whereIs(reservationId: string): Promise<Where | undefined> {
    const known = this.locator.get(reservationId);
    if (known) return known;
    const row = await this.deps.queries.reservation(reservationId);
    return row ? { businessId: row.businessId, serviceDate: row.serviceDate } : undefined;
  }

  /**
   * The booking as its aggregate has it now, following date changes from `where`, with the date it
   * moved in from when that date may still hold it (see DayState.movedFrom).
   */
  async find(
    reservationId: string,
    where: Where,
    deadlineMs?: number,
  ): Promise<{ booking: Booking; movedFrom?: string } | undefined> {
    let serviceDate = where.serviceDate;
    for (let hop = 0; hop < MOVE_HOPS; hop++) {
      const state = await this.day(where.businessId, serviceDate, deadlineMs);
      const booking = state.bookings.get(reservationId);
      if (booking) {
        this.remember(booking);
        const movedFrom = state.movedFrom.get(reservationId);
        return movedFrom ? { booking, movedFrom } : { booking };
      }
      const movedTo = state.movedOut.get(reservationId);
      if (!movedTo) return undefined;
      serviceDate = movedTo;
    }
    return undefined;
  }

  /** The booking as its aggregate has it now (see find); NOT_FOUND when it is nowhere. */
  async current(reservationId: string, where: Where, deadlineMs?: number): Promise<Booking> {
    const found = await this.find(reservationId, where, deadlineMs);
    if (!found) throw new RejectedError(reject('NOT_FOUND', `No reservation ${reservationId}.`));
    return found.booking;
  }

  private remember(booking: Booking): void {
    this.locator.delete(booking.reservationId);
    this.locator.set(booking.reservationId, {
      businessId: booking.businessId,
      serviceDate: booking.serviceDate,
    });
    if (this.locator.size > LOCATOR_SIZE) {
      const oldest = this.locator.keys().next();
      if (!oldest.done) this.locator.delete(oldest.value);
    }
  }
}
