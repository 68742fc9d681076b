/**
 * Per-conversation order with scale-out: the publisher stamps a partition number into the
 * subject and each partition gets one durable consumer with max_ack_pending 1 (DESIGN §12).
 * Changing the count re-shuffles conversations across partitions, so it is part of the contract.
 */
export const PARTITIONS = 16;

/** FNV-1a (32 bit): stable across processes and versions, unlike a seeded hash. */
export function partitionOf(phoneNumberId: string, guestId: string, partitions = PARTITIONS): number {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(`${phoneNumberId}/${guestId}`, 'utf8')) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % partitions;
}
