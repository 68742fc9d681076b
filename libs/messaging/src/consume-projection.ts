import type { JsMsg } from '@nats-io/jetstream';
import type { ProjectionConsumer } from '@reserveit/contracts';
import type { RunningConsumer } from './consume.js';
import { consumeBatches } from './consume-batches.js';
import { durableOf, fromEntry, type WiredOptions } from './wired-consumer.js';

export interface ProjectionOptions extends WiredOptions {
  /**
   * Applies what arrived together, up to the row's batchSize, in stream order (e.g. in one
   * transaction); every message is acknowledged after it resolves. `handler` applies one message
   * alone, for a batch that failed while its dependency was up.
   */
  handleBatch(messages: JsMsg[]): Promise<void>;
  /**
   * Whether what the handler depends on (its database) works. A failure while it does not is an
   * outage: wait and retry, never dead-letter. A failure while it does is the message's own fault.
   */
  healthy(): Promise<boolean>;
  /**
   * Where the durable starts if it does not exist yet: the first message stored at or after this
   * time. The stream's first message by default; an existing durable keeps its place.
   */
  startTime?: Date;
}

/**
 * Ordering class `projection`: one durable over the row's filter, handed over in batches in stream
 * order, one batch at a time. Failures are retried in place (never by nak), so a later event never
 * overtakes an earlier one; only a message that fails alone, with its dependency up, is
 * dead-lettered after the row's maxDeliver attempts. Whether several processes may run it at
 * once is the row's `writers`: its owner runs it accordingly.
 */
export function consumeProjection(
  entry: ProjectionConsumer,
  options: ProjectionOptions,
): Promise<RunningConsumer> {
  return consumeBatches({
    ...fromEntry(entry, options),
    consumer: {
      ...durableOf(entry),
      maxAckPending: entry.batchSize,
      ...(options.startTime ? { startTime: options.startTime } : {}),
    },
    batchSize: entry.batchSize,
    handleBatch: options.handleBatch,
    healthy: options.healthy,
  });
}
