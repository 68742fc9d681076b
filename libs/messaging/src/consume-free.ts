import type { FreeConsumer } from '@reserveit/contracts';
import { consume, type RunningConsumer } from './consume.js';
import { durableOf, fromEntry, type WiredOptions } from './wired-consumer.js';

/**
 * Ordering class `free`: one durable shared by every replica, up to the row's max_ack_pending
 * messages out at once and up to its concurrency handled at once in this process, each
 * acknowledged as it finishes. A failing message is retried after the row's backoff (nak with
 * delay, so later ones overtake it) and dead-lettered after its maxDeliver attempts.
 */
export function consumeFree(entry: FreeConsumer, options: WiredOptions): Promise<RunningConsumer> {
  return consume({
    ...fromEntry(entry, options),
    consumer: { ...durableOf(entry), maxAckPending: entry.maxAckPending },
    concurrency: entry.concurrency,
  });
}
