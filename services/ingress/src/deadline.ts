/**
 * Deadlines are `performance.now()` instants: monotonic, unlike Date.now(), which a clock
 * adjustment can move while a webhook waits.
 */
export type Deadline = number;

/**
 * The share of INGRESS_PUBLISH_TIMEOUT_MS that waiting for JetStream may use; the rest is for what
 * the server cannot see or schedule exactly: a request waits for the event loop before Fastify
 * starts its clock, the timer fires late while other webhooks' bodies are parsed, and the answer
 * must still be written. In outage.test.ts on two cores shared with a load average near 20, the
 * server ended every wait on time and its client saw the answer up to 560 ms later (under 50 ms
 * on an idle machine).
 */
const WAIT_SHARE = 0.75;

/**
 * However long the upload took, the publishes get this share of the timeout once the body is in:
 * a body that always arrives slowly (a slow link, a 3 MB body) would otherwise be answered 503
 * on every retry without being tried. JetStream acks in milliseconds when it is up.
 */
const MIN_WAIT_SHARE = 0.25;

/**
 * When the wait for JetStream must end for the answer to leave within `timeoutMs` of the
 * request's arrival, `elapsedMs` ago (Fastify's reply.elapsedTime): reading, verifying and
 * parsing the body count too, unless the upload alone used up the time.
 */
export function answerDeadline(timeoutMs: number, elapsedMs: number): Deadline {
  const now = performance.now();
  return now + Math.max(timeoutMs * WAIT_SHARE - elapsedMs, timeoutMs * MIN_WAIT_SHARE);
}

/** Milliseconds left before the deadline, rounded up; 0 once it has passed. */
// Whole milliseconds: Node keeps one timer list per distinct duration, so a fractional one would
// add a list (and a priority-queue insert) for every webhook's timers.
export const remainingMs = (deadline: Deadline): number =>
  Math.max(0, Math.ceil(deadline - performance.now()));

export class DeadlineExceeded extends Error {
  constructor() {
    super('JetStream did not acknowledge everything before the answer deadline');
    this.name = 'DeadlineExceeded';
  }
}
