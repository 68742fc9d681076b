/** What became of one inbound message in a fault run, as the fake WhatsApp saw it. */
export interface MessageOutcome {
  /** When its first POST went out (ms since the epoch). */
  postedAt: number;
  /** When ingress first answered 200 to it (any copy); undefined when it never did. */
  acceptedAt: number | undefined;
  /** HTTP status of every POST of every copy of its webhook; 0 for no answer. */
  outcomes: number[];
  /** When the fake Graph API took (200) each reply quoting it, oldest first. */
  replyTimes: number[];
  /** How many replies the message asks for. */
  expectedReplies: number;
  /** Times its webhook was posted on purpose (1, or 3 in a duplicate storm); redeliveries aside. */
  copies: number;
}

export interface Drain {
  /** Replies owed when the sender was started again: to messages accepted before, sent after. */
  rows: number;
  /** From the sender's start to the first of them (the process starting, the intake catching up). */
  startupMs: number;
  /** From the first of them to the last. */
  seconds: number;
  rowsPerSecond: number;
}

export interface DeliveryCounts {
  sent: number;
  /** Messages whose webhook was posted more than once on purpose (a duplicate storm). */
  duplicated: number;
  accepted: number;
  /** Fewer replies than the message asks for (usually none) by the end of the run. */
  lost: number;
  /** More replies than the message asks for. */
  doubled: number;
  http5xx: number;
  /** POSTs that got no answer: connection refused or reset, or none within the timeout. */
  noAnswer: number;
}

export interface Recovery {
  /** From the fault's start to the first reply to a message first posted after it began. */
  firstReplyMs: number | undefined;
  /**
   * From the fault's start to the last reply that came late: a message answered more slowly than
   * `slowMs` (the run's usual latency before the fault, three times over and at least a second),
   * counted from its first POST as the guest waits through Meta's redeliveries too. 0 when the
   * fault delayed nothing; undefined when a message was lost.
   */
  caughtUpMs: number | undefined;
  slowMs: number;
}

export function deliveryCounts(messages: MessageOutcome[]): DeliveryCounts {
  const outcomes = messages.flatMap((m) => m.outcomes);
  return {
    sent: messages.length,
    duplicated: messages.filter((m) => m.copies > 1).length,
    accepted: messages.filter((m) => m.acceptedAt !== undefined).length,
    lost: messages.filter((m) => m.replyTimes.length < m.expectedReplies).length,
    doubled: messages.filter((m) => m.replyTimes.length > m.expectedReplies).length,
    http5xx: outcomes.filter((status) => status >= 500).length,
    noAnswer: outcomes.filter((status) => status === 0).length,
  };
}

function percentile(values: number[], q: number): number | undefined {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

/** Reply latency of a message: from its first POST to its first reply. */
function latency(m: MessageOutcome): number | undefined {
  const first = m.replyTimes[0];
  return first === undefined ? undefined : first - m.postedAt;
}

/** How long the run took to recover from a fault that began at `startedAt`. */
export function recovery(messages: MessageOutcome[], startedAt: number): Recovery {
  const before = messages.flatMap((m) => {
    const first = m.replyTimes[0];
    const l = latency(m);
    return first !== undefined && first < startedAt && l !== undefined ? [l] : [];
  });
  const slowMs = Math.max(1_000, 3 * (percentile(before, 0.95) ?? 0));
  const firstAfter = messages.flatMap((m) =>
    m.postedAt >= startedAt && m.replyTimes[0] !== undefined ? [m.replyTimes[0]] : [],
  );
  const lost = messages.some((m) => m.replyTimes.length < m.expectedReplies);
  const lateReplies = messages.flatMap((m) => {
    const l = latency(m);
    const first = m.replyTimes[0];
    return l !== undefined && first !== undefined && l > slowMs && first >= startedAt ? [first] : [];
  });
  const firstReply = firstAfter.length > 0 ? Math.min(...firstAfter) : undefined;
  return {
    firstReplyMs: firstReply === undefined ? undefined : firstReply - startedAt,
    caughtUpMs: lost ? undefined : lateReplies.length === 0 ? 0 : Math.max(...lateReplies) - startedAt,
    slowMs,
  };
}

/**
 * The backlog a stopped sender left, drained once it was started again at `startedAt`: the replies
 * to messages accepted before then that went out after, and how fast they went.
 */
export function drain(messages: MessageOutcome[], startedAt: number): Drain | undefined {
  const owed = messages
    .flatMap((m) =>
      m.acceptedAt !== undefined && m.acceptedAt < startedAt
        ? m.replyTimes.filter((t) => t >= startedAt)
        : [],
    )
    .sort((a, b) => a - b);
  const first = owed[0];
  const last = owed.at(-1);
  if (first === undefined || last === undefined) return undefined;
  // One reply, or several in the same millisecond, still drained at some rate: a millisecond at least.
  const seconds = Math.max(1, last - first) / 1000;
  return { rows: owed.length, startupMs: first - startedAt, seconds, rowsPerSecond: owed.length / seconds };
}
