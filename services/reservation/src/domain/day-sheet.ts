import type { Booking } from '@reserveit/contracts';
import { coversTakenAt, slotsOfDay } from './availability.js';
import type { Business } from './business.js';
import { type DayState, occupancyOf } from './day.js';
import type { WaitlistPlace } from './waitlist.js';

export interface SheetSlot {
  time: string;
  startMs: number;
  capacityCovers: number;
  /**
   * Covers in the room during this slot: the bookings seated at some moment of it. Availability
   * asks another question (what a new seating starting here would overlap, its whole length), which
   * would show a 20:00 party as using the 18:45 slot.
   */
  coversUsed: number;
}

export interface DaySheet {
  /** CLOSED when no seating starts that day (bookings made before a closure are still listed). */
  closedReason?: 'CLOSED';
  slots: SheetSlot[];
  /** By start, then guest name. */
  bookings: Booking[];
  /** In join order, every status. */
  waitlist: WaitlistPlace[];
}

/** The host stand's view of one service date, from the day aggregate's state. */
export function daySheet(
  business: Business,
  serviceDate: string,
  state: DayState,
  includeCancelled: boolean,
): DaySheet {
  const occupancy = occupancyOf(state);
  const capacityCovers = business.profile.rules.capacityCovers;
  const slotMs = business.profile.rules.slotMinutes * 60_000;
  const slots = slotsOfDay({ business, serviceDate }).map((slot) => ({
    time: slot.time,
    startMs: slot.startMs,
    capacityCovers,
    coversUsed: coversTakenAt({ startMs: slot.startMs, endMs: slot.startMs + slotMs }, { occupancy }),
  }));
  const bookings = [...state.bookings.values()]
    .filter((booking) => includeCancelled || booking.status !== 'cancelled')
    .sort(
      (a, b) =>
        Date.parse(a.startsAt) - Date.parse(b.startsAt) ||
        a.guestName.localeCompare(b.guestName) ||
        a.reservationId.localeCompare(b.reservationId),
    );
  return {
    ...(slots.length === 0 ? { closedReason: 'CLOSED' as const } : {}),
    slots,
    bookings,
    waitlist: [...state.waitlist.values()],
  };
}
