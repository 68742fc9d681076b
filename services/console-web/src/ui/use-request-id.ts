import { useRef } from 'react';
import { ApiFailure } from '../api/errors.js';
import { type Attempt, requestIdFor } from '../domain/request-ids.js';

/**
 * Request ids for one button: the same id again when the last try of the same thing failed on the
 * network (it may have arrived), a fresh one once the server has answered.
 */
export function useRequestId() {
  const last = useRef<Attempt | null>(null);
  return {
    next(fingerprint: string): string {
      const requestId = requestIdFor(last.current, fingerprint, () => crypto.randomUUID());
      last.current = { requestId, fingerprint, settled: false };
      return requestId;
    },
    settle(error: unknown): void {
      const answered = error === null || error instanceof ApiFailure;
      // A 5xx may have been applied before it failed: keep the id for the retry.
      if (last.current && answered && !(error instanceof ApiFailure && error.status >= 500)) {
        last.current = { ...last.current, settled: true };
      }
    },
  };
}
