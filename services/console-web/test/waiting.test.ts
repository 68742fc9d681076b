import { describe, expect, it } from 'vitest';
import { minutesWaited, waitingLabel } from '../src/domain/waiting.js';

const now = new Date('2026-12-07T18:30:00Z');

describe('waiting time', () => {
  it('counts whole minutes since the guest asked for a person', () => {
    expect(minutesWaited('2026-12-07T18:25:00Z', now)).toBe(5);
    expect(minutesWaited('2026-12-07T18:24:01Z', now)).toBe(5);
  });

  it('never goes negative when the server clock is ahead', () => {
    expect(minutesWaited('2026-12-07T18:31:00Z', now)).toBe(0);
  });

  it('says "just now" under a minute, minutes under an hour, then hours', () => {
    expect(waitingLabel('2026-12-07T18:29:30Z', now)).toEqual({ unit: 'justNow' });
    expect(waitingLabel('2026-12-07T18:25:00Z', now)).toEqual({ unit: 'minutes', count: 5 });
    expect(waitingLabel('2026-12-07T17:31:00Z', now)).toEqual({ unit: 'minutes', count: 59 });
    expect(waitingLabel('2026-12-07T17:30:00Z', now)).toEqual({ unit: 'hours', count: 1 });
    expect(waitingLabel('2026-12-07T15:00:00Z', now)).toEqual({ unit: 'hours', count: 3 });
  });
});
