/**
 * The request id of a send. The server drops a second request with the same id, so a click retried
 * after the network failed (the first may have arrived) must reuse it; anything the server answered
 * settles it, and the next click is a new request.
 */
export interface Attempt {
  requestId: string;
  /** What was sent, so that editing the message makes a new request. */
  fingerprint: string;
  settled: boolean;
}

export function requestIdFor(last: Attempt | null, fingerprint: string, fresh: () => string): string {
  if (last && !last.settled && last.fingerprint === fingerprint) return last.requestId;
  return fresh();
}
