import { type PartitionedConsumer, partitionConsumer } from '@reserveit/contracts';
import { consume, type RunningConsumer } from './consume.js';
import { fromEntry, together, type WiredOptions } from './wired-consumer.js';

export interface PartitionedOptions extends WiredOptions {
  /** Partitions this process consumes; all of them by default (tests run a few). */
  partitions?: readonly number[];
  /**
   * Where partition consumers that do not exist yet start (a stream sequence); at the stream's
   * first message by default. Existing ones keep their place.
   */
  startSequence?: number;
}

/**
 * Ordering class `per-conversation`: one durable pull consumer per partition, each with
 * max_ack_pending 1. The server hands a partition's next message out only once the one pending is
 * acknowledged, whichever replica holds it, so a conversation's messages are handled one at a
 * time in stream order across replicas while the other partitions go on. A failing message is
 * retried with backoff (nak with delay) and holds its partition; after the row's maxDeliver
 * attempts it is dead-lettered and the partition moves on.
 */
export async function consumePartitioned(
  entry: PartitionedConsumer,
  options: PartitionedOptions,
): Promise<RunningConsumer> {
  const base = fromEntry(entry, options);
  const partitions = options.partitions ?? Array.from({ length: entry.partitions }, (_, p) => p);
  const running: RunningConsumer[] = [];
  try {
    for (const partition of partitions) {
      const { durable, filterSubject } = partitionConsumer(entry, partition);
      running.push(
        await consume({
          ...base,
          consumer: {
            stream: entry.stream,
            durable,
            filterSubject,
            ackWaitMs: entry.ackWaitMs,
            maxAckPending: entry.maxAckPending,
            ...(options.startSequence !== undefined ? { startSequence: options.startSequence } : {}),
          },
        }),
      );
    }
  } catch (error) {
    await together(running).stop();
    throw error;
  }
  return together(running);
}

/**
 * The row's retired single durable (`entry.retired`), narrowed to the subjects only it can read
 * (published before the partition token), with the row's settings and max_ack_pending 1: what it
 * still holds is handled in stream order. Its owner runs it only while it has such messages left.
 */
export async function consumeRetired(
  entry: PartitionedConsumer,
  options: WiredOptions,
): Promise<RunningConsumer> {
  if (!entry.retired) throw new Error(`${entry.id} has no retired consumer`);
  return consume({
    ...fromEntry(entry, options),
    consumer: {
      stream: entry.stream,
      durable: entry.retired.durable,
      filterSubject: entry.retired.filterSubject,
      ackWaitMs: entry.ackWaitMs,
      maxAckPending: entry.maxAckPending,
    },
  });
}
