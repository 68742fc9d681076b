import type { TimeInterval } from '@reserveit/contracts';
import { addDays, instantOf, minutesOf, wallClockAt } from '@reserveit/time';

const MINUTE = 60_000;
const DAY_MINUTES = 24 * 60;

/**
 * `offsetMinutes` before `startsAt` as a guest reads it: whole days count in calendar days of the
 * zone (a day before a 20:00 booking is 20:00, also when the clocks changed in between), the rest
 * in elapsed minutes. A wall clock the change skipped falls back to elapsed time.
 */
export function beforeLocally(startsAt: number, offsetMinutes: number, timeZone: string): number {
  const days = Math.floor(offsetMinutes / DAY_MINUTES);
  const rest = offsetMinutes - days * DAY_MINUTES;
  let shifted = startsAt - days * DAY_MINUTES * MINUTE;
  if (days > 0) {
    const wall = wallClockAt(startsAt, timeZone);
    shifted = instantOf(addDays(wall.date, -days), wall.time, timeZone) ?? shifted;
  }
  return shifted - rest * MINUTE;
}

/**
 * When a message planned for `due` goes out given the restaurant's quiet hours: as planned outside
 * them, else in the last minute before they began (earlier, so a reminder still comes before the
 * booking). Quiet hours whose end is at or before their start run past midnight.
 */
export function outsideQuietHours(due: number, quiet: TimeInterval | null, timeZone: string): number {
  if (!quiet || quiet.start === quiet.end) return due;
  const wall = wallClockAt(due, timeZone);
  const at = minutesOf(wall.time);
  const start = minutesOf(quiet.start);
  const end = minutesOf(quiet.end);
  const overnight = end < start;
  const inside = overnight ? at >= start || at < end : at >= start && at < end;
  if (!inside) return due;
  // Overnight hours entered before midnight began today; those after midnight began yesterday.
  const began = overnight && at < end ? addDays(wall.date, -1) : wall.date;
  const startInstant = instantOf(began, quiet.start, timeZone);
  return startInstant === undefined ? due : startInstant - MINUTE;
}
