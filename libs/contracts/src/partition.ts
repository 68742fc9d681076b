/**
 * Per-conversation order with scale-out: the publisher stamps a partition number into the
 * subject and each partition gets one durable consumer with max_ack_pending 1 (docs/architecture.md, "Ordered per conversation").
 * Changing the count re-shuffles conversations across partitions, so it is part of the contract:
 * change it only with the consumers caught up (`reserveit-ops streams` shows no lag), or a
 * conversation's last old message and its first new one could be handled at the same time.
 *
 * A partition handles one message at a time, so the count bounds the throughput at count / (time
 * per message). With 16, bench:e2e's 300 msg/s met a ceiling of about 16 / 50 ms under load and
 * queued for seconds; 64 lets the same CPU answer them (each idle partition costs a pending pull).
 */
export const PARTITIONS = 64;

/** FNV-1a (32 bit): stable across processes and versions, unlike a seeded hash. */
export function partitionOf(phoneNumberId: string, guestId: string, partitions = PARTITIONS): number {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(`${phoneNumberId}/${guestId}`, 'utf8')) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % partitions;
}
