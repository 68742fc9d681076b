import { Temporal } from 'temporal-polyfill';
import { isoDate } from './calendar.js';
import { hhmm } from './time-of-day.js';

/**
 * Business-local wall-clock time ↔ UTC instants, on the Temporal polyfill (the time zone rules are
 * those of Node's ICU, read through Intl). Dates are YYYY-MM-DD, times HH:MM, instants epoch ms.
 */
export interface WallClock {
  date: string;
  time: string;
}

export interface LocalParts extends WallClock {
  year: number;
  /** 1..12 */
  month: number;
  day: number;
  hour: number;
  minute: number;
  /** 1 = Monday … 7 = Sunday (ISO 8601). */
  isoWeekday: number;
}

/**
 * The last wall clock read in each zone, by UTC minute. The polyfill's offset lookup (BigInt
 * epoch nanoseconds) cost intent's rules about half again their CPU per message (measured against
 * the Intl code this replaced), and a busy service reads the same minute over and over. Every
 * offset and DST change since 1972 falls on a whole minute, so one UTC minute has one wall clock.
 */
const lastRead = new Map<string, { minute: number; wall: Temporal.PlainDateTime }>();
/** Zones are a few per deployment; the cap only bounds what odd spellings of them could add. */
const LAST_READ_ZONES = 1_000;

/** The wall clock at an instant, as a plain date-time: its fields are then read without the zone. */
function plainAt(instant: Date | number, timeZone: string): Temporal.PlainDateTime {
  const ms = typeof instant === 'number' ? instant : instant.getTime();
  const minute = Math.floor(ms / 60_000);
  const last = lastRead.get(timeZone);
  if (last?.minute === minute) return last.wall;
  const wall = Temporal.Instant.fromEpochMilliseconds(ms).toZonedDateTimeISO(timeZone).toPlainDateTime();
  if (lastRead.size >= LAST_READ_ZONES) lastRead.clear();
  lastRead.set(timeZone, { minute, wall });
  return wall;
}

// Written from the fields: toString({ smallestUnit }) parses its options on every call, which
// cost more than the rest of localParts together (measured with --cpu-prof on intent's rules).
const wallClockOf = (wall: Temporal.PlainDateTime): WallClock => ({
  date: isoDate(wall.year, wall.month, wall.day),
  time: hhmm(wall.hour, wall.minute),
});

/** The business-local wall clock at an instant. */
export const wallClockAt = (instant: Date | number, timeZone: string): WallClock =>
  wallClockOf(plainAt(instant, timeZone));

/** The business-local calendar date at an instant. */
export const localDateAt = (instant: Date | number, timeZone: string): string =>
  wallClockAt(instant, timeZone).date;

/** The business-local wall clock at an instant, with its numbers and weekday. */
export function localParts(instant: Date | number, timeZone: string): LocalParts {
  const wall = plainAt(instant, timeZone);
  return {
    ...wallClockOf(wall),
    year: wall.year,
    month: wall.month,
    day: wall.day,
    hour: wall.hour,
    minute: wall.minute,
    isoWeekday: wall.dayOfWeek,
  };
}

/**
 * The instant a wall-clock time happens in a zone. A time skipped by a spring-forward change
 * (01:30 on Europe/London's last Sunday of March) does not exist: undefined, as does a date that
 * is not on the calendar. A time repeated by a fall-back change gets its first occurrence, so
 * every wall-clock slot names one instant.
 */
export function instantOf(date: string, time: string, timeZone: string): number | undefined {
  let wall: Temporal.PlainDateTime;
  try {
    wall = Temporal.PlainDateTime.from(`${date}T${time}`);
  } catch {
    return undefined;
  }
  // 'earlier' picks the first of two repeated times; for a skipped one it gives the instant before
  // the gap, whose wall clock is another time: that is how a skipped time shows.
  const zoned = wall.toZonedDateTime(timeZone, { disambiguation: 'earlier' });
  return zoned.toPlainDateTime().equals(wall) ? zoned.epochMilliseconds : undefined;
}

/** True when the zone is a time zone Temporal knows (an unknown zone would throw deep inside a call). */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    plainAt(0, timeZone);
    return true;
  } catch {
    return false;
  }
}
