import { backoffDelay } from '@reserveit/messaging';
import type { Pacing, Verdict } from './classify.js';

/** Outbox row states. `sending` is written before the Graph API call, so a crash leaves it behind. */
export type OutboxState = 'pending' | 'sending' | 'sent' | 'failed' | 'dry_run';

export interface RetryPolicy {
  maxAttempts: number;
  baseMs: number;
  maxMs: number;
  pairBaseMs: number;
  reconcileWindowMs: number;
}

/** What the dispatcher knows about a row it has just claimed. */
export interface ClaimedRow {
  state: 'pending' | 'sending';
  /** Graph API calls made so far. */
  attempts: number;
  lastAttemptAt: Date | null;
  /** Mark-as-read gets no status webhook and is harmless to repeat. */
  isReadReceipt: boolean;
  /** A status webhook carrying this row's key: proof that Meta took an earlier attempt. */
  confirmedWamid: string | undefined;
}

export type Plan =
  | { type: 'send'; attempt: number }
  | { type: 'confirm'; wamid: string }
  | { type: 'wait'; until: Date }
  | { type: 'give_up'; code: number; reason: string };

/**
 * Decides what to do with a claimed row. A `sending` row is one whose last attempt has no recorded
 * answer (the process died, or the call timed out after the request went out): it is sent again
 * only once the reconciliation window since that attempt has passed without a status webhook
 * naming its key. Mark-as-read is simply repeated.
 */
export function planAttempt(row: ClaimedRow, now: Date, policy: RetryPolicy): Plan {
  if (row.state === 'sending') {
    if (row.confirmedWamid) return { type: 'confirm', wamid: row.confirmedWamid };
    if (!row.isReadReceipt && row.lastAttemptAt) {
      const until = new Date(row.lastAttemptAt.getTime() + policy.reconcileWindowMs);
      if (now < until) return { type: 'wait', until };
    }
  }
  if (row.attempts >= policy.maxAttempts) {
    return {
      type: 'give_up',
      code: 0,
      reason:
        row.state === 'sending'
          ? `no answer to attempt ${row.attempts} and no status webhook within the reconciliation window`
          : `${row.attempts} attempts made`,
    };
  }
  return { type: 'send', attempt: row.attempts + 1 };
}

export type Transition =
  | { type: 'sent'; wamid: string | undefined }
  | { type: 'failed'; code: number; reason: string; exhausted: boolean }
  | { type: 'retry'; at: Date; code: number; reason: string }
  /** Stays `sending`; planAttempt looks again at `recheckAt`. */
  | { type: 'unconfirmed'; recheckAt: Date; reason: string };

/** What an attempt's verdict does to the row. */
export function afterAttempt(
  verdict: Verdict,
  attempt: number,
  isReadReceipt: boolean,
  now: Date,
  policy: RetryPolicy,
): Transition {
  switch (verdict.type) {
    case 'sent':
      return { type: 'sent', wamid: verdict.wamid };
    case 'permanent':
      return { type: 'failed', code: verdict.code, reason: verdict.reason, exhausted: false };
    case 'retryable': {
      if (attempt >= policy.maxAttempts) {
        return { type: 'failed', code: verdict.code, reason: verdict.reason, exhausted: true };
      }
      const delay = retryDelay(attempt, verdict.pacing, policy);
      return {
        type: 'retry',
        at: new Date(now.getTime() + delay),
        code: verdict.code,
        reason: verdict.reason,
      };
    }
    case 'unconfirmed': {
      const wait = isReadReceipt ? retryDelay(attempt, 'standard', policy) : policy.reconcileWindowMs;
      return { type: 'unconfirmed', recheckAt: new Date(now.getTime() + wait), reason: verdict.reason };
    }
    default: {
      const unknown: never = verdict;
      throw new Error(`unknown verdict ${JSON.stringify(unknown)}`);
    }
  }
}

/**
 * The wait before the next try: libs/messaging's backoff (cockatiel, equal jitter) from the
 * policy's base. The pair rate limit quadruples instead of doubling, as Meta asks to retry 131056
 * after 4^n seconds (docs/whatsapp.md, Errors): 4^n = 2^(2n), two of the backoff's doubling steps
 * per attempt.
 */
export function retryDelay(attempt: number, pacing: Pacing, policy: RetryPolicy): number {
  const { maxMs } = policy;
  return pacing === 'pair'
    ? backoffDelay(2 * attempt - 1, { baseMs: policy.pairBaseMs, maxMs })
    : backoffDelay(attempt, { baseMs: policy.baseMs, maxMs });
}
