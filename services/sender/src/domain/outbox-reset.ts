import type { OutboxReset } from '@reserveit/contracts';

/** The row to reset, as it is once the outbox is locked; undefined when there is none. */
export interface ResetCandidate {
  key: string;
  state: string;
  /** The furthest status a webhook reported for the key, if any: Meta took one of its attempts. */
  metaStatus: string | undefined;
}

/** Another unfinished reply of the same guest, in stream order. */
export interface QueuedReply {
  key: string;
  /** `sending` (an attempt may have reached Meta) or leased (a dispatcher is about to send it). */
  inFlight: boolean;
}

export type ResetPlan =
  | { type: 'refuse'; outcome: OutboxReset }
  | {
      type: 'reset';
      /** Replies of the guest queued behind the reset row (see OutboxTable.followed). */
      followed: boolean;
      /** Rows that must stop being heads: the reset row goes before them. */
      demote: string[];
    };

/**
 * Whether and how a failed row becomes due again. Every unfinished reply of its guest came after
 * it on OUTBOUND (it was the guest's head when it failed, and the head is handed on in stream
 * order), so once pending again it is the oldest: it becomes the guest's head and the others wait
 * behind it, as if they had been recorded after it, which is what the claim's probe of older rows
 * enforces anyway. That is only possible while none of them is being sent: a reply already
 * attempted cannot be put back behind it, and two replies of one guest would be in flight at once.
 * Then the reset is refused and can be tried again once that reply is done.
 */
export function planReset(
  key: string,
  row: ResetCandidate | undefined,
  queue: readonly QueuedReply[],
): ResetPlan {
  if (!row) return { type: 'refuse', outcome: { key, result: 'no-row' } };
  if (row.state !== 'failed') {
    return { type: 'refuse', outcome: { key, result: 'not-failed', state: row.state } };
  }
  // An attempt that timed out may still have reached Meta: its status is the proof.
  if (row.metaStatus !== undefined) {
    return { type: 'refuse', outcome: { key, result: 'reached-meta', status: row.metaStatus } };
  }
  const busy = queue.find((reply) => reply.inFlight);
  if (busy) return { type: 'refuse', outcome: { key, result: 'busy', inFlight: busy.key } };
  return { type: 'reset', followed: queue.length > 0, demote: queue.map((reply) => reply.key) };
}
