import { describe, expect, it } from 'vitest';
import { position, rate } from '../src/progress.js';

describe('replay progress', () => {
  it('counts stream sequences from where the run began', () => {
    expect(position(100, { seq: 150, lastSeq: 200, applied: 50 })).toEqual({ done: 50, total: 100 });
  });

  it('is complete at the stream end, also on a filtered stream with nothing of its own to apply', () => {
    // The start is estimated as seq - applied, which is the end itself when no event matched.
    expect(position(2, { seq: 2, lastSeq: 2, applied: 0 })).toEqual({ done: 1, total: 1 });
    expect(position(40, { seq: 90, lastSeq: 90, applied: 50 })).toEqual({ done: 50, total: 50 });
  });

  it('gives a rate once something was applied, and the time left at it', () => {
    expect(rate(0, 1_000, 10)).toEqual({ perSecond: 0, etaSeconds: undefined });
    expect(rate(500, 2_000, 1_000)).toEqual({ perSecond: 250, etaSeconds: 4 });
  });
});
