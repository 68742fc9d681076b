import type { BackoffPolicy } from '@reserveit/contracts';
import { ExponentialBackoff, halfJitterGenerator, type IBackoffFactory } from 'cockatiel';

/*
 * Exponential from `baseMs`, capped at `maxMs`, with "equal jitter" (half of each step kept, half
 * random): retries of many failing messages do not line up, and a retry never comes too soon.
 * https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/
 */
const exponentialOptions = ({ baseMs, maxMs }: BackoffPolicy) => ({
  generator: halfJitterGenerator,
  initialDelay: baseMs,
  maxDelay: maxMs,
  exponent: 2,
});

/** The backoff for retries one process makes in a row (cockatiel's retry policy walks it). */
export const retryBackoff = (policy: BackoffPolicy): IBackoffFactory<unknown> =>
  new ExponentialBackoff(exponentialOptions(policy));

/**
 * The delay before try `attempt` + 1, from the attempt alone. A JetStream redelivery may land on
 * another replica or a restarted process, so a nak delay cannot come from a backoff walked in
 * memory: cockatiel's generator is asked for the step directly.
 */
export function backoffDelay(attempt: number, policy: BackoffPolicy): number {
  const [delay] = halfJitterGenerator(Math.max(0, attempt - 1), exponentialOptions(policy));
  return delay;
}
