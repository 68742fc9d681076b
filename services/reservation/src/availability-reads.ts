import { addDays, instantOf, minutesOf } from '@reserveit/time';
import {
  type Business,
  dayRejection,
  type FreeSlot,
  freeSlots,
  nearestSlots,
  occupancyOf,
  type Rejection,
  slotsOfDay,
} from './domain/index.js';
import type { ProjectionQueries } from './projection/queries.js';
import type { ReservationAggregates } from './store/reservation-aggregates.js';

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

/** What a refused create asked for, to look for alternatives around. */
export interface WantedSlot {
  date: string;
  time: string;
  partySize: number;
}

const ALTERNATIVES = 3;
/** How many service dates after a full one CheckAvailability looks at for alternatives. */
const LOOKAHEAD_DAYS = 7;

/** Free slots and alternatives: from the projection, or the day aggregate where it must be exact. */
export class AvailabilityReads {
  constructor(
    private readonly aggregates: ReservationAggregates,
    private readonly queries: ProjectionQueries,
    private readonly now: () => number,
  ) {}

  async check(input: AvailabilityInput): Promise<AvailabilityResult> {
    const business = await this.aggregates.business(input.businessId);
    const nowMs = this.now();
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

  /**
   * Alternatives for a refused create. The refused date's occupancy comes from its aggregate, not
   * the projection: the projection may not have the booking yet that just filled the slot.
   */
  async alternativesFor(rejection: Rejection, business: Business, wanted: WantedSlot): Promise<FreeSlot[]> {
    if (!['NO_CAPACITY', 'CLOSED', 'TOO_SOON'].includes(rejection.code)) return [];
    const nowMs = this.now();
    const query = { business, serviceDate: wanted.date, partySize: wanted.partySize, nowMs };
    if (dayRejection(query)) return [];
    const state = await this.aggregates.day(business.businessId, wanted.date);
    const dayFree = freeSlots({ ...query, occupancy: occupancyOf(state) });
    return this.nearestFree(business, wanted.date, wanted.time, wanted.partySize, nowMs, dayFree);
  }

  private async freeOn(
    business: Business,
    serviceDate: string,
    partySize: number,
    nowMs: number,
  ): Promise<FreeSlot[]> {
    if (dayRejection({ business, serviceDate, partySize, nowMs })) return [];
    if (slotsOfDay({ business, serviceDate }).length === 0) return [];
    const occupancy = await this.queries.occupancy(business.businessId, serviceDate);
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
