/**
 * A business number's send rate as GCRA, the generic cell rate algorithm (ITU-T I.371): a token
 * bucket kept as one timestamp, the theoretical arrival time (`tat`) of the number's next send.
 * Taking a token is `tat = max(tat, now) + interval`, and the send it buys may go at
 * `tat - interval - tolerance`: at once while the bucket holds tokens, else at its place in the
 * queue, so senders wait in the order they asked instead of polling. Kept this way the whole
 * bucket is one column that a single statement can update (src/outbox/rate-limit-store.ts).
 * Pure: times are microseconds the caller passes.
 */
export interface Rate {
  /** Sends per second (Meta's throughput per business number, docs/whatsapp.md "Limits"). */
  perSecond: number;
  /** Sends that may go at once after the number was idle. */
  burst: number;
}

/**
 * How long a replica may hold free tokens a statement granted beyond the send that asked, to hand
 * them to its next sends without another statement (src/send-slots.ts), when the rate is high
 * enough for that to matter (two tokens or more in that time). A token used that long after it
 * was granted could put one window's sends past rate × window + burst, so the burst's tolerance
 * is shortened by as much (cellOf): held or not, the bound holds.
 */
export const TOKEN_HOLD_MS = 100;

export interface Cell {
  /** Microseconds between two sends at the rate. */
  intervalUs: number;
  /** How far ahead of the rate a send may go: the burst less the one send of each interval, less the hold. */
  toleranceUs: number;
  /** How long free tokens may be held (0: never, the rate is too low for blocks). */
  holdMs: number;
  /** The most free tokens asked for at once: what the rate yields while they may be held. */
  maxBlock: number;
}

export function cellOf(rate: Rate): Cell {
  // Rounded up to whole microseconds (the database's resolution): never faster than the rate.
  const intervalUs = Math.ceil(1_000_000 / rate.perSecond);
  const fullToleranceUs = (Math.max(1, rate.burst) - 1) * intervalUs;
  // Never held longer than the burst's tolerance can pay for: the bound needs all of the hold.
  const hold = Math.min(TOKEN_HOLD_MS, Math.floor(fullToleranceUs / 1000));
  const maxBlock = Math.max(1, Math.floor((rate.perSecond * hold) / 1000));
  const holdMs = maxBlock > 1 ? hold : 0;
  return { intervalUs, toleranceUs: fullToleranceUs - holdMs * 1000, holdMs, maxBlock };
}

/**
 * Free tokens to ask for at once: as many as this replica's sends to the number asked in the
 * last hold (its demand until the tokens must be used), at least one and at most cell.maxBlock.
 */
export function blockSize(recentAsks: number, cell: Cell): number {
  return Math.min(cell.maxBlock, Math.max(1, recentAsks));
}

/** When a send whose token moved the number's `tat` to `tatUs` may go. */
export function slotOf(tatUs: number, cell: Cell): number {
  return tatUs - cell.intervalUs - cell.toleranceUs;
}

/** Whole milliseconds from `nowUs` until the send whose token left `tatUs` may go (0: go now). */
export function waitMsOf(tatUs: number, nowUs: number, cell: Cell): number {
  return Math.max(0, Math.ceil((slotOf(tatUs, cell) - nowUs) / 1000));
}

/**
 * The waits of `count` sends of one number whose tokens one statement took together, leaving
 * `tatUs`: the first asked goes first, each next one an interval later.
 */
export function waitsOf(tatUs: number, count: number, nowUs: number, cell: Cell): number[] {
  return Array.from({ length: count }, (_, i) =>
    waitMsOf(tatUs - (count - 1 - i) * cell.intervalUs, nowUs, cell),
  );
}
