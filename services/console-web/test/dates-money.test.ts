import { describe, expect, it } from 'vitest';
import { addDays, isoWeekday, timeIn, todayIn } from '../src/domain/dates.js';
import { formatPrice, fromMinor, minorDigits, toMinor } from '../src/domain/money.js';

describe('dates', () => {
  it("takes today in the restaurant's time zone, not the browser's", () => {
    const now = new Date('2026-12-07T21:30:00Z');
    expect(todayIn('Asia/Dubai', now)).toBe('2026-12-08');
    expect(todayIn('America/New_York', now)).toBe('2026-12-07');
  });

  it('reads the wall-clock time there, rounded down to a step', () => {
    expect(timeIn('Asia/Dubai', new Date('2026-12-07T15:07:00Z'), 5)).toBe('19:05');
    expect(timeIn('Asia/Dubai', new Date('2026-12-07T20:00:00Z'))).toBe('00:00');
  });

  it('moves across months, years and DST changes by calendar days', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(addDays('2026-03-29', 1)).toBe('2026-03-30');
  });

  it('numbers weekdays from Monday 1 to Sunday 7', () => {
    expect(isoWeekday('2026-12-07')).toBe(1);
    expect(isoWeekday('2026-12-13')).toBe(7);
  });
});

describe('money', () => {
  it("uses the currency's own minor unit", () => {
    expect(minorDigits('AED')).toBe(2);
    expect(minorDigits('KWD')).toBe(3);
    expect(minorDigits('JPY')).toBe(0);
  });

  it('turns a typed price into minor units and back', () => {
    expect(toMinor('42.5', 'AED')).toBe(4250);
    expect(toMinor('42,50', 'AED')).toBe(4250);
    expect(toMinor('1.250', 'KWD')).toBe(1250);
    expect(toMinor('abc', 'AED')).toBeNull();
    expect(toMinor('-3', 'AED')).toBeNull();
    expect(fromMinor(4250, 'AED')).toBe('42.50');
  });

  it('formats a price for the reader', () => {
    expect(formatPrice(4250, 'AED', 'en')).toContain('42.50');
  });
});
