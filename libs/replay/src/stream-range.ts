import {
  AckPolicy,
  DeliverPolicy,
  type JetStreamClient,
  type JetStreamManager,
  type JsMsg,
} from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';

export interface StreamRange {
  stream: string;
  /** One filter subject (nats-server 2.9 takes one per consumer); default: the whole stream. */
  filterSubject?: string;
  /** First sequence to read; default 1. Ignored when fromTime is given. */
  fromSeq?: number;
  /** Start at the first message stored at or after this instant (ISO-8601). */
  fromTime?: string;
  /** Last sequence to read; default: whatever matched when the read began. */
  toSeq?: number;
  /** Messages the client buffers ahead of the caller. */
  bufferSize?: number;
}

/**
 * Reads a stretch of a stream in order, headers included, and ends by itself. It creates an
 * ephemeral consumer (no acks, removed at the end and by the server 30 s after the reader is gone)
 * rather than an ordered one because the creation answer says how many messages match, so an empty
 * or filtered range ends at once instead of waiting for a message that never comes.
 */
export async function* readStream(
  js: JetStreamClient,
  jsm: JetStreamManager,
  range: StreamRange,
): AsyncGenerator<JsMsg> {
  const fromSeq = range.fromSeq ?? 1;
  if (range.toSeq !== undefined && !range.fromTime && range.toSeq < fromSeq) return;
  const start = range.fromTime
    ? { deliver_policy: DeliverPolicy.StartTime, opt_start_time: range.fromTime }
    : fromSeq > 1
      ? { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: fromSeq }
      : { deliver_policy: DeliverPolicy.All };
  const info = await jsm.consumers.add(range.stream, {
    ...start,
    ...(range.filterSubject ? { filter_subject: range.filterSubject } : {}),
    ack_policy: AckPolicy.None,
    mem_storage: true,
    inactive_threshold: nanos(30_000),
  });
  try {
    let remaining = info.num_pending;
    if (remaining === 0) return;
    const consumer = await js.consumers.get(range.stream, info.name);
    const messages = await consumer.consume({ max_messages: range.bufferSize ?? 512 });
    try {
      for await (const message of messages) {
        if (range.toSeq !== undefined && message.seq > range.toSeq) break;
        yield message;
        remaining--;
        if (remaining <= 0 || message.info.pending === 0) break;
        if (range.toSeq !== undefined && message.seq >= range.toSeq) break;
      }
    } finally {
      await messages.close();
    }
  } finally {
    await jsm.consumers.delete(range.stream, info.name).catch(() => undefined);
  }
}
