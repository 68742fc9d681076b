/**
 * Delivery statuses only move forward. Meta may send them out of order and skips `delivered` when
 * a message is delivered and read at once (docs/whatsapp.md, Statuses), so the projection keeps the highest rank
 * seen. `failed` outranks `sent` only: a message reported delivered or read was not lost.
 */
const RANKS: Record<string, number> = {
  sent: 10,
  failed: 15,
  delivered: 20,
  read: 30,
  // First playback of a voice message; implies read.
  played: 40,
};

/** Undefined for statuses Meta does not document (courier has seen `deleted`): they change nothing. */
export function statusRank(status: string): number | undefined {
  return RANKS[status];
}
