import { ExponentialBackoff, handleAll, retry } from 'cockatiel';

/** HTTP status of one webhook POST; 0 when no answer came (connection refused or reset, timeout). */
export type PostOutcome = number;

export interface MetaDeliveryOptions {
  /** Stop resending once this signal aborts (the run's deadline); the last outcome is returned. */
  signal: AbortSignal;
  /** Every attempt's outcome, as it comes. */
  onAttempt?: (outcome: PostOutcome) => void;
  /** First delay between attempts; doubles up to `maxDelayMs`. */
  initialDelayMs?: number;
  maxDelayMs?: number;
}

/**
 * Delivers one webhook the way Meta does: a POST that is not answered 200 (another status, a
 * connection error, no answer in time) is sent again with growing delays until ingress takes it
 * (https://developers.facebook.com/docs/graph-api/webhooks/getting-started#event-notifications:
 * failed deliveries are retried with decreasing frequency). Meta keeps trying for up to 7 days;
 * a fault run gives up at its deadline. Resolves with the last outcome (200 once accepted).
 */
export async function deliverLikeMeta(
  post: (signal: AbortSignal) => Promise<PostOutcome>,
  { signal, onAttempt, initialDelayMs = 200, maxDelayMs = 5_000 }: MetaDeliveryOptions,
): Promise<PostOutcome> {
  let last: PostOutcome = 0;
  const policy = retry(
    handleAll.orWhenResult((outcome) => outcome !== 200),
    {
      maxAttempts: Number.POSITIVE_INFINITY,
      backoff: new ExponentialBackoff({ initialDelay: initialDelayMs, maxDelay: maxDelayMs }),
    },
  );
  try {
    await policy.execute(async ({ signal: attemptSignal }) => {
      last = await post(attemptSignal).catch(() => 0);
      onAttempt?.(last);
      return last;
    }, signal);
  } catch {
    // Aborted at the deadline: `last` says how the final attempt went.
  }
  return last;
}
