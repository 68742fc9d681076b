import { createHmac } from 'node:crypto';

/**
 * The value Meta puts in X-Hub-Signature-256: HMAC-SHA256 of the raw body bytes keyed by the app
 * secret. It must be computed over the bytes as received: Meta escapes non-ASCII as \uXXXX and
 * `/` as `\/`, so a re-serialized body hashes differently (docs/whatsapp.md#signatures).
 */
export function webhookSignature(rawBody: Buffer | string, appSecret: string): string {
  return `sha256=${createHmac('sha256', appSecret).update(rawBody).digest('hex')}`;
}
