import type { OpeningHours, TimeInterval } from '@reserveit/contracts';
import { addDays, instantOf, isoWeekday, minutesOf, timeOf } from '@reserveit/time';

/** A bookable start on a service date. */
export interface Slot {
  /** Wall-clock start, HH:MM. */
  time: string;
  /** Calendar date of the start: the next day for slots past midnight. */
  calendarDate: string;
  startMs: number;
  endMs: number;
}

export interface SlotRules {
  timezone: string;
  slotMinutes: number;
  seatingMinutes: number;
}

/** The intervals of one service date: closed dates, then special hours, then the weekday. */
export function intervalsOf(hours: OpeningHours, serviceDate: string): TimeInterval[] {
  if (hours.closedDates.includes(serviceDate)) return [];
  const special = hours.specialHours[serviceDate];
  if (special) return special;
  const weekday = String(isoWeekday(serviceDate)) as keyof OpeningHours['weekly'];
  return hours.weekly[weekday] ?? [];
}

/**
 * Every start of a service date whose seating fits inside an opening interval. Slots step through
 * wall-clock time (12:00, 12:15 …) so guests see the times they expect on DST change days; wall
 * times that do not exist that day are skipped. An interval whose end is at or before its start
 * runs past midnight; its late slots belong to this service date (Friday night's 00:30 is part of
 * Friday's service), which is also the aggregate they are booked in.
 */
export function slotsOf(hours: OpeningHours, serviceDate: string, rules: SlotRules): Slot[] {
  const slots: Slot[] = [];
  for (const interval of intervalsOf(hours, serviceDate)) {
    const open = minutesOf(interval.start);
    let close = minutesOf(interval.end);
    if (close <= open) close += 24 * 60;
    const closeMs = closingInstant(serviceDate, close, rules.timezone);
    for (let minute = open; minute < close; minute += rules.slotMinutes) {
      const calendarDate = minute >= 24 * 60 ? addDays(serviceDate, 1) : serviceDate;
      const time = timeOf(minute);
      const startMs = instantOf(calendarDate, time, rules.timezone);
      if (startMs === undefined) continue;
      const endMs = startMs + rules.seatingMinutes * 60_000;
      if (endMs > closeMs) break;
      if (slots.some((slot) => slot.startMs === startMs)) continue;
      slots.push({ time, calendarDate, startMs, endMs });
    }
  }
  return slots.sort((a, b) => a.startMs - b.startMs);
}

/** Closing time as an instant; a closing time skipped by a DST change closes at the first minute after it. */
function closingInstant(serviceDate: string, minute: number, timezone: string): number {
  for (let probe = minute; probe < minute + 180; probe++) {
    const date = probe >= 24 * 60 ? addDays(serviceDate, 1) : serviceDate;
    const instant = instantOf(date, timeOf(probe % (24 * 60)), timezone);
    if (instant !== undefined) return instant;
  }
  throw new Error(`no valid closing time near ${serviceDate} ${timeOf(minute % 1440)} in ${timezone}`);
}
