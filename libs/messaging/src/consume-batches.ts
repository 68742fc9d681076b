import type { JsMsg } from '@nats-io/jetstream';
import { type Link, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { type ConsumeOptions, ensureConsumer, handleOne, type RunningConsumer } from './consume.js';
import { extractTraceContext } from './trace-context.js';

const tracer = trace.getTracer('@reserveit/messaging');

export interface BatchConsumeOptions extends ConsumeOptions {
  /** Most messages handed to handleBatch at once (also the consumer's max_ack_pending floor). */
  batchSize: number;
  /** Handles the whole batch (e.g. in one transaction); every message is acked after it resolves. */
  handleBatch(messages: JsMsg[]): Promise<void>;
}

/**
 * For projections that must keep up: hands over, in stream order, whatever has arrived since the
 * last batch (up to batchSize), so a projector pays one transaction per batch rather than per
 * event, and a lone event is not held back waiting for company. When a batch fails, its messages
 * go through the one-at-a-time path (`handler`, with retries and dead letters), which isolates a
 * poison message.
 */
export async function consumeBatches(options: BatchConsumeOptions): Promise<RunningConsumer> {
  const { js, jsm, consumer: spec } = options;
  const maxAckPending = Math.max(spec.maxAckPending, options.batchSize);
  await ensureConsumer(jsm, { ...spec, maxAckPending });
  const consumer = await js.consumers.get(spec.stream, spec.durable);
  const messages = await consumer.consume({ max_messages: maxAckPending });
  const arrived: JsMsg[] = [];
  let ended = false;
  let wake: (() => void) | undefined;
  const receiving = (async () => {
    for await (const message of messages) {
      arrived.push(message);
      wake?.();
    }
    ended = true;
    wake?.();
  })();
  const done = (async () => {
    for (;;) {
      if (arrived.length === 0) {
        if (ended) break;
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
        wake = undefined;
        continue;
      }
      await handle(options, arrived.splice(0, options.batchSize));
    }
    await receiving;
  })();
  return {
    done,
    async stop() {
      await messages.close();
      await done;
    },
  };
}

async function handle(options: BatchConsumeOptions, batch: JsMsg[]): Promise<void> {
  const links: Link[] = [];
  for (const message of batch) {
    const producer = trace.getSpanContext(extractTraceContext(message.headers));
    if (producer) links.push({ context: producer });
  }
  const span = tracer.startSpan(`process ${options.consumer.stream}`, {
    kind: SpanKind.CONSUMER,
    links,
    attributes: {
      'messaging.system': 'nats',
      'messaging.operation.type': 'process',
      'messaging.destination.name': options.consumer.stream,
      'messaging.consumer.group.name': options.consumer.durable,
      'messaging.batch.message_count': batch.length,
    },
  });
  try {
    await options.handleBatch(batch);
    for (const message of batch) message.ack();
  } catch (error) {
    span.recordException(error as Error);
    span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
    options.logger.warn(
      { err: error, stream: options.consumer.stream, first: batch[0]?.seq, size: batch.length },
      'batch failed; handling its messages one at a time',
    );
    for (const message of batch) await handleOne(options, message);
  } finally {
    span.end();
  }
}
