import { stdSerializers } from 'pino';

/**
 * Phone numbers are personal data: logs keep enough to tell guests apart when debugging
 * (country prefix and last four digits) and nothing more: 971501234567 → 9715****4567.
 */
export function maskPhone(value: string): string {
  if (value.length <= 6) return '*'.repeat(value.length);
  if (value.length < 10) return `${'*'.repeat(value.length - 2)}${value.slice(-2)}`;
  return `${value.slice(0, 4)}****${value.slice(-4)}`;
}

/** Keys whose values are phone numbers or guest identities wherever they appear in a log line. */
const PHONE_KEYS = new Set([
  'wa_id',
  'waId',
  'from',
  'to',
  'recipient_id',
  'recipientId',
  'phone',
  'guestId',
  'guest_id',
  'display_phone_number',
  'displayPhoneNumber',
  'user_id',
  'userId',
  'from_user_id',
]);

/** Keys never logged at all. */
const SECRET_KEYS = new Set([
  'authorization',
  'accessToken',
  'access_token',
  'appSecret',
  'app_secret',
  'x-hub-signature-256',
  'password',
  'token',
]);

const MAX_DEPTH = 6;

export function maskLogFields(value: unknown, depth = 0): unknown {
  if (depth > MAX_DEPTH || value === null || typeof value !== 'object') return value;
  // An Error's message and stack are not enumerable: serialize it first or the log keeps nothing.
  if (value instanceof Error) return maskLogFields(stdSerializers.err(value), depth);
  if (Array.isArray(value)) return value.map((item) => maskLogFields(item, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) {
    if (SECRET_KEYS.has(key)) out[key] = '[redacted]';
    else if (PHONE_KEYS.has(key) && typeof field === 'string') out[key] = maskPhone(field);
    else out[key] = maskLogFields(field, depth + 1);
  }
  return out;
}
