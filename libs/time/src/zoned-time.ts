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
 * The last wall clock read in each zone, by UTC minute. Reading it through the polyfill (BigInt
 * epoch nanoseconds, then a getter call per field) cost intent's rules about a third again their
 * CPU per message, measured against the Intl code this replaced, and a busy service reads the same
 * minute over and over. Every offset and DST change since 1972 falls on a whole minute, so one UTC
 * minute has one wall clock.
 */
const lastRead = new Map<string, { minute: number; parts: Readonly<LocalParts> }>();
/** Zones are a few per deployment; the cap only bounds what odd spellings of them could add. */
const LAST_READ_ZONES = 1_000;

/** The business-local wall clock at an instant, with its numbers and weekday. */
export function localParts(instant: Date | number, timeZone: string): Readonly<LocalParts> {
  const ms = typeof instant === 'number' ? instant : instant.getTime();
  const minute = Math.floor(ms / 60_000);
  const last = lastRead.get(timeZone);
  if (last?.minute === minute) return last.parts;
  const wall = Temporal.Instant.fromEpochMilliseconds(ms).toZonedDateTimeISO(timeZone).toPlainDateTime();
  // The strings are written from the fields: toString({ smallestUnit }) parses its options each call.
  const parts = Object.freeze({
    date: isoDate(wall.year, wall.month, wall.day),
    time: hhmm(wall.hour, wall.minute),
    year: wall.year,
    month: wall.month,
    day: wall.day,
    hour: wall.hour,
    minute: wall.minute,
    isoWeekday: wall.dayOfWeek,
  });
  if (lastRead.size >= LAST_READ_ZONES) lastRead.clear();
  lastRead.set(timeZone, { minute, parts });
  return parts;
}

/** The business-local wall clock at an instant. */
export function wallClockAt(instant: Date | number, timeZone: string): WallClock {
  const { date, time } = localParts(instant, timeZone);
  return { date, time };
}

/** The business-local calendar date at an instant. */
export const localDateAt = (instant: Date | number, timeZone: string): string =>
  localParts(instant, timeZone).date;

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

/**
 * Zones already checked. Checking through localParts(0, zone) would also overwrite that zone's
 * remembered minute, so every request that validates its zone and then reads the clock paid the
 * polyfill twice (bench:intent found it).
 */
const checkedZones = new Map<string, boolean>();

/** True when the zone is a time zone Temporal knows (an unknown zone would throw deep inside a call). */
export function isValidTimeZone(timeZone: string): boolean {
  const known = checkedZones.get(timeZone);
  if (known !== undefined) return known;
  let valid: boolean;
  try {
    Temporal.Instant.fromEpochMilliseconds(0).toZonedDateTimeISO(timeZone);
    valid = true;
  } catch {
    valid = false;
  }
  if (checkedZones.size >= LAST_READ_ZONES) checkedZones.clear();
  checkedZones.set(timeZone, valid);
  return valid;
}
