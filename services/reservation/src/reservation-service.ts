import {
  type Booking,
  type BusinessEvent,
  type BusinessProfile,
  businessEventSchema,
  type DayEvent,
  dayEventSchema,
  type MenuItem,
  type OpeningHours,
  reservationCreatedSchema,
  type Topology,
} from '@reserveit/contracts';
import {
  addDays,
  type Business,
  type BusinessCommand,
  type BusinessState,
  type DayCommand,
  type DayState,
  dayRejection,
  decideBusiness,
  decideDay,
  evolveBusiness,
  evolveDay,
  type FreeSlot,
  freeSlots,
  initialDayState,
  instantOf,
  minutesOf,
  nearestSlots,
  occupancyOf,
  type Rejection,
  reject,
  reservationIdFor,
  slotsOfDay,
  wallClockAt,
} from './domain/index.js';
import type { ProjectionQueries } from './projection/queries.js';
import { Aggregates, type Outcome } from './store/aggregates.js';
import type { BusinessDirectory } from './store/business-directory.js';
import type { EventStore } from './store/event-store.js';

/** A refusal on its way to the caller; the gRPC edge maps its code to a status once. */
export class RejectedError extends Error {
  override name = 'RejectedError';
  constructor(
    readonly rejection: Rejection,
    readonly alternatives: FreeSlot[] = [],
  ) {
    super(rejection.message);
  }
}

export interface ServiceDeps {
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

export interface AvailabilityInput {
  businessId: string;
  partySize: number;
  date: string;
  windowStart?: string;
  windowEnd?: string;
  preferredTime?: string;
}

export interface AvailabilityResult {
  slots: FreeSlot[];
  preferredAvailable: boolean;
  alternatives: FreeSlot[];
  closedReason?: Rejection['code'];
}

const ALTERNATIVES = 3;
/** How many service dates after a full one CheckAvailability looks at for alternatives. */
const LOOKAHEAD_DAYS = 7;
const LOCATOR_SIZE = 100_000;

/**
 * The imperative shell around the deciders: commands go load → decide → append on their
 * aggregate; reads go to the projection. Time and ids come in through `deps`.
 */
export class ReservationService {
  private readonly days: Aggregates<DayState, DayEvent>;
  private readonly businesses: Aggregates<BusinessState, BusinessEvent>;
  /** reservation id → where it lives, from our own appends; the projection knows the rest. */
  private readonly locator = new Map<string, { businessId: string; serviceDate: string }>();

  constructor(private readonly deps: ServiceDeps) {
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

  /** The service clock (a parameter, so tests can fix it). */
  now(): number {
    return this.deps.now();
  }

  // ── businesses ──────────────────────────────────────────────────────────────────────────

  async business(businessId: string): Promise<Business> {
    const known = this.deps.directory.get(businessId);
    if (known) return known;
    const loaded = await this.businesses.load(this.deps.topology.subjects.reservationBusiness(businessId));
    if (!loaded.state) throw new RejectedError(reject('NOT_FOUND', `No business ${businessId}.`));
    return loaded.state;
  }

  async registerBusiness(
    businessId: string,
    profile: BusinessProfile,
    hours: OpeningHours,
    menu: MenuItem[],
  ): Promise<Business> {
    return this.businessCommand({ type: 'register', businessId, profile, hours, menu });
  }

  setHours(businessId: string, hours: OpeningHours): Promise<Business> {
    return this.businessCommand({ type: 'setHours', businessId, hours });
  }

  setMenuItem(businessId: string, item: MenuItem): Promise<Business> {
    return this.businessCommand({ type: 'setMenuItem', businessId, item });
  }

  removeMenuItem(businessId: string, itemId: string): Promise<Business> {
    return this.businessCommand({ type: 'removeMenuItem', businessId, itemId });
  }

  private async businessCommand(command: BusinessCommand): Promise<Business> {
    const subject = this.deps.topology.subjects.reservationBusiness(command.businessId);
    const ctx = {
      nowMs: this.deps.now(),
      newEventId: this.deps.newId,
      ownerOfPhoneNumber: (phoneNumberId: string) => this.deps.directory.ownerOfPhoneNumber(phoneNumberId),
    };
    let events: BusinessEvent[] = [];
    const outcome = await this.businesses.execute(subject, (state) => {
      const decision = decideBusiness(command, state, ctx);
      if (!decision.ok) return decision;
      events = decision.events;
      return { ok: true, events: decision.events, result: decision.events.reduce(evolveBusiness, state) };
    });
    if (outcome.kind === 'rejected') throw new RejectedError(outcome.rejection);
    if (outcome.kind === 'duplicate' || !outcome.result)
      throw new Error(`unexpected ${outcome.kind} on ${subject}`);
    // Our own events reach the directory at once; its consumer skips them by sequence later.
    for (const [index, event] of events.entries()) {
      const seq = outcome.seqs[index];
      if (seq !== undefined) this.deps.directory.apply(event, seq);
    }
    return outcome.result;
  }

  // ── bookings ────────────────────────────────────────────────────────────────────────────

  async createReservation(
    input: CreateInput,
    deadlineMs?: number,
  ): Promise<{ booking: Booking; replayed: boolean; retries: number }> {
    const business = await this.business(input.businessId);
    const reservationId = reservationIdFor(input.businessId, input.idempotencyKey);
    // The same key on another date is the reservation made before, wherever it lives now. Our own
    // appends tell within this process; the projection tells for the other replicas' appends once
    // the stream's duplicate window (2 min), which catches the create's Msg-Id on any date, has
    // passed. Without it, that create would book the same reservation id a second time.
    const elsewhere = this.locator.get(reservationId) ?? (await this.deps.queries.reservation(reservationId));
    if (elsewhere && elsewhere.serviceDate !== input.date) {
      const found = await this.current(reservationId, elsewhere, deadlineMs);
      return { booking: found.booking, replayed: true, retries: 0 };
    }
    const command: DayCommand = { type: 'create', reservationId, serviceDate: input.date, ...input };
    const { outcome } = await this.dayCommand(business, input.date, command, deadlineMs);
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
        const found = await this.current(
          reservationId,
          { businessId: input.businessId, serviceDate: rejection.movedTo },
          deadlineMs,
        );
        return { booking: found.booking, replayed: true, retries: outcome.retries };
      }
      throw new RejectedError(rejection, await this.alternativesFor(rejection, business, input));
    }
    return { ...outcome.result, retries: outcome.retries };
  }

