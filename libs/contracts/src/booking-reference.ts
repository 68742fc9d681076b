import { createHash } from 'node:crypto';

/**
 * What a guest quotes for a booking: six characters read out over the phone without a spelling
 * war. Uppercase only, and none of the characters people mix up: 0/O/Q, 1/I/L, 2/Z, 5/S, 8/B, 6/G
 * (the same idea as Crockford's base32, https://www.crockford.com/base32.html, which keeps 0 and 1).
 */
export const REFERENCE_ALPHABET = '3479ACDEFHJKMNPRTUVWXY';
export const REFERENCE_LENGTH = 6;

/**
 * The reference of a reservation id. A function of the id, so every service derives the same one
 * and nothing new is stored; 22^6 ≈ 1.1e8 values, so two bookings of one guest practically never
 * share one (a lookup also checks the guest).
 */
export function bookingReference(reservationId: string): string {
  const digest = createHash('sha256').update(reservationId).digest();
  let value = digest.readUIntBE(0, 6);
  let reference = '';
  for (let i = 0; i < REFERENCE_LENGTH; i += 1) {
    reference += REFERENCE_ALPHABET[value % REFERENCE_ALPHABET.length];
    value = Math.floor(value / REFERENCE_ALPHABET.length);
  }
  return reference;
}

/**
 * Whether what the guest quoted names this reservation: today's reference, or the eight
 * characters after `r_` that confirmations quoted before it (mixed case, matched in any case,
 * since a guest reading one out cannot tell).
 */
export function quotesReference(quoted: string, reservationId: string): boolean {
  const said = quoted.trim().toUpperCase();
  // The old ones are base64url and may hold "-" or "_" themselves.
  const legacy = reservationId.replace(/^r_/, '').slice(0, 8);
  if (legacy.length === 8 && said === legacy.toUpperCase()) return true;
  return said.replace(/[\s-]/g, '') === bookingReference(reservationId);
}
