import type { JetStreamClient, JetStreamManager, JsMsg } from '@nats-io/jetstream';
import type { ConsumerEntry, FreeConsumer, ProjectionConsumer } from '@reserveit/contracts';
import type { Logger } from 'pino';
import type { ConsumeOptions, HandlerContext, RunningConsumer } from './consume.js';
import { publishDeadLetter } from './dead-letters.js';

/** What a service gives the helper of a row's ordering class besides the row itself. */
export interface WiredOptions {
  js: JetStreamClient;
  jsm: JetStreamManager;
  logger: Logger;
  /**
   * Handles one message. Throwing retries it after the row's backoff; after the row's maxDeliver
   * attempts it goes to the row's dead-letter subject and the consumer moves on.
   */
  handler(message: JsMsg, context: HandlerContext): Promise<void>;
  /** Told once a message was dead-lettered (to count it). */
  onDeadLetter?(message: JsMsg, error: unknown): void;
}

/** The settings every ordering class takes from its row, and dead letters to the row's subject. */
export function fromEntry(
  entry: ConsumerEntry,
  options: WiredOptions,
): Omit<ConsumeOptions, 'consumer' | 'concurrency'> {
  const { js, jsm, logger, handler, onDeadLetter } = options;
  return {
    js,
    jsm,
    logger: logger.child({ consumer: entry.id }),
    maxDeliver: entry.maxDeliver,
    backoff: entry.backoff,
    handler,
    async deadLetter(message, error) {
      await publishDeadLetter(js, entry.deadLetter, message, error);
      onDeadLetter?.(message, error);
    },
  };
}

/** The server-side consumer of a row with one durable: its stream, name, filter and AckWait. */
export const durableOf = (entry: FreeConsumer | ProjectionConsumer) => ({
  stream: entry.stream,
  durable: entry.durable,
  filterSubject: entry.filterSubject,
  ackWaitMs: entry.ackWaitMs,
});

/** One RunningConsumer for several: stops them all, done when all are. */
export function together(consumers: readonly RunningConsumer[]): RunningConsumer {
  return {
    done: Promise.all(consumers.map((c) => c.done)).then(() => undefined),
    stop: () => Promise.all(consumers.map((c) => c.stop())).then(() => undefined),
  };
}
