import { Temporal } from 'temporal-polyfill';

/** A calendar date moved by whole days, YYYY-MM-DD in and out (a date has no time zone, so no DST). */
export const addDays = (date: string, days: number): string =>
  Temporal.PlainDate.from(date).add({ days }).toString();

/** ISO weekday of a calendar date: 1 = Monday … 7 = Sunday. */
export const isoWeekday = (date: string): number => Temporal.PlainDate.from(date).dayOfWeek;

/** True for a real calendar date in YYYY-MM-DD form (2026-02-30 is not). */
export function isCalendarDate(date: string): boolean {
  // Temporal also reads 20260301 and 2026-03-01T10:00 as dates; only the plain form is one here.
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return false;
  try {
    Temporal.PlainDate.from(date);
    return true;
  } catch {
    return false;
  }
}

/**
 * YYYY-MM-DD from its numbers, as given: a date parsed from a guest's words (31 April) is passed on
 * unchanged for the booking's own check to refuse, not moved to another day.
 */
export const isoDate = (year: number, month: number, day: number): string =>
  `${String(year).padStart(4, '0')}-${pad(month)}-${pad(day)}`;

const pad = (value: number) => String(value).padStart(2, '0');
