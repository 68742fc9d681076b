import { describe, expect, it } from 'vitest';
import { fullBucket, RateLimiter, takeToken } from '../src/domain/token-bucket.js';

const rate = { perSecond: 80, burst: 80 };

describe('token bucket', () => {
  it('lets a full burst through without waiting, then spaces sends at the rate', () => {
    let bucket = fullBucket(rate, 0);
    for (let i = 0; i < 80; i++) {
      const taken = takeToken(bucket, rate, 0);
      expect(taken.waitMs).toBe(0);
      bucket = taken.bucket;
    }
    const next = takeToken(bucket, rate, 0);
    expect(next.waitMs).toBe(13); // 1/80 s, rounded up
    expect(takeToken(next.bucket, rate, 0).waitMs).toBe(25);
  });

  it('refills with time but never beyond the burst', () => {
    let bucket = fullBucket(rate, 0);
    for (let i = 0; i < 80; i++) bucket = takeToken(bucket, rate, 0).bucket;
    expect(takeToken(bucket, rate, 500).bucket.tokens).toBeCloseTo(39);
    const later = takeToken(bucket, rate, 60_000);
    expect(later.waitMs).toBe(0);
    expect(later.bucket.tokens).toBe(79);
  });

  it('does not lose tokens when the clock steps back', () => {
    const bucket = { tokens: 0, atMs: 1_000 };
    const taken = takeToken(bucket, rate, 500);
    expect(taken.waitMs).toBe(13);
    expect(taken.bucket.atMs).toBe(1_000);
  });

  it('limits each phone number on its own, with the clock it is given', () => {
    let now = 0;
    const limiter = new RateLimiter({ perSecond: 2, burst: 1 }, () => now);
    expect(limiter.reserve('a')).toBe(0);
    expect(limiter.reserve('a')).toBe(500);
    expect(limiter.reserve('b')).toBe(0);
    now = 1_000;
    // One second at 2/s repays the borrowed token and refills the bucket.
    expect(limiter.reserve('a')).toBe(0);
  });

  it('tryTake takes only a token that is there, never lends, and giveBack returns one up to the burst', () => {
    let now = 0;
    const limiter = new RateLimiter({ perSecond: 2, burst: 2 }, () => now);
    expect(limiter.tryTake('a')).toBe(true);
    expect(limiter.tryTake('a')).toBe(true);
    expect(limiter.tryTake('a')).toBe(false);
    // The refusal left no debt: half a second at 2/s brings exactly one token back.
    now = 500;
    expect(limiter.tryTake('a')).toBe(true);
    limiter.giveBack('a');
    limiter.giveBack('a');
    limiter.giveBack('a');
    // Capped at the burst: two sends now, the third waits for the refill.
    expect(limiter.reserve('a')).toBe(0);
    expect(limiter.reserve('a')).toBe(0);
    expect(limiter.reserve('a')).toBe(500);
  });
});
