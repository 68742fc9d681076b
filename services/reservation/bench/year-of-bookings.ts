import type { JetStreamClient } from '@nats-io/jetstream';
import {
  type Booking,
  type BusinessProfile,
  DEFAULT_FOLLOW_UPS,
  type OpeningHours,
  type ReservationStreamEvent,
  RESERVATION_EVENT_TYPES as T,
  type Topology,
} from '@reserveit/contracts';
import { addDays } from '@reserveit/time';

/**
 * The restaurants and the year of bookings the day-sheet and console benchmarks load: every
 * restaurant open 12:00–23:30 every day, and each of its days holding the same count of
 * bookings, so the size of every day sheet is known.
 */
export const YEAR_FIRST_DAY = '2026-06-01';
export const YEAR_DAYS = 365;

/** Day `d` of the loaded year, as a service date. */
export const yearDate = (d: number): string => addDays(YEAR_FIRST_DAY, d);

export interface BenchBusiness {
  id: string;
  profile: BusinessProfile;
  hours: OpeningHours;
}

const everyDay = Object.fromEntries(
  (['1', '2', '3', '4', '5', '6', '7'] as const).map((d) => [d, [{ start: '12:00', end: '23:30' }]]),
);

/** Restaurant `b` of a benchmark: id `bench-<b>`, WhatsApp number 400000000000000 + b. */
export function benchBusiness(b: number): BenchBusiness {
  return {
    id: `bench-${b}`,
    profile: {
      name: `Bench ${b}`,
      phoneNumberId: String(400000000000000 + b),
      displayPhoneNumber: '15550005555',
      bookingFlowId: '',
      followUps: DEFAULT_FOLLOW_UPS,
      timezone: 'Asia/Dubai',
      locales: ['en'],
      greetings: {},
      rules: {
        slotMinutes: 15,
        seatingMinutes: 90,
        capacityCovers: 400,
        maxPartySize: 10,
        minLeadMinutes: 0,
        horizonDays: 400,
        cancellationCutoffMinutes: 0,
      },
      templates: [],
    },
    hours: { weekly: everyDay, closedDates: [], specialHours: {} },
  };
}

/**
 * Appends about `bookings` `reservation.created` events for restaurants 0 … `businesses` − 1 over
 * `YEAR_DAYS` days from `YEAR_FIRST_DAY`, as the reservation service writes them (its subjects,
 * event shape and Msg-Id), 1,000 publishes in flight. Resolves with the bookings per restaurant
 * and day, and how many were appended.
 */
export async function appendYearOfBookings(
  js: JetStreamClient,
  topology: Topology,
  { bookings, businesses }: { bookings: number; businesses: number },
): Promise<{ perDay: number; appended: number }> {
  const perDay = Math.max(1, Math.round(bookings / (businesses * YEAR_DAYS)));
  let inFlight: Promise<unknown>[] = [];
  let n = 0;
  // Day by day, every business: the stream interleaves subjects as a live year would.
  for (let d = 0; d < YEAR_DAYS; d++) {
    const serviceDate = yearDate(d);
    for (let b = 0; b < businesses; b++) {
      for (let i = 0; i < perDay; i++, n++) {
        // Seatings from 12:00 to 22:00 local (UTC+4), every 15 minutes.
        const minute = 8 * 60 + ((i * 15) % (10 * 60));
        const startsAt = new Date(Date.parse(`${serviceDate}T00:00:00Z`) + minute * 60_000);
        const booking: Booking = {
          reservationId: `r_${b}_${d}_${i}`,
          businessId: benchBusiness(b).id,
          serviceDate,
          guestWaId: `9715${String(n).padStart(8, '0')}`,
          guestName: `Guest ${n}`,
          partySize: 2,
          startsAt: startsAt.toISOString(),
          endsAt: new Date(startsAt.getTime() + 90 * 60_000).toISOString(),
          status: 'confirmed',
          notes: '',
          source: 'whatsapp',
          idempotencyKey: `k${n}`,
        };
        const event: ReservationStreamEvent = {
          v: 1,
          id: `${booking.reservationId}:created`,
          at: new Date().toISOString(),
          type: T.reservationCreated,
          booking,
        };
        const subject = topology.subjects.reservationDay(booking.businessId, serviceDate);
        inFlight.push(js.publish(subject, JSON.stringify(event), { msgID: event.id }));
        if (inFlight.length >= 1_000) {
          await Promise.all(inFlight);
          inFlight = [];
        }
      }
    }
  }
  await Promise.all(inFlight);
  return { perDay, appended: n };
}
