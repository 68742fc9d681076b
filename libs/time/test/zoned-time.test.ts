import { describe, expect, it } from 'vitest';
import {
  addDays,
  instantOf,
  isoWeekday,
  isValidTimeZone,
  localDateAt,
  localParts,
  wallClockAt,
} from '../src/index.js';

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

  const iso = (date: string, time: string, zone: string) => {
    const instant = instantOf(date, time, zone);
    return instant === undefined ? undefined : new Date(instant).toISOString();
  };

  it('finds the first 02:00–03:44 in Pacific/Chatham (+13:45 → +12:45) on its 2026 fall-back day', () => {
    // 03:45 CHADT became 02:45 CHAST on 2026-04-05: times before 03:45 first happen at +13:45, a
    // whole day and more ahead of UTC, out of reach of the former ±12 h probes.
    expect(iso('2026-04-05', '02:00', 'Pacific/Chatham')).toBe('2026-04-04T12:15:00.000Z');
    expect(iso('2026-04-05', '03:00', 'Pacific/Chatham')).toBe('2026-04-04T13:15:00.000Z');
    expect(iso('2026-04-05', '03:44', 'Pacific/Chatham')).toBe('2026-04-04T13:59:00.000Z');
    expect(iso('2026-04-05', '03:45', 'Pacific/Chatham')).toBe('2026-04-04T15:00:00.000Z');
    expect(iso('2026-04-05', '19:00', 'Pacific/Chatham')).toBe('2026-04-05T06:15:00.000Z');
  });

  it('keeps Pacific/Chatham times before its 2026 spring-forward gap and skips the gap', () => {
    // 02:45 CHAST became 03:45 CHADT on 2026-09-27.
    expect(iso('2026-09-27', '02:00', 'Pacific/Chatham')).toBe('2026-09-26T13:15:00.000Z');
    expect(iso('2026-09-27', '02:45', 'Pacific/Chatham')).toBeUndefined();
    expect(iso('2026-09-27', '03:30', 'Pacific/Chatham')).toBeUndefined();
    expect(iso('2026-09-27', '03:45', 'Pacific/Chatham')).toBe('2026-09-26T14:00:00.000Z');
    expect(iso('2026-09-27', '19:00', 'Pacific/Chatham')).toBe('2026-09-27T05:15:00.000Z');
  });

  it('puts Pacific/Kiritimati (UTC+14) a day ahead, and knows its skipped 1994-12-31', () => {
    expect(iso('2026-06-01', '00:30', 'Pacific/Kiritimati')).toBe('2026-05-31T10:30:00.000Z');
    expect(iso('2026-06-01', '19:00', 'Pacific/Kiritimati')).toBe('2026-06-01T05:00:00.000Z');
    // Kiritimati went from -10:00 to +14:00 at the end of 1994-12-30: the 31st never happened there.
    expect(iso('1994-12-30', '23:30', 'Pacific/Kiritimati')).toBe('1994-12-31T09:30:00.000Z');
    expect(iso('1994-12-31', '12:00', 'Pacific/Kiritimati')).toBeUndefined();
    expect(iso('1995-01-01', '00:00', 'Pacific/Kiritimati')).toBe('1994-12-31T10:00:00.000Z');
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

  it('skips 02:00–02:59 on the America/New_York spring-forward day (8 March 2026) and reads EDT after it', () => {
    expect(iso('2026-03-08', '01:59', 'America/New_York')).toBe('2026-03-08T06:59:00.000Z');
    expect(iso('2026-03-08', '02:00', 'America/New_York')).toBeUndefined();
    expect(iso('2026-03-08', '02:30', 'America/New_York')).toBeUndefined();
    expect(iso('2026-03-08', '03:00', 'America/New_York')).toBe('2026-03-08T07:00:00.000Z');
    expect(wallClockAt(Date.parse('2026-03-08T07:00:00Z'), 'America/New_York')).toEqual({
      date: '2026-03-08',
      time: '03:00',
    });
  });

  it('takes the first (EDT) 01:30 on the America/New_York fall-back day (1 November 2026), and reads both back', () => {
    expect(iso('2026-11-01', '01:30', 'America/New_York')).toBe('2026-11-01T05:30:00.000Z');
    expect(iso('2026-11-01', '02:00', 'America/New_York')).toBe('2026-11-01T07:00:00.000Z');
    expect(localParts(new Date('2026-11-01T05:30:00Z'), 'America/New_York')).toMatchObject({
      day: 1,
      hour: 1,
      minute: 30,
    });
    expect(localParts(new Date('2026-11-01T06:30:00Z'), 'America/New_York')).toMatchObject({
      day: 1,
      hour: 1,
      minute: 30,
    });
  });

  it('gives every part of the Asia/Dubai wall clock, a day ahead of UTC late in the evening', () => {
    expect(localParts(new Date('2026-11-23T22:30:00Z'), 'Asia/Dubai')).toEqual({
      date: '2026-11-24',
      time: '02:30',
      year: 2026,
      month: 11,
      day: 24,
      hour: 2,
      minute: 30,
      isoWeekday: 2,
    });
    expect(localDateAt(Date.parse('2026-11-23T19:59:00Z'), 'Asia/Dubai')).toBe('2026-11-23');
    expect(localDateAt(Date.parse('2026-11-23T20:00:00Z'), 'Asia/Dubai')).toBe('2026-11-24');
  });

  it('reads minute after minute across the Europe/London spring-forward change, and two zones within one minute', () => {
    const at = (iso: string, zone: string) => wallClockAt(Date.parse(iso), zone).time;
    expect(at('2026-03-29T00:59:00Z', 'Europe/London')).toBe('00:59');
    expect(at('2026-03-29T00:59:59Z', 'Europe/London')).toBe('00:59');
    expect(at('2026-03-29T01:00:00Z', 'Europe/London')).toBe('02:00');
    expect(at('2026-03-29T01:00:30Z', 'Asia/Dubai')).toBe('05:00');
    expect(at('2026-03-29T01:00:30Z', 'Europe/London')).toBe('02:00');
    expect(at('2026-03-29T01:00:30Z', 'America/New_York')).toBe('21:00');
  });

  it('says no instant for a date that is not on the calendar', () => {
    expect(instantOf('2026-02-30', '19:00', 'Asia/Dubai')).toBeUndefined();
    expect(instantOf('2026-13-01', '19:00', 'Asia/Dubai')).toBeUndefined();
  });

  it('knows real zones from unknown ones', () => {
    expect(isValidTimeZone('Asia/Dubai')).toBe(true);
    expect(isValidTimeZone('America/New_York')).toBe(true);
    expect(isValidTimeZone('Mars/Olympus_Mons')).toBe(false);
    expect(isValidTimeZone('')).toBe(false);
    // Asked again, from what it remembers: the same answers.
    expect(isValidTimeZone('Mars/Olympus_Mons')).toBe(false);
    expect(isValidTimeZone('Asia/Dubai')).toBe(true);
  });
});
