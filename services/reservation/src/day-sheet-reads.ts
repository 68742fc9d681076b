import { type DaySheet, daySheet } from './domain/index.js';
import type { ReservationAggregates } from './store/reservation-aggregates.js';

/** The host stand's day sheet. */
export class DaySheetReads {
  constructor(private readonly aggregates: ReservationAggregates) {}

  /**
   * Read from the day aggregate, not the projection: loading it folds in every message its subject
   * holds when the read starts (the cached state caught up by sequence, `next_by_subj` gets), so a
   * console that refetches on seeing a day event gets a sheet with that event in it, which the
   * asynchronous projection cannot promise. One day is a few dozen events, whatever the stream's
   * size: a per-subject read costs the same for a business with years of bookings.
   */
  async sheet(
    businessId: string,
    serviceDate: string,
    includeCancelled: boolean,
    deadlineMs?: number,
  ): Promise<DaySheet> {
    const business = await this.aggregates.business(businessId);
    const state = await this.aggregates.day(businessId, serviceDate, deadlineMs);
    return daySheet(business, serviceDate, state, includeCancelled);
  }
}
