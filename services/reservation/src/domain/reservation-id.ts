import { createHash } from 'node:crypto';

/**
 * The reservation id is a function of (business, idempotency key): two concurrent creates with the
 * same key name the same reservation, so the aggregate (and JetStream's Msg-Id dedupe) can see
 * the second one is a repeat instead of a new booking.
 */
export function reservationIdFor(businessId: string, idempotencyKey: string): string {
  const digest = createHash('sha256').update(`${businessId}\n${idempotencyKey}`).digest('base64url');
  return `r_${digest.slice(0, 22)}`;
}
