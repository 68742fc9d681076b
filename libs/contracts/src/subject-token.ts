/**
 * Guest identities enter NATS subjects. A business-scoped user id contains a dot
 * (`US.13491208655302741918`) and subject tokens may not contain `.`, `*`, `>` or whitespace,
 * so every byte outside [A-Za-z0-9_-] is percent-encoded. The encoding is reversible so a
 * consumer can read the identity back from the subject.
 */
const PLAIN_TOKEN = /^[A-Za-z0-9_-]+$/;

export function toSubjectToken(value: string): string {
  if (value.length === 0) throw new Error('a subject token cannot be empty');
  // Most tokens (wa_ids, phone number ids, sha256 hex) need no encoding: one test instead of one
  // per byte, on every webhook's subject.
  if (PLAIN_TOKEN.test(value)) return value;
  let out = '';
  for (const byte of Buffer.from(value, 'utf8')) {
    const ch = String.fromCharCode(byte);
    out += /[A-Za-z0-9_-]/.test(ch) ? ch : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

export function fromSubjectToken(token: string): string {
  return decodeURIComponent(token);
}