  async modifyReservation(
    input: { reservationId: string; date?: string; time?: string; partySize?: number },
    deadlineMs?: number,
  ): Promise<Booking> {
    const where = await this.locate(input.reservationId);
    const business = await this.business(where.businessId);
    if (input.date === undefined || input.date === where.serviceDate) {
      return this.modifyInPlace(business, where.serviceDate, input, deadlineMs);
    }
    const date = input.date;
    const { booking: old, movedFrom } = await this.current(input.reservationId, where, deadlineMs);
    // An earlier date change that held this date but did not release its old one: release it first,
    // so moving on (or back there) starts from one booking, not two.
    if (movedFrom) await this.release(business, input.reservationId, movedFrom, old.serviceDate, deadlineMs);
    // Where we looked was behind: the booking is on the wanted date already.
    if (date === old.serviceDate) return this.modifyInPlace(business, date, input, deadlineMs);
    // A date change spans two aggregates: hold the new date first, then release the old one, so
    // a crash in between leaves the guest a table twice rather than none. The new date records
    // where the booking came from, so the next modify or cancel (this one retried, or any other,
    // on any replica) completes the release.
    const time = input.time ?? wallClockAt(Date.parse(old.startsAt), business.profile.timezone).time;
    const moveIn: DayCommand = {
      type: 'moveIn',
      booking: old,
      serviceDate: date,
      time,
      partySize: input.partySize ?? old.partySize,
    };
    const moved = this.settle((await this.dayCommand(business, date, moveIn, deadlineMs)).outcome);
    await this.release(business, input.reservationId, old.serviceDate, date, deadlineMs);
    return moved;
  }

  async cancelReservation(
    input: { reservationId: string; reason: string; byStaff: boolean },
    deadlineMs?: number,
  ): Promise<Booking> {
    const where = await this.locate(input.reservationId);
    const business = await this.business(where.businessId);
    const command: DayCommand = { type: 'cancel', ...input };
    const { outcome, movedFrom } = await this.dayCommand(business, where.serviceDate, command, deadlineMs);
    // Cancelled or not, a date the booking moved away from must not keep its covers.
    if (movedFrom)
      await this.release(business, input.reservationId, movedFrom, where.serviceDate, deadlineMs);
    return this.settle(outcome);
  }

