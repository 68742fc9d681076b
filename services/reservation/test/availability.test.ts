import { openingHoursSchema } from '@reserveit/contracts';
import { describe, expect, it } from 'vitest';
import { checkSlot, freeSlots, nearestSlots, slotsOfDay } from '../src/domain/index.js';
import { businessFixture, everyDay } from './fixtures.js';

const NOW = Date.parse('2026-06-01T06:00:00Z');

describe('slots and availability', () => {
  it('offers starts every slot whose whole seating fits an interval', () => {
    const slots = slotsOfDay({ business: businessFixture(), serviceDate: '2026-06-03' });
    const times = slots.map((slot) => slot.time);
    expect(times[0]).toBe('12:00');
    expect(times).toContain('13:30');
    expect(times).not.toContain('13:45');
    expect(times).toContain('22:00');
    expect(times).not.toContain('22:15');
  });

  it('books the late slots of an interval past midnight on its service date, dated the next calendar day', () => {
    const business = businessFixture({ hours: { weekly: everyDay([{ start: '18:00', end: '02:00' }]) } });
    const slots = slotsOfDay({ business, serviceDate: '2026-06-05' });
    const late = slots.find((slot) => slot.time === '00:30');
    expect(late?.calendarDate).toBe('2026-06-06');
    expect(new Date(late?.startMs ?? 0).toISOString()).toBe('2026-06-05T20:30:00.000Z');
    expect(slots.at(-1)?.time).toBe('00:30');
  });

  it('reads a week that lists only some weekdays as closed on the others', () => {
    const hours = openingHoursSchema.parse({ weekly: { '1': [{ start: '17:00', end: '23:00' }] } });
    const business = businessFixture({ hours });
    expect(slotsOfDay({ business, serviceDate: '2026-06-01' }).length).toBeGreaterThan(0);
    expect(slotsOfDay({ business, serviceDate: '2026-06-02' })).toEqual([]);
  });

  it('is closed on closed dates and follows special hours', () => {
    const business = businessFixture({
      hours: {
        closedDates: ['2026-06-10'],
        specialHours: { '2026-06-11': [{ start: '19:00', end: '21:00' }] },
      },
    });
    expect(slotsOfDay({ business, serviceDate: '2026-06-10' })).toEqual([]);
    expect(slotsOfDay({ business, serviceDate: '2026-06-11' }).map((slot) => slot.time)).toEqual([
      '19:00',
      '19:15',
      '19:30',
    ]);
    const closed = checkSlot({
      business,
      serviceDate: '2026-06-10',
      time: '19:00',
      partySize: 2,
      nowMs: NOW,
      occupancy: [],
    });
    expect(closed).toMatchObject({ ok: false, rejection: { code: 'CLOSED' } });
  });

  it('skips the wall times that do not exist on the Europe/London spring-forward night', () => {
    const business = businessFixture({
      timezone: 'Europe/London',
      hours: { weekly: everyDay([{ start: '22:00', end: '04:00' }]) },
      rules: { seatingMinutes: 60, slotMinutes: 30 },
    });
    const slots = slotsOfDay({ business, serviceDate: '2026-03-28' });
    const times = slots.map((slot) => slot.time);
    expect(times).toEqual(['22:00', '22:30', '23:00', '23:30', '00:00', '00:30', '02:00', '02:30', '03:00']);
    const two = slots.find((slot) => slot.time === '02:00');
    expect(new Date(two?.startMs ?? 0).toISOString()).toBe('2026-03-29T01:00:00.000Z');
    // 00:30 GMT + 60 min ends at 02:30 BST: the real seating is one hour long.
    const halfPast = slots.find((slot) => slot.time === '00:30');
    expect((halfPast?.endMs ?? 0) - (halfPast?.startMs ?? 0)).toBe(3_600_000);
  });

  it('offers each wall time once on the Europe/London fall-back night, at its first occurrence', () => {
    const business = businessFixture({
      timezone: 'Europe/London',
      hours: { weekly: everyDay([{ start: '23:00', end: '03:00' }]) },
      rules: { seatingMinutes: 60, slotMinutes: 30 },
    });
    const slots = slotsOfDay({ business, serviceDate: '2026-10-24' });
    expect(slots.map((slot) => slot.time)).toEqual([
      '23:00',
      '23:30',
      '00:00',
      '00:30',
      '01:00',
      '01:30',
      '02:00',
    ]);
    const oneThirty = slots.find((slot) => slot.time === '01:30');
    expect(new Date(oneThirty?.startMs ?? 0).toISOString()).toBe('2026-10-25T00:30:00.000Z');
  });

  it('maps Asia/Dubai evening slots to UTC four hours earlier', () => {
    const slots = slotsOfDay({ business: businessFixture(), serviceDate: '2026-03-29' });
    const seven = slots.find((slot) => slot.time === '19:00');
    expect(new Date(seven?.startMs ?? 0).toISOString()).toBe('2026-03-29T15:00:00.000Z');
  });

  it('refuses inside the lead time, beyond the horizon and above the largest party', () => {
    const business = businessFixture();
    const base = { business, partySize: 2, occupancy: [] };
    // 10:30 Dubai now; 11:00 would be inside the hour of notice: lunch at 12:00 is fine.
    const now = Date.parse('2026-06-03T06:30:00Z');
    expect(
      checkSlot({
        ...base,
        serviceDate: '2026-06-03',
        time: '12:00',
        nowMs: Date.parse('2026-06-03T07:30:00Z'),
      }),
    ).toMatchObject({
      ok: false,
      rejection: { code: 'TOO_SOON' },
    });
    expect(checkSlot({ ...base, serviceDate: '2026-06-03', time: '12:00', nowMs: now }).ok).toBe(true);
    expect(checkSlot({ ...base, serviceDate: '2026-07-04', time: '12:00', nowMs: now })).toMatchObject({
      ok: false,
      rejection: { code: 'BEYOND_HORIZON' },
    });
    expect(
      checkSlot({ ...base, partySize: 9, serviceDate: '2026-06-04', time: '12:00', nowMs: now }),
    ).toMatchObject({
      ok: false,
      rejection: { code: 'PARTY_TOO_LARGE' },
    });
  });

  it('counts every booking overlapping the seating against the capacity', () => {
    const business = businessFixture();
    const at = (time: string) =>
      slotsOfDay({ business, serviceDate: '2026-06-03' }).find((slot) => slot.time === time);
    const seven = at('19:00');
    if (!seven) throw new Error('no 19:00 slot');
    const occupancy = [{ reservationId: 'a', partySize: 8, startMs: seven.startMs, endMs: seven.endMs }];
    const query = { business, serviceDate: '2026-06-03', partySize: 4, nowMs: NOW, occupancy };
    expect(checkSlot({ ...query, time: '20:15' })).toMatchObject({
      ok: false,
      rejection: { code: 'NO_CAPACITY' },
    });
    expect(checkSlot({ ...query, time: '20:30' }).ok).toBe(true);
    expect(checkSlot({ ...query, time: '17:45' }).ok).toBe(false);
    const free = freeSlots(query).map((slot) => slot.time);
    expect(free).not.toContain('18:00');
    expect(free).toContain('20:30');
    const nearest = nearestSlots(freeSlots(query), seven.startMs, 3).map((slot) => slot.time);
    expect(nearest).toEqual(['20:30', '20:45', '21:00']);
  });
});
