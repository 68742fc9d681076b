import { describe, expect, it } from 'vitest';
import { addDays, hhmm, isCalendarDate, isoDate, minutesOf, timeOf } from '../src/index.js';

describe('calendar dates', () => {
  it('accepts real YYYY-MM-DD dates only', () => {
    expect(isCalendarDate('2028-02-29')).toBe(true);
    expect(isCalendarDate('2026-02-29')).toBe(false);
    expect(isCalendarDate('2026-02-30')).toBe(false);
    expect(isCalendarDate('20260301')).toBe(false);
    expect(isCalendarDate('2026-03-01T10:00')).toBe(false);
    expect(isCalendarDate('tomorrow')).toBe(false);
  });

  it('moves across a year end and a leap day, both ways', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2028-03-01', -1)).toBe('2028-02-29');
    expect(addDays('2026-03-29', 0)).toBe('2026-03-29');
  });

  it('writes a date from its numbers as given, padded', () => {
    expect(isoDate(2026, 3, 7)).toBe('2026-03-07');
    expect(isoDate(2026, 4, 31)).toBe('2026-04-31');
  });
});

describe('times of day', () => {
  it('converts HH:MM to minutes and back, wrapping past midnight', () => {
    expect(minutesOf('19:45')).toBe(19 * 60 + 45);
    expect(timeOf(19 * 60 + 45)).toBe('19:45');
    expect(timeOf(24 * 60 + 30)).toBe('00:30');
    expect(hhmm(8, 5)).toBe('08:05');
  });
});