  /** Time and party size on the booking's own date; completes a pending release of an old date. */
  private async modifyInPlace(
    business: Business,
    serviceDate: string,
    input: { reservationId: string; time?: string; partySize?: number },
    deadlineMs?: number,
  ): Promise<Booking> {
    const command: DayCommand = {
      type: 'modify',
      reservationId: input.reservationId,
      time: input.time,
      partySize: input.partySize,
    };
    const { outcome, movedFrom } = await this.dayCommand(business, serviceDate, command, deadlineMs);
    // Whatever this modify's own outcome (a retry of a date change is a no-op here, a late one is
    // TOO_LATE), the old date of an unfinished date change is released.
    if (movedFrom) await this.release(business, input.reservationId, movedFrom, serviceDate, deadlineMs);
    return this.settle(outcome);
  }

  /**
   * Second step of a date change: `from` lets go of the booking that now lives on `movedTo`.
   * Idempotent: a date that released it already answers MOVED, one that never had it NOT_FOUND.
   */
  private async release(
    business: Business,
    reservationId: string,
    from: string,
    movedTo: string,
    deadlineMs?: number,
  ): Promise<void> {
    const moveOut: DayCommand = { type: 'moveOut', reservationId, movedTo };
    const { outcome } = await this.dayCommand(business, from, moveOut, deadlineMs);
    if (outcome.kind === 'rejected' && !['MOVED', 'NOT_FOUND'].includes(outcome.rejection.code))
      throw new RejectedError(outcome.rejection);
  }

  /**
   * One command on one day. `movedFrom`: the date the command's booking moved in from, as the
   * state the command was decided on has it (whatever the outcome), for completing its release.
   */
  private async dayCommand(
    business: Business,
    serviceDate: string,
    command: DayCommand,
    deadlineMs?: number,
  ): Promise<{ outcome: Outcome<{ booking: Booking; replayed: boolean }, Rejection>; movedFrom?: string }> {
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
    if (outcome.kind === 'done' && command.type !== 'moveOut') {
      this.remember(outcome.result.booking);
    }
    return movedFrom ? { outcome, movedFrom } : { outcome };
  }

  private settle(outcome: Outcome<{ booking: Booking }, Rejection>): Booking {
    if (outcome.kind === 'done') return outcome.result.booking;
    if (outcome.kind === 'rejected') throw new RejectedError(outcome.rejection);
    throw new Error('an event of this command was stored before under the same id');
  }

  /** Where a reservation lives: our own appends first, then the projection. */
  private async locate(reservationId: string): Promise<{ businessId: string; serviceDate: string }> {
    const known = this.locator.get(reservationId);
    if (known) return known;
    const row = await this.deps.queries.reservation(reservationId);
    if (!row) throw new RejectedError(reject('NOT_FOUND', `No reservation ${reservationId}.`));
    return { businessId: row.businessId, serviceDate: row.serviceDate };
  }

  /**
   * The booking as its aggregate has it now, following a date change if there was one, with the
   * date it moved in from when that date may still hold it (see DayState.movedFrom).
   */
  private async current(
    reservationId: string,
    where: { businessId: string; serviceDate: string },
    deadlineMs?: number,
  ): Promise<{ booking: Booking; movedFrom?: string }> {
    let serviceDate = where.serviceDate;
    for (let hop = 0; hop < 4; hop++) {
      const loaded = await this.days.load(
        this.deps.topology.subjects.reservationDay(where.businessId, serviceDate),
        deadlineMs,
      );
      const booking = loaded.state.bookings.get(reservationId);
      if (booking) {
        this.remember(booking);
        const movedFrom = loaded.state.movedFrom.get(reservationId);
        return movedFrom ? { booking, movedFrom } : { booking };
      }
      const movedTo = loaded.state.movedOut.get(reservationId);
      if (!movedTo) break;
      serviceDate = movedTo;
    }
    throw new RejectedError(reject('NOT_FOUND', `No reservation ${reservationId}.`));
  }

