import { businessOfFlowToken } from '@reserveit/contracts';
import { addDays, localDateAt } from '@reserveit/time';
import { z } from 'zod';
import type { FlowRequest } from './flow-request.js';

/** What the booking Flow needs to know of a restaurant. */
export interface FlowBusiness {
  timezone: string;
  horizonDays: number;
  maxPartySize: number;
}

/** Live availability, from the reservation service (reservation-availability.ts) or a test's. */
export interface FlowAvailability {
  business(businessId: string): Promise<FlowBusiness | undefined>;
  /** The free start times ("HH:MM") of a service date for a party; empty when closed or full. */
  freeTimes(businessId: string, date: string, partySize: number): Promise<string[]>;
}

/**
 * The date picker looks this many days ahead at most: each day is one CheckAvailability call, and
 * Meta wants an answer within seconds (the Flow shows an error past 10 s).
 */
export const FLOW_MAX_DAYS = 31;
/** The party sizes the dropdown offers at most; larger parties talk to the team in the chat. */
const FLOW_MAX_PARTY = 20;

/** What the endpoint answers (encrypted by the route), or a status for Meta's client. */
export type FlowAnswer =
  | { kind: 'answer'; body: Record<string, unknown> }
  /** 427: the Flow token is not one of ours; WhatsApp shows that the Flow expired. */
  | { kind: 'invalid_token' };

const option = (value: string) => ({ id: value, title: value });

const bookingSubmission = z.object({
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  party_size: z.coerce.number().int().min(1).max(FLOW_MAX_PARTY),
});

/**
 * The booking Flow's screens (services/ingress/flows/booking.json): BOOKING (date, party size)
 * then TIME (a free slot, the name), fed by live availability. `now` is the request's instant.
 */
export async function answerBookingFlow(
  request: FlowRequest,
  availability: FlowAvailability,
  now: Date,
): Promise<FlowAnswer> {
  if (request.action === 'ping') return { kind: 'answer', body: { data: { status: 'active' } } };
  if (request.data && 'error' in request.data) {
    // An error notification: Meta only wants it acknowledged.
    return { kind: 'answer', body: { data: { acknowledged: true } } };
  }
  // The token is all that names the restaurant: Meta's request carries no phone number id to check
  // it against (docs/whatsapp.md#flows, "Which restaurant"); the completion is checked instead.
  const businessId = businessOfFlowToken(request.flow_token);
  const business = businessId ? await availability.business(businessId) : undefined;
  if (!businessId || !business) return { kind: 'invalid_token' };

  const bookingScreen = async (errorMessage?: string) => ({
    kind: 'answer' as const,
    body: {
      screen: 'BOOKING',
      data: {
        ...(await dateRange(businessId, business, availability, now)),
        party_sizes: partySizes(business).map(option),
        ...(errorMessage ? { error_message: errorMessage } : {}),
      },
    },
  });

  if (request.action !== 'data_exchange' || request.screen !== 'BOOKING') return bookingScreen();
  const submitted = bookingSubmission.safeParse(request.data ?? {});
  if (!submitted.success) return bookingScreen('Please choose a date and the number of guests.');
  const { date, party_size: partySize } = submitted.data;
  const times = await availability.freeTimes(businessId, date, partySize);
  if (times.length === 0) {
    return bookingScreen(`No table for ${partySize} is free on ${date}. Please pick another day.`);
  }
  return {
    kind: 'answer',
    body: { screen: 'TIME', data: { date, party_size: String(partySize), slots: times.map(option) } },
  };
}

const partySizes = (business: FlowBusiness): string[] =>
  Array.from({ length: Math.min(business.maxPartySize, FLOW_MAX_PARTY) }, (_, index) => String(index + 1));

/** Today to the horizon in the restaurant's time zone; days without a free slot for 1 are unavailable. */
async function dateRange(
  businessId: string,
  business: FlowBusiness,
  availability: FlowAvailability,
  now: Date,
) {
  const today = localDateAt(now, business.timezone);
  const days = Math.max(1, Math.min(business.horizonDays, FLOW_MAX_DAYS));
  const dates = Array.from({ length: days }, (_, index) => addDays(today, index));
  const free = await Promise.all(dates.map((date) => availability.freeTimes(businessId, date, 1)));
  return {
    min_date: dates[0],
    max_date: dates[dates.length - 1],
    unavailable_dates: dates.filter((_, index) => free[index]?.length === 0),
  };
}
