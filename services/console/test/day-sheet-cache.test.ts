import type { DaySheet } from '@reserveit/console-api';
import { describe, expect, it } from 'vitest';
import { DaySheetCache } from '../src/day-sheet-cache.js';

const sheet = (closedReason: string): DaySheet => ({
  date: '2026-12-08',
  timezone: 'Asia/Dubai',
  closedReason,
  slots: [],
  reservations: [],
  waitlist: [],
});

function cache(maxEntries = 100) {
  let clock = 0;
  const sheets = new DaySheetCache({ ttlMs: 1_000, maxEntries, now: () => clock });
  return { sheets, advance: (ms: number) => (clock += ms) };
}

describe('DaySheetCache', () => {
  it('answers again from memory until an event of the day, a settings change or the ttl', async () => {
    const { sheets, advance } = cache();
    let reads = 0;
    const load = async () => sheet(`read ${++reads}`);
    expect((await sheets.get('a', '2026-12-08', load)).closedReason).toBe('read 1');
    expect((await sheets.get('a', '2026-12-08', load)).closedReason).toBe('read 1');
    sheets.invalidateDay('a', '2026-12-09');
    sheets.invalidateDay('b', '2026-12-08');
    expect((await sheets.get('a', '2026-12-08', load)).closedReason).toBe('read 1');
    sheets.invalidateDay('a', '2026-12-08');
    expect((await sheets.get('a', '2026-12-08', load)).closedReason).toBe('read 2');
    sheets.invalidateBusiness('a');
    expect((await sheets.get('a', '2026-12-08', load)).closedReason).toBe('read 3');
    advance(1_001);
    expect((await sheets.get('a', '2026-12-08', load)).closedReason).toBe('read 4');
    expect({ hits: sheets.hits, misses: sheets.misses }).toEqual({ hits: 2, misses: 4 });
  });

  it('does not keep a sheet whose read overlapped an event of its day', async () => {
    const { sheets } = cache();
    let release: () => void = () => undefined;
    const slow = sheets.get(
      'a',
      '2026-12-08',
      () =>
        new Promise<DaySheet>((resolve) => {
          release = () => resolve(sheet('before the event'));
        }),
    );
    sheets.invalidateDay('a', '2026-12-08');
    release();
    expect((await slow).closedReason).toBe('before the event');
    expect((await sheets.get('a', '2026-12-08', async () => sheet('after'))).closedReason).toBe('after');
  });

  it('keeps at most maxEntries days, dropping the oldest', async () => {
    const { sheets } = cache(2);
    for (const date of ['2026-12-01', '2026-12-02', '2026-12-03'])
      await sheets.get('a', date, async () => sheet(date));
    expect((await sheets.get('a', '2026-12-03', async () => sheet('again'))).closedReason).toBe('2026-12-03');
    expect((await sheets.get('a', '2026-12-01', async () => sheet('again'))).closedReason).toBe('again');
  });
});
