import { timingSafeEqual } from 'node:crypto';
import { webhookSignature } from '@reserveit/contracts';

const HEADER_FORMAT = /^sha256=[0-9a-f]{64}$/i;

/** Cheap format check, done before the body is read so an unsigned flood costs no upload. */
export function hasSignatureFormat(header: string | undefined): header is string {
  return header !== undefined && HEADER_FORMAT.test(header);
}

/**
 * True when X-Hub-Signature-256 matches the raw bytes under any of the app secrets (several
 * during a rotation). Every secret is checked, in constant time, so timing tells nothing about
 * which one matched or how much of the digest was right.
 */
export function verifySignature(
  rawBody: Buffer,
  header: string | undefined,
  appSecrets: readonly string[],
): boolean {
  if (!hasSignatureFormat(header)) return false;
  const received = Buffer.from(header.toLowerCase(), 'utf8');
  let matched = false;
  for (const secret of appSecrets) {
    const expected = Buffer.from(webhookSignature(rawBody, secret), 'utf8');
    // Same length by construction (format checked above), as timingSafeEqual requires.
    matched = timingSafeEqual(expected, received) || matched;
  }
  return matched;
}

/** The hub challenge's token check, also constant time (the token is a shared secret). */
export function tokensMatch(given: string, expected: string): boolean {
  const a = Buffer.from(given, 'utf8');
  const b = Buffer.from(expected, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}
