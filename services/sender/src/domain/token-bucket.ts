/**
 * A token bucket that lends: taking a token from an empty bucket is allowed and says how long to
 * wait before using it, so concurrent senders queue up in the order they asked instead of polling.
 * Pure: the caller passes the time (milliseconds) and keeps the returned bucket.
 */
export interface Bucket {
  /** May be negative: tokens already promised to senders that are waiting. */
  tokens: number;
  atMs: number;
}

export interface Rate {
  perSecond: number;
  burst: number;
}

export function fullBucket(rate: Rate, nowMs: number): Bucket {
  return { tokens: rate.burst, atMs: nowMs };
}

export function takeToken(bucket: Bucket, rate: Rate, nowMs: number): { bucket: Bucket; waitMs: number } {
  // A clock that steps back (NTP) must not drain tokens.
  const elapsed = Math.max(0, nowMs - bucket.atMs);
  const refilled = Math.min(rate.burst, bucket.tokens + (elapsed * rate.perSecond) / 1000);
  const tokens = refilled - 1;
  const waitMs = tokens >= 0 ? 0 : Math.ceil((-tokens * 1000) / rate.perSecond);
  return { bucket: { tokens, atMs: Math.max(nowMs, bucket.atMs) }, waitMs };
}

/** A token only if one is there now: never lends, so a caller that cannot wait does not queue. */
export function tryTakeToken(bucket: Bucket, rate: Rate, nowMs: number): { bucket: Bucket; taken: boolean } {
  const taken = takeToken(bucket, rate, nowMs);
  return taken.waitMs === 0 ? { bucket: taken.bucket, taken: true } : { bucket, taken: false };
}

/** A token taken but not used goes back, up to the burst. */
export function returnToken(bucket: Bucket, rate: Rate): Bucket {
  return { ...bucket, tokens: Math.min(rate.burst, bucket.tokens + 1) };
}

/** One bucket per business phone number (Meta's throughput limit is per number, reference §9). */
export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly rate: Rate,
    private readonly nowMs: () => number,
  ) {}

  /** Milliseconds the caller must wait before sending from this number. */
  reserve(phoneNumberId: string): number {
    const now = this.nowMs();
    const bucket = this.buckets.get(phoneNumberId) ?? fullBucket(this.rate, now);
    const taken = takeToken(bucket, this.rate, now);
    this.buckets.set(phoneNumberId, taken.bucket);
    return taken.waitMs;
  }

  /** Takes a token if one is free right now; false means use reserve() and wait. */
  tryTake(phoneNumberId: string): boolean {
    const now = this.nowMs();
    const taken = tryTakeToken(this.buckets.get(phoneNumberId) ?? fullBucket(this.rate, now), this.rate, now);
    this.buckets.set(phoneNumberId, taken.bucket);
    return taken.taken;
  }

  /** Gives back a token tryTake() took for a send that did not happen. */
  giveBack(phoneNumberId: string): void {
    const bucket = this.buckets.get(phoneNumberId);
    if (bucket) this.buckets.set(phoneNumberId, returnToken(bucket, this.rate));
  }
}
