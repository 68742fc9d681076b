import type { JsMsg } from '@nats-io/jetstream';
import { type Link, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { handleAll, type IRetryContext, retry } from 'cockatiel';
import { retryBackoff } from './backoff.js';
import { type ConsumeOptions, ensureConsumer, PULL_EXPIRES_MS, type RunningConsumer } from './consume.js';
import { extractTraceContext } from './trace-context.js';

const tracer = trace.getTracer('@reserveit/messaging');

export interface BatchConsumeOptions extends ConsumeOptions {
  /** Most messages handed to handleBatch at once (also the consumer's max_ack_pending floor). */
  batchSize: number;
  /** Handles the whole batch (e.g. in one transaction); every message is acked after it resolves. */
  handleBatch(messages: JsMsg[]): Promise<void>;
  /**
   * Whether what the handler depends on (its database) works. A failure while it does not is an
   * outage: wait and retry, never dead-letter. A failure while it does is the message's own fault.
   */
  healthy(): Promise<boolean>;
}

/**
 * For projections, which must apply every event once and in stream order: hands over whatever
 * has arrived since the last batch (up to batchSize), so a projector pays one transaction per
 * batch and a lone event is not held back. Failures are retried inline, never by nak, so a later
 * event can never overtake an earlier one. During an outage (healthy() false) a batch is retried
 * with backoff for as long as it takes; when the dependency is fine and the batch still fails,
 * its messages are tried one at a time and only the one that keeps failing is dead-lettered.
 */
export async function consumeBatches(options: BatchConsumeOptions): Promise<RunningConsumer> {
  const { js, jsm, consumer: spec, logger } = options;
  const maxAckPending = Math.max(spec.maxAckPending, options.batchSize);
  await ensureConsumer(jsm, { ...spec, maxAckPending });
  const consumer = await js.consumers.get(spec.stream, spec.durable);
  const messages = await consumer.consume({ max_messages: maxAckPending, expires: PULL_EXPIRES_MS });
  const arrived: JsMsg[] = [];
  let ended = false;
  let wake: (() => void) | undefined;
  const receiving = (async () => {
    for await (const message of messages) {
      arrived.push(message);
      wake?.();
    }
  })()
    .catch((error: unknown) => logger.error({ err: error, stream: spec.stream }, 'receiving stopped'))
    .finally(() => {
      ended = true;
      wake?.();
    });
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
      const batch = arrived.splice(0, options.batchSize);
      // Whatever goes wrong, the loop goes on: unacked messages come back after AckWait.
      await handle(options, batch).catch((error: unknown) =>
        logger.error({ err: error, stream: spec.stream, first: batch[0]?.seq }, 'batch left unacknowledged'),
      );
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
    const handledWhole = await untilSettled(options, batch, async () => {
      try {
        await options.handleBatch(batch);
        for (const message of batch) message.ack();
        return true;
      } catch (error) {
        span.recordException(error as Error);
        // During an outage the batch is not at fault: it waits and is tried again whole.
        if (!(await options.healthy())) throw error;
        options.logger.warn(
          { err: error, stream: options.consumer.stream, first: batch[0]?.seq, size: batch.length },
          'batch failed with its dependencies up; trying its messages one at a time',
        );
        return false;
      }
    });
    if (handledWhole) return;
    for (const message of batch) await handleAlone(options, message);
  } catch (error) {
    span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
    throw error;
  } finally {
    span.end();
  }
}

async function handleAlone(options: BatchConsumeOptions, message: JsMsg): Promise<void> {
  const given = await untilSettled(options, [message], async ({ attempt }) => {
    const deliveryCount = attempt + 1;
    const lastAttempt = deliveryCount >= options.maxDeliver;
    try {
      await options.handler(message, { deliveryCount, lastAttempt });
      message.ack();
      return undefined;
    } catch (error) {
      // While the dependency is down the message is not at fault: it waits, past maxDeliver too.
      if (!lastAttempt || !(await options.healthy())) throw error;
      return { error, deliveryCount };
    }
  });
  if (!given) return;
  options.logger.error(
    { err: given.error, stream: options.consumer.stream, seq: message.seq, attempts: given.deliveryCount },
    'giving up: dead-lettering the message',
  );
  await options.deadLetter(message, given.error);
  message.term();
}

/**
 * Runs `work` again after the consumer's backoff for as long as it throws: it ends only by
 * returning, which is how it gives up. Each wait keeps the messages ours (AckWait) meanwhile.
 */
function untilSettled<T>(
  options: BatchConsumeOptions,
  messages: JsMsg[],
  work: (context: IRetryContext) => Promise<T>,
): Promise<T> {
  const policy = retry(handleAll, {
    maxAttempts: Number.POSITIVE_INFINITY,
    backoff: retryBackoff(options.backoff),
  });
  policy.onRetry((retrying) => {
    options.logger.warn(
      {
        err: 'error' in retrying ? retrying.error : undefined,
        stream: options.consumer.stream,
        attempt: retrying.attempt,
        retryInMs: retrying.delay,
      },
      'retrying',
    );
    for (const message of messages) message.working();
  });
  return policy.execute(work);
}
