export { type BackoffPolicy, backoffDelay, retryBackoff } from './backoff.js';
export { type ConnectOptions, connectNats, type NatsConnection } from './connection.js';
export {
  type ConsumeOptions,
  type ConsumerSpec,
  consume,
  ensureConsumer,
  type HandlerContext,
  type RunningConsumer,
} from './consume.js';
export { type BatchConsumeOptions, consumeBatches } from './consume-batches.js';
export { DEAD_LETTER_HEADERS, publishDeadLetter } from './dead-letters.js';
export { isWrongLastSequence, type PublishRequest, publish } from './publish.js';
export { RawBodies } from './raw-bodies.js';
export { type EnsureOptions, ensureStream, streamConfig } from './streams.js';
export { extractTraceContext, injectTraceContext } from './trace-context.js';
