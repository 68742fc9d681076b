import { describe, expect, it } from 'vitest';
import { webhookSignature } from '../src/index.js';
import { fixtureBytes } from './fixture.js';

const secret = 'e6a2613c0ffee0ddba11';

describe('webhookSignature', () => {
  it('is sha256= and 64 lowercase hex characters', () => {
    expect(webhookSignature(fixtureBytes('image'), secret)).toMatch(/^sha256=[0-9a-f]{64}$/);
  });

  it('matches a known HMAC-SHA256 vector', () => {
    // RFC 4231 test case 2.
    expect(webhookSignature('what do ya want for nothing?', 'Jefe')).toBe(
      'sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
    );
  });

  it.each(['text-arabic-reply', 'image'])(
    'differs for %s once the body is re-serialized (the \\u and \\/ escapes are lost)',
    (name) => {
      const raw = fixtureBytes(name);
      const reserialized = JSON.stringify(JSON.parse(raw.toString('utf8')));
      expect(reserialized).not.toBe(raw.toString('utf8'));
      expect(webhookSignature(raw, secret)).not.toBe(webhookSignature(reserialized, secret));
      expect(webhookSignature(raw, secret)).toBe(webhookSignature(raw.toString('utf8'), secret));
    },
  );
});
