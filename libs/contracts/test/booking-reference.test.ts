import { describe, expect, it } from 'vitest';
import { bookingReference, quotesReference, REFERENCE_ALPHABET } from '../src/booking-reference.js';

describe('booking references', () => {
  it('are six characters of an alphabet without look-alikes, the same for the same reservation', () => {
    for (const lookalike of ['0', 'O', 'Q', '1', 'I', 'L', '2', 'Z', '5', 'S', '8', 'B', '6', 'G']) {
      expect(REFERENCE_ALPHABET).not.toContain(lookalike);
    }
    expect(new Set(REFERENCE_ALPHABET).size).toBe(REFERENCE_ALPHABET.length);
    const seen = new Set<string>();
    for (let i = 0; i < 2_000; i += 1) {
      const reference = bookingReference(`r_reservation${i}`);
      expect(reference).toMatch(new RegExp(`^[${REFERENCE_ALPHABET}]{6}$`));
      seen.add(reference);
    }
    // 2,000 bookings, 22^6 possible references: a collision would be a broken derivation.
    expect(seen.size).toBe(2_000);
    expect(bookingReference('r_abcdefghijklmnop')).toBe(bookingReference('r_abcdefghijklmnop'));
    expect(bookingReference('r_abcdefghijklmnop')).toBe('44CVMT');
  });

  it('match what a guest quotes: today’s in any case and with a space or hyphen, the old eight characters in any case', () => {
    const id = 'r_Xy3k-m9QpRsTuVwXyZ0123';
    const reference = bookingReference(id);
    expect(quotesReference(reference, id)).toBe(true);
    expect(quotesReference(reference.toLowerCase(), id)).toBe(true);
    expect(quotesReference(`${reference.slice(0, 3)}-${reference.slice(3)}`, id)).toBe(true);
    expect(quotesReference(` ${reference.slice(0, 3)} ${reference.slice(3)} `, id)).toBe(true);
    expect(quotesReference('Xy3k-m9Q', id)).toBe(true);
    expect(quotesReference('XY3K-M9Q', id)).toBe(true);
    expect(quotesReference('Xy3k-m9R', id)).toBe(false);
    expect(quotesReference(bookingReference('r_other'), id)).toBe(false);
    expect(quotesReference('Xy3k-m9QpR', id)).toBe(false);
  });
});
