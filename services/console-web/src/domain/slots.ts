import type { DaySheet, Reservation } from '@reserveit/console-api';

export interface SlotGroup {
  /** HH:MM, or null for bookings before the first slot (a walk-in at an odd hour). */
  time: string | null;
  capacity: number;
  coversUsed: number;
  /** 0…100, for the bar; over capacity shows full. */
  fill: number;
  reservations: Reservation[];
}

function byTimeThenName(a: Reservation, b: Reservation): number {
  return a.time.localeCompare(b.time) || a.guestName.localeCompare(b.guestName);
}

export function fillPercent(coversUsed: number, capacity: number): number {
  if (capacity <= 0) return coversUsed > 0 ? 100 : 0;
  return Math.min(100, Math.round((coversUsed / capacity) * 100));
}

/**
 * Each booking goes under the last slot starting at or before its time: bookings are made on slot
 * times, but a walk-in or a modified booking may sit between two.
 */
export function groupBySlot(day: Pick<DaySheet, 'slots' | 'reservations'>): SlotGroup[] {
  const slots = [...day.slots].sort((a, b) => a.time.localeCompare(b.time));
  const groups: SlotGroup[] = slots.map((s) => ({
    time: s.time,
    capacity: s.capacity,
    coversUsed: s.coversUsed,
    fill: fillPercent(s.coversUsed, s.capacity),
    reservations: [],
  }));
  const early: Reservation[] = [];
  for (const r of [...day.reservations].sort(byTimeThenName)) {
    let target: SlotGroup | undefined;
    for (const g of groups) {
      if (g.time !== null && g.time <= r.time) target = g;
    }
    if (target) target.reservations.push(r);
    else early.push(r);
  }
  if (early.length === 0) return groups;
  return [{ time: null, capacity: 0, coversUsed: 0, fill: 0, reservations: early }, ...groups];
}
