import { describe, expect, it } from 'vitest';
import { blockSize, cellOf, slotOf, waitMsOf, waitsOf } from '../src/domain/send-rate.js';

describe('send rate as GCRA', () => {
  it('spaces sends by the interval and lets the burst less one go ahead of the rate', () => {
    expect(cellOf({ perSecond: 10, burst: 5 })).toEqual({
      intervalUs: 100_000,
      toleranceUs: 400_000,
      holdMs: 0,
      maxBlock: 1,
    });
    // A burst of one is no tolerance: every send keeps the interval.
    expect(cellOf({ perSecond: 10, burst: 1 }).toleranceUs).toBe(0);
  });

  it('holds free tokens only where the rate yields two or more in the hold, and shortens the burst by the hold', () => {
    expect(cellOf({ perSecond: 80, burst: 80 })).toEqual({
      intervalUs: 12_500,
      toleranceUs: 79 * 12_500 - 100_000,
      holdMs: 100,
      maxBlock: 8,
    });
    expect(cellOf({ perSecond: 19, burst: 19 }).holdMs).toBe(0);
    // A burst shorter than the hold shortens the hold instead: the tolerance pays for all of it.
    expect(cellOf({ perSecond: 1_000, burst: 50 })).toEqual({
      intervalUs: 1_000,
      toleranceUs: 0,
      holdMs: 49,
      maxBlock: 49,
    });
    const cell = cellOf({ perSecond: 80, burst: 80 });
    expect([0, 1, 5, 8, 30].map((asks) => blockSize(asks, cell))).toEqual([1, 1, 5, 8, 8]);
  });

  it('rounds the interval up to whole microseconds, so the rate is never exceeded', () => {
    expect(cellOf({ perSecond: 3, burst: 1 }).intervalUs).toBe(333_334);
    expect(cellOf({ perSecond: 7, burst: 2 })).toMatchObject({ intervalUs: 142_858, toleranceUs: 142_858 });
  });

  it('lets the burst go at once from a full bucket and queues the next sends one interval apart', () => {
    const cell = cellOf({ perSecond: 10, burst: 5 });
    const now = 1_000_000_000;
    // What `tat = max(tat, now) + interval` leaves after each of eight takes at the same moment.
    const tats = Array.from({ length: 8 }, (_, i) => now + (i + 1) * cell.intervalUs);
    expect(tats.map((tat) => waitMsOf(tat, now, cell))).toEqual([0, 0, 0, 0, 0, 100, 200, 300]);
    expect(slotOf(tats[5]!, cell)).toBe(now + cell.intervalUs);
  });

  it('rounds a wait up to the next millisecond, so no send goes before its moment', () => {
    const cell = cellOf({ perSecond: 3, burst: 1 });
    expect(waitMsOf(1_000 + cell.intervalUs, 1_000, cell)).toBe(0);
    expect(waitMsOf(1_000 + 2 * cell.intervalUs, 1_000, cell)).toBe(334);
    expect(waitMsOf(1_000 + 2 * cell.intervalUs, 1_001, cell)).toBe(334);
    expect(waitMsOf(1_000 + 2 * cell.intervalUs, 2_001, cell)).toBe(333);
  });

  it('hands the tokens one statement took together to the sends in the order they asked', () => {
    const cell = cellOf({ perSecond: 10, burst: 2 });
    const now = 1_000_000_000;
    // Four tokens from a full bucket: tat moved from now to now + 4 intervals.
    expect(waitsOf(now + 4 * cell.intervalUs, 4, now, cell)).toEqual([0, 0, 100, 200]);
    // The same as taking them one by one.
    const oneByOne = [1, 2, 3, 4].map((i) => waitMsOf(now + i * cell.intervalUs, now, cell));
    expect(waitsOf(now + 4 * cell.intervalUs, 4, now, cell)).toEqual(oneByOne);
  });
});
