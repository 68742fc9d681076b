/**
 * Business-local wall time ↔ UTC instants with Intl alone (the time zone data ships with Node's
 * ICU). Dates are `YYYY-MM-DD`, times `HH:MM`, instants epoch milliseconds.
 */
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
    });
    formatters.set(timeZone, format);
  }
  return format;
}

export interface WallClock {
  date: string;
  time: string;
}

export function wallClockAt(instantMs: number, timeZone: string): WallClock {
  const parts: Record<string, string> = {};
  for (const part of formatter(timeZone).formatToParts(new Date(instantMs))) parts[part.type] = part.value;
  return { date: `${parts.year}-${parts.month}-${parts.day}`, time: `${parts.hour}:${parts.minute}` };
}

/** The business-local calendar date at an instant. */
export const localDateAt = (instantMs: number, timeZone: string): string =>
  wallClockAt(instantMs, timeZone).date;

function naiveUtc(date: string, time: string): number {
  const [y, m, d] = date.split('-').map(Number);
  const [hh, mm] = time.split(':').map(Number);
  return Date.UTC(y ?? 0, (m ?? 1) - 1, d ?? 1, hh ?? 0, mm ?? 0);
}

/** Offset of the zone from UTC at an instant, in ms (Asia/Dubai: +4 h). */
function offsetAt(instantMs: number, timeZone: string): number {
  const wall = wallClockAt(instantMs, timeZone);
  const minute = Math.floor(instantMs / 60_000) * 60_000;
  return naiveUtc(wall.date, wall.time) - minute;
}

/**
 * How far either side of the naive instant the offset is probed. UTC offsets run from -12 h to
 * +14 h (Pacific/Kiritimati), so the real instant lies within 14 h of the naive one; probing only
 * ±12 h missed the earlier offset of zones beyond +12 h (Pacific/Chatham, +13:45/+12:45, found no
 * instant for 02:00–03:44 on its DST days). ±26 h puts one probe before and one after any instant
 * the wall time can name, whatever the zone.
 */
const PROBE_SPAN = 26 * 3_600_000;

/**
 * The instant a wall-clock time happens in a zone. A time skipped by a spring-forward change
 * (01:30 on Europe/London's last Sunday of March) does not exist: undefined. A time repeated by a
 * fall-back change gets its first occurrence, so every wall-clock slot names one instant.
 * Assumes at most one offset change within the 52 h probed (checked for every zone 2025–2027).
 */
export function instantOf(date: string, time: string, timeZone: string): number | undefined {
  const naive = naiveUtc(date, time);
  const candidates = [
    naive - offsetAt(naive - PROBE_SPAN, timeZone),
    naive - offsetAt(naive + PROBE_SPAN, timeZone),
  ];
  const valid = candidates.filter((instant) => {
    const wall = wallClockAt(instant, timeZone);
    return wall.date === date && wall.time === time;
  });
  return valid.length === 0 ? undefined : Math.min(...valid);
}

export function addDays(date: string, days: number): string {
  return new Date(naiveUtc(date, '00:00') + days * 86_400_000).toISOString().slice(0, 10);
}

/** ISO weekday of a calendar date: 1 = Monday … 7 = Sunday. */
export function isoWeekday(date: string): number {
  const day = new Date(naiveUtc(date, '00:00')).getUTCDay();
  return day === 0 ? 7 : day;
}

export const minutesOf = (time: string): number => {
  const [hh, mm] = time.split(':').map(Number);
  return (hh ?? 0) * 60 + (mm ?? 0);
};

export const timeOf = (minutes: number): string =>
  `${String(Math.floor(minutes / 60) % 24).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

/** True for a real calendar date in YYYY-MM-DD form (2026-02-30 is not). */
export function isCalendarDate(date: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return false;
  return new Date(`${date}T00:00:00Z`).toISOString().slice(0, 10) === date;
}
