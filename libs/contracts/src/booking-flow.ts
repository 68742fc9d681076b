import { z } from 'zod';

/**
 * The booking Flow (services/ingress/flows/booking.json) as the services that offer it, serve its
 * data-exchange endpoint and read its completion agree on it.
 *
 * Meta's data-exchange requests carry no phone number id, only the `flow_token` we chose when
 * the Flow was offered, so the token names the restaurant: `book.<business id>.<nonce>`. The
 * request is signed by Meta (X-Hub-Signature-256) and the guest cannot edit the token.
 */
const FLOW_TOKEN = /^book\.([A-Za-z0-9_-]{1,64})\.([A-Za-z0-9_-]{1,64})$/;

export const bookingFlowToken = (businessId: string, nonce: string): string => `book.${businessId}.${nonce}`;

/** The business a booking Flow token was made for; undefined for any other token. */
export function businessOfFlowToken(token: string): string | undefined {
  return FLOW_TOKEN.exec(token)?.[1];
}

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/);

/**
 * `interactive.nfm_reply.response_json` of a completed booking Flow: the Footer's `complete`
 * payload plus the `flow_token` WhatsApp adds
 * (https://developers.facebook.com/documentation/business-messaging/whatsapp/flows/reference/flowjson).
 * Dropdown values are strings, so the party size is coerced.
 */
export const bookingFlowResponseSchema = z.object({
  flow_token: z.string().regex(FLOW_TOKEN),
  date: isoDate,
  time: hhmm,
  party_size: z.coerce.number().int().min(1).max(200),
  name: z.string().trim().min(1).max(80),
});

export type BookingFlowResponse = z.infer<typeof bookingFlowResponseSchema>;
