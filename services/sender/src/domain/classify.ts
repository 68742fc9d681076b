/**
 * What a Graph API call came back with, as the client adapter saw it. `reachedMeta` says whether
 * the request may have been processed although no answer was read (a reset or a timeout after the
 * request was written), as opposed to a connection that never opened.
 */
export type GraphOutcome =
  | { type: 'accepted'; wamid: string | undefined }
  | { type: 'graph_error'; httpStatus: number; code: number; message: string; transient?: boolean }
  | { type: 'http_error'; httpStatus: number }
  | { type: 'network_error'; reachedMeta: boolean; reason: string };

/** How a send should continue. */
export type Verdict =
  | { type: 'sent'; wamid: string | undefined }
  | { type: 'permanent'; code: number; reason: string }
  | { type: 'retryable'; code: number; reason: string; pacing: Pacing }
  /** The request may have been processed: reconcile with status webhooks before sending again. */
  | { type: 'unconfirmed'; reason: string };

/** `pair`: the guest's pair rate limit, where Meta asks for 4^n seconds between retries. */
export type Pacing = 'standard' | 'pair';

/** Meta's pair rate limit: too many messages to one guest (docs/whatsapp.md, Errors and Limits). */
export const PAIR_RATE_LIMIT = 131056;

/**
 * Codes worth another attempt (docs/whatsapp.md, Errors): throughput and app/WABA rate limits, temporary
 * downtime, unknown server errors and maintenance. Meta: "Build your app's error handling around
 * error codes instead of subcodes or HTTP response status codes".
 */
const RETRYABLE_CODES = new Set([
  1, // invalid request or possible server error
  2, // temporary downtime or overload
  4, // app API call rate limit
  80007, // WABA rate limit
  130429, // throughput reached
  131000, // unknown error: "try again"
  131016, // service temporarily unavailable
  131057, // account in maintenance mode (throughput upgrade, about a minute)
  133004, // service temporarily unavailable
  PAIR_RATE_LIMIT,
]);

/**
 * Everything else is permanent: 131047 (outside the 24-hour window, a template is needed), 131026
 * (undeliverable), 100/131008/131009 (a bad request stays bad), 190 and 0/10/200-299 (auth),
 * 132xxx (templates), 368/131031/130497 (policy), 131048 (spam limit: Meta says check quality, no
 * hot retry), 130403/131050 (the guest blocked or opted out).
 */
export function classify(outcome: GraphOutcome): Verdict {
  switch (outcome.type) {
    case 'accepted':
      return { type: 'sent', wamid: outcome.wamid };
    case 'graph_error': {
      const reason = `(#${outcome.code}) ${outcome.message}`;
      if (outcome.code === PAIR_RATE_LIMIT)
        return { type: 'retryable', code: outcome.code, reason, pacing: 'pair' };
      // An unknown code on a 5xx or flagged transient is Meta's trouble, not the request's.
      if (RETRYABLE_CODES.has(outcome.code) || outcome.transient === true || outcome.httpStatus >= 500) {
        return { type: 'retryable', code: outcome.code, reason, pacing: 'standard' };
      }
      return { type: 'permanent', code: outcome.code, reason };
    }
    case 'http_error': {
      const reason = `HTTP ${outcome.httpStatus} without a Graph error`;
      // A proxy's 429/5xx in front of Meta; other 4xx without a Graph error will not get better.
      if (outcome.httpStatus === 429 || outcome.httpStatus >= 500) {
        return { type: 'retryable', code: 0, reason, pacing: 'standard' };
      }
      return { type: 'permanent', code: 0, reason };
    }
    case 'network_error':
      return outcome.reachedMeta
        ? { type: 'unconfirmed', reason: outcome.reason }
        : { type: 'retryable', code: 0, reason: outcome.reason, pacing: 'standard' };
    default: {
      const unknown: never = outcome;
      throw new Error(`unknown outcome ${JSON.stringify(unknown)}`);
    }
  }
}
