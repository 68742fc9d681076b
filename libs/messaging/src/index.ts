export { type BackoffPolicy, backoffDelay } from './backoff.js';
export { connectNats, type ConnectOptions, type NatsConnection } from './connection.js';
export { consume, type ConsumeOptions, type ConsumerSpec, ensureConsumer, type HandlerContext, type RunningConsumer } from './consume.js';
export { DEAD_LETTER_HEADERS, publishDeadLetter } from './dead-letters.js';
export { publish, type PublishRequest } from './publish.js';
export { RawBodies } from './raw-bodies.js';
export { type EnsureOptions, ensureStream, streamConfig } from './streams.js';
export { extractTraceContext, injectTraceContext } from './trace-context.js';
