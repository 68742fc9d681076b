import {
  AckPolicy,
  type ConsumerConfig,
  DeliverPolicy,
  JetStreamApiCodes,
  JetStreamApiError,
  type JetStreamClient,
  type JetStreamManager,
  type JsMsg,
} from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';
import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { type BackoffPolicy, subjectTemplate } from '@reserveit/contracts';
import type { Logger } from 'pino';
import { backoffDelay } from './backoff.js';
import { extractTraceContext } from './trace-context.js';

const tracer = trace.getTracer('@reserveit/messaging');

/** Messages one pull request asks for at least. */
const PULL_AHEAD = 16;
/**
 * How long one pull request lives (its idle heartbeat is half of it). After a reconnect the client
 * checks the consumer and, while JetStream is still starting, tries again after this long
 * (@nats-io/jetstream's resetPending backs off by `expires`): with the 30 s default a consumer
 * sat idle for up to 30 s after a nats-server restart, holding every message behind it.
 */
export const PULL_EXPIRES_MS = 5_000;

/**
 * One durable as the server sees it, made from a row of the wiring table (libs/contracts/src/consumers.ts)
 * by the helper of its ordering class.
 */
export interface ConsumerSpec {
  stream: string;
  durable: string;
  /** One subject (nats-server 2.9 has no multiple filter subjects); none for the whole stream. */
  filterSubject?: string | null;
  ackWaitMs: number;
  /** 1 keeps strict order on the filter (one conversation partition); more for order-free work. */
  maxAckPending: number;
  /**
   * A new consumer starts at this stream sequence (deliver_policy by_start_sequence); at the
   * stream's first message without it or startTime. An existing consumer keeps its own place.
   */
  startSequence?: number;
  /** A new consumer starts at the first message stored at or after this time (by_start_time). */
  startTime?: Date;
}

export interface HandlerContext {
  deliveryCount: number;
  /** True on the attempt after which the message is dead-lettered if the handler throws. */
  lastAttempt: boolean;
}

export interface ConsumeOptions {
  js: JetStreamClient;
  jsm: JetStreamManager;
  consumer: ConsumerSpec;
  /** Attempts before the message is dead-lettered. */
  maxDeliver: number;
  backoff: BackoffPolicy;
  /**
   * Messages handled at once, up to maxAckPending; 1 (the default) keeps stream order. More only
   * for work whose order does not matter.
   */
  concurrency?: number;
  logger: Logger;
  handler(message: JsMsg, ctx: HandlerContext): Promise<void>;
  /** Called once the last attempt failed; the message is acked after it resolves. */
  deadLetter(message: JsMsg, error: unknown): Promise<void>;
}

export interface RunningConsumer {
  /** Stops pulling, lets the message in hand finish, then resolves. */
  stop(): Promise<void>;
  done: Promise<void>;
}

/** Creates the durable pull consumer or updates it; explicit acks, redelivery counted by us. */
export async function ensureConsumer(jsm: JetStreamManager, spec: ConsumerSpec): Promise<void> {
  const config: Partial<ConsumerConfig> = {
    durable_name: spec.durable,
    ack_policy: AckPolicy.Explicit,
    ack_wait: nanos(spec.ackWaitMs),
    max_ack_pending: spec.maxAckPending,
    // Unlimited on the server: when the server's max_deliver is reached it silently moves on
    // (the message stays unacknowledged, only an advisory tells: https://docs.nats.io/nats-concepts/jetstream/consumers#maxdeliver),
    // so the handler counts deliveries itself and dead-letters on the last one.
    max_deliver: -1,
    ...(spec.filterSubject ? { filter_subject: spec.filterSubject } : {}),
  };
  // The server refuses to change where a consumer starts, so only a new one is told; the update
  // merges into the existing config and keeps its own.
  const start: Partial<ConsumerConfig> =
    spec.startSequence !== undefined
      ? { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: spec.startSequence }
      : spec.startTime !== undefined
        ? { deliver_policy: DeliverPolicy.StartTime, opt_start_time: spec.startTime.toISOString() }
        : { deliver_policy: DeliverPolicy.All };
  try {
    await jsm.consumers.info(spec.stream, spec.durable);
    await jsm.consumers.update(spec.stream, spec.durable, config);
  } catch (error) {
    if (!(error instanceof JetStreamApiError) || error.code !== JetStreamApiCodes.ConsumerNotFound)
      throw error;
    await jsm.consumers.add(spec.stream, { ...config, ...start });
  }
}

