import { AvailabilityReads } from './availability-reads.js';
import { BookingCommands } from './booking-commands.js';
import { BusinessCommands } from './business-commands.js';
import { DaySheetReads } from './day-sheet-reads.js';
import type { Business } from './domain/index.js';
import { MoveProcess } from './move-process.js';
import type { ProjectionQueries } from './projection/queries.js';
import { type AggregateDeps, ReservationAggregates } from './store/reservation-aggregates.js';
import { WaitlistCommands } from './waitlist-commands.js';

/**
 * The service's jobs over one set of aggregates: commands go load → decide → append on their
 * aggregate (pure deciders in src/domain/); reads go to the projection. Time and ids come in
 * through the deps, so tests can fix them.
 */
export interface ReservationApp {
  bookings: BookingCommands;
  waitlist: WaitlistCommands;
  availability: AvailabilityReads;
  daySheets: DaySheetReads;
  businesses: BusinessCommands;
  queries: ProjectionQueries;
  /** A registered business, with its rules and hours; NOT_FOUND otherwise. */
  business(businessId: string): Promise<Business>;
  /** The service clock. */
  now(): number;
}

export function reservationApp(deps: AggregateDeps): ReservationApp {
  const aggregates = new ReservationAggregates(deps);
  const availability = new AvailabilityReads(aggregates, deps.queries, deps.now);
  const moves = new MoveProcess(aggregates);
  return {
    bookings: new BookingCommands(aggregates, moves, availability, deps.store, deps.newId),
    waitlist: new WaitlistCommands(aggregates),
    availability,
    daySheets: new DaySheetReads(aggregates),
    businesses: new BusinessCommands(aggregates, deps.directory, deps.now, deps.newId),
    queries: deps.queries,
    business: (businessId) => aggregates.business(businessId),
    now: deps.now,
  };
}
