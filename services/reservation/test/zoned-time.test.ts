import { describe, expect, it } from 'vitest';
import { addDays, instantOf, isoWeekday, wallClockAt } from '../src/domain/index.js';

describe('business-local time', () => {
  it('puts 19:00 in Asia/Dubai (UTC+4, no DST) at 15:00Z on any date', () => {
    expect(new Date(instantOf('2026-03-29', '19:00', 'Asia/Dubai') ?? 0).toISOString()).toBe(
      '2026-03-29T15:00:00.000Z',
    );
    expect(new Date(instantOf('2026-10-25', '19:00', 'Asia/Dubai') ?? 0).toISOString()).toBe(
      '2026-10-25T15:00:00.000Z',
    );
  });

  it('uses GMT before and BST after the Europe/London spring-forward change', () => {
    expect(new Date(instantOf('2026-03-29', '00:30', 'Europe/London') ?? 0).toISOString()).toBe(
      '2026-03-29T00:30:00.000Z',
    );
    expect(new Date(instantOf('2026-03-29', '02:00', 'Europe/London') ?? 0).toISOString()).toBe(
      '2026-03-29T01:00:00.000Z',
    );
    expect(new Date(instantOf('2026-03-29', '19:00', 'Europe/London') ?? 0).toISOString()).toBe(
      '2026-03-29T18:00:00.000Z',
    );
  });

  it('says a wall time skipped by spring-forward does not exist', () => {
    expect(instantOf('2026-03-29', '01:00', 'Europe/London')).toBeUndefined();
    expect(instantOf('2026-03-29', '01:45', 'Europe/London')).toBeUndefined();
  });

  it('takes the first of the two 01:30s on the Europe/London fall-back day', () => {
    expect(new Date(instantOf('2026-10-25', '01:30', 'Europe/London') ?? 0).toISOString()).toBe(
      '2026-10-25T00:30:00.000Z',
    );
    expect(new Date(instantOf('2026-10-25', '02:00', 'Europe/London') ?? 0).toISOString()).toBe(
      '2026-10-25T02:00:00.000Z',
    );
  });

  it('reads the local date and time back from an instant', () => {
    expect(wallClockAt(Date.parse('2026-06-05T21:30:00Z'), 'Asia/Dubai')).toEqual({
      date: '2026-06-06',
      time: '01:30',
    });
    expect(wallClockAt(Date.parse('2026-06-05T23:30:00Z'), 'Europe/London')).toEqual({
      date: '2026-06-06',
      time: '00:30',
    });
  });

  it('counts calendar days and ISO weekdays across month ends', () => {
    expect(addDays('2026-02-28', 1)).toBe('2026-03-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(isoWeekday('2026-03-29')).toBe(7);
    expect(isoWeekday('2026-03-30')).toBe(1);
  });
});