/**
 * Runs the handler over a durable pull consumer, one message at a time unless `concurrency` says
 * otherwise. A handler that throws is retried with exponential backoff (nak with delay); after
 * maxDeliver attempts the message is dead-lettered and acked so the next one (of the same
 * conversation too) can go. While a handler runs, the message
 * is marked in progress so AckWait does not hand it to another replica.
 */
export async function consume(options: ConsumeOptions): Promise<RunningConsumer> {
  const { js, jsm, consumer: spec, logger } = options;
  await ensureConsumer(jsm, spec);
  const consumer = await js.consumers.get(spec.stream, spec.durable);
  // The server hands out no more than maxAckPending at a time whatever a pull asks for, so asking
  // for more keeps one pull request open across several messages: a one-at-a-time consumer sent
  // the server a new pull after every message it received.
  const messages = await consumer.consume({
    max_messages: Math.max(PULL_AHEAD, spec.maxAckPending),
    expires: PULL_EXPIRES_MS,
  });
  const concurrency = Math.max(1, Math.min(options.concurrency ?? 1, spec.maxAckPending));
  const done = (async () => {
    const running = new Set<Promise<void>>();
    for await (const message of messages) {
      const work: Promise<void> = handleOne(options, message)
        .catch((error: unknown) => {
          logger.error(
            { err: error, stream: spec.stream, seq: message.seq },
            'message handling failed outside the handler',
          );
        })
        .finally(() => running.delete(work));
      running.add(work);
      if (running.size >= concurrency) await Promise.race(running);
    }
    await Promise.all(running);
  })();
  return {
    done,
    async stop() {
      await messages.close();
      await done;
    },
  };
}

async function handleOne(options: ConsumeOptions, message: JsMsg): Promise<void> {
  const { consumer: spec, maxDeliver, logger } = options;
  const deliveryCount = message.info.deliveryCount;
  const parent = extractTraceContext(message.headers);
  const destination = subjectTemplate(message.subject);
  const span = tracer.startSpan(
    `process ${destination}`,
    {
      kind: SpanKind.CONSUMER,
      attributes: {
        'messaging.system': 'nats',
        'messaging.operation.type': 'process',
        'messaging.destination.name': destination,
        'messaging.consumer.group.name': spec.durable,
        'messaging.message.id': message.headers?.get('Nats-Msg-Id') ?? '',
        'messaging.nats.sequence': message.seq,
        'messaging.nats.delivery_count': deliveryCount,
      },
    },
    parent,
  );
  const heartbeat = setInterval(() => message.working(), Math.max(100, Math.floor(spec.ackWaitMs / 3)));
  try {
    await context.with(trace.setSpan(parent, span), () =>
      options.handler(message, { deliveryCount, lastAttempt: deliveryCount >= maxDeliver }),
    );
    message.ack();
  } catch (error) {
    span.recordException(error as Error);
    span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
    if (deliveryCount >= maxDeliver) {
      logger.error(
        { err: error, stream: spec.stream, seq: message.seq, deliveryCount },
        'giving up: dead-lettering the message',
      );
      await options.deadLetter(message, error);
      message.term();
    } else {
      const delay = backoffDelay(deliveryCount, options.backoff);
      logger.warn(
        { err: error, stream: spec.stream, seq: message.seq, deliveryCount, retryInMs: delay },
        'handler failed; will retry',
      );
      message.nak(delay);
    }
  } finally {
    clearInterval(heartbeat);
    span.end();
  }
}
