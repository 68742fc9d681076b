import type { Reservation } from '@reserveit/console-api';
import { describe, expect, it } from 'vitest';
import { fillPercent, groupBySlot } from '../src/domain/slots.js';

function booking(id: string, time: string, guestName = id): Reservation {
  return {
    id,
    guestName,
    guestPhone: '',
    partySize: 2,
    date: '2026-12-07',
    time,
    startsAt: '2026-12-07T15:00:00Z',
    endsAt: '2026-12-07T16:30:00Z',
    status: 'confirmed',
    guestConfirmed: false,
    lateMinutes: null,
    noShowFlagged: false,
    rating: null,
    feedbackComment: '',
    notes: '',
    source: 'whatsapp',
    walkIn: false,
  };
}

const slots = [
  { time: '19:30', capacity: 20, coversUsed: 20 },
  { time: '19:00', capacity: 20, coversUsed: 4 },
  { time: '20:00', capacity: 20, coversUsed: 0 },
];

describe('groupBySlot', () => {
  it('lists slots in time order with their covers and fill', () => {
    const groups = groupBySlot({ slots, reservations: [] });
    expect(groups.map((g) => [g.time, g.coversUsed, g.capacity, g.fill])).toEqual([
      ['19:00', 4, 20, 20],
      ['19:30', 20, 20, 100],
      ['20:00', 0, 20, 0],
    ]);
  });

  it('puts each booking under the last slot starting at or before it, by time then name', () => {
    const groups = groupBySlot({
      slots,
      reservations: [booking('b', '19:00', 'Zaid'), booking('c', '19:45'), booking('a', '19:00', 'Amal')],
    });
    expect(groups.map((g) => g.reservations.map((r) => r.id))).toEqual([['a', 'b'], ['c'], []]);
  });

  it('keeps a booking before the first slot in a group of its own at the top', () => {
    const groups = groupBySlot({
      slots,
      reservations: [booking('early', '17:15'), booking('late', '23:00')],
    });
    expect(groups[0]).toMatchObject({ time: null, reservations: [{ id: 'early' }] });
    expect(groups.at(-1)).toMatchObject({ time: '20:00', reservations: [{ id: 'late' }] });
  });

  it('fills a bar to 100 % at most, and shows any covers on a slot without capacity as full', () => {
    expect(fillPercent(25, 20)).toBe(100);
    expect(fillPercent(1, 3)).toBe(33);
    expect(fillPercent(0, 0)).toBe(0);
    expect(fillPercent(2, 0)).toBe(100);
  });
});