  /** A create whose Msg-Id the stream had already: answer with the reservation stored then. */
  private async fromDuplicate(seq: number, deadlineMs?: number): Promise<Booking> {
    const stored = await this.deps.store.get(seq);
    const parsed =
      stored && reservationCreatedSchema.safeParse(JSON.parse(new TextDecoder().decode(stored.data)));
    if (!parsed?.success) throw new Error(`message ${seq} is not a reservation.created`);
    const booking = parsed.data.booking;
    return (await this.current(booking.reservationId, booking, deadlineMs)).booking;
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

  // ── availability (reads the projection) ────────────────────────────────────────────────

  async checkAvailability(input: AvailabilityInput): Promise<AvailabilityResult> {
    const business = await this.business(input.businessId);
    const nowMs = this.deps.now();
    const base = { business, partySize: input.partySize, nowMs };
    const closed = dayRejection({ ...base, serviceDate: input.date });
    const dayFree = await this.freeOn(business, input.date, input.partySize, nowMs);
    const inWindow = dayFree.filter((slot) =>
      inside(slot.time, slot.calendarDate !== input.date, input.windowStart, input.windowEnd),
    );
    const seatings = slotsOfDay({ business, serviceDate: input.date });
    // A time no seating starts at (after the last one, say) is closed then, not fully booked.
    const noSeatingThen =
      Boolean(input.preferredTime) && !seatings.some((slot) => slot.time === input.preferredTime);
    const closedReason = closed?.code ?? (seatings.length === 0 || noSeatingThen ? 'CLOSED' : undefined);
    if (!input.preferredTime) {
      return {
        slots: inWindow,
        preferredAvailable: false,
        alternatives: [],
        ...(closedReason ? { closedReason } : {}),
      };
    }
    const preferredAvailable = dayFree.some((slot) => slot.time === input.preferredTime);
    const alternatives = preferredAvailable
      ? []
      : await this.nearestFree(business, input.date, input.preferredTime, input.partySize, nowMs, dayFree);
    return { slots: inWindow, preferredAvailable, alternatives, ...(closedReason ? { closedReason } : {}) };
  }

  private async freeOn(
    business: Business,
    serviceDate: string,
    partySize: number,
    nowMs: number,
  ): Promise<FreeSlot[]> {
    if (dayRejection({ business, serviceDate, partySize, nowMs })) return [];
    if (slotsOfDay({ business, serviceDate }).length === 0) return [];
    const occupancy = await this.deps.queries.occupancy(business.businessId, serviceDate);
    return freeSlots({ business, serviceDate, partySize, nowMs, occupancy });
  }

  /** The free slots nearest the wanted time: on its date, else on the next dates that have any. */
  private async nearestFree(
    business: Business,
    date: string,
    time: string,
    partySize: number,
    nowMs: number,
    dayFree?: FreeSlot[],
  ): Promise<FreeSlot[]> {
    for (let offset = 0; offset <= LOOKAHEAD_DAYS; offset++) {
      const serviceDate = addDays(date, offset);
      const free =
        offset === 0 && dayFree ? dayFree : await this.freeOn(business, serviceDate, partySize, nowMs);
      if (free.length === 0) continue;
      const target = targetInstant(business, serviceDate, time);
      return nearestSlots(free, target, ALTERNATIVES);
    }
    return [];
  }

  /**
   * Alternatives for a refused create. The refused date's occupancy comes from its aggregate, not
   * the projection: the projection may not have the booking yet that just filled the slot.
   */
  private async alternativesFor(
    rejection: Rejection,
    business: Business,
    input: CreateInput,
  ): Promise<FreeSlot[]> {
    if (!['NO_CAPACITY', 'CLOSED', 'TOO_SOON'].includes(rejection.code)) return [];
    const nowMs = this.deps.now();
    const query = { business, serviceDate: input.date, partySize: input.partySize, nowMs };
    if (dayRejection(query)) return [];
    const loaded = await this.days.load(
      this.deps.topology.subjects.reservationDay(business.businessId, input.date),
    );
    const dayFree = freeSlots({ ...query, occupancy: occupancyOf(loaded.state) });
    return this.nearestFree(business, input.date, input.time, input.partySize, nowMs, dayFree);
  }

  // ── reads ───────────────────────────────────────────────────────────────────────────────

  get queries(): ProjectionQueries {
    return this.deps.queries;
  }
}

/** The wanted time as an instant on a service date (late-night times fall after midnight). */
function targetInstant(business: Business, serviceDate: string, time: string): number {
  const slots = slotsOfDay({ business, serviceDate });
  const same = slots.find((slot) => slot.time === time);
  if (same) return same.startMs;
  return instantOf(serviceDate, time, business.profile.timezone) ?? Date.parse(`${serviceDate}T12:00:00Z`);
}

/** Window bounds are wall-clock times of the service; a past-midnight slot counts as 24:00 and later. */
function inside(time: string, nextDay: boolean, start?: string, end?: string): boolean {
  const minute = minutesOf(time) + (nextDay ? 24 * 60 : 0);
  if (start && minute < minutesOf(start)) return false;
  if (end && minute > minutesOf(end) + (end < (start ?? '00:00') ? 24 * 60 : 0)) return false;
  return true;
}
