import { createHmac } from 'node:crypto';

/**
 * The opaque id of (restaurant number, guest). Keyed (HMAC) because a plain hash of a phone number
 * is reversed by hashing every number; the id becomes a NATS subject token and shows in traces.
 */
export function conversationIdOf(key: string, phoneNumberId: string, guestId: string): string {
  const digest = createHmac('sha256', key).update(`${phoneNumberId}\n${guestId}`).digest('base64url');
  return `c_${digest.slice(0, 22).replace(/-/g, '_')}`;
}
