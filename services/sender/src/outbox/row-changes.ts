import type { Transition } from '../domain/attempt.js';

/** How a claimed row ends this round; `wait` and `unconfirmed` keep it `sending` for reconciliation. */
export type RowUpdate = Transition | { type: 'wait'; until: Date } | { type: 'dry_run' };

/** The columns a round's end changes (besides the lease, released, and updated_at), as JSON. */
export function changesOf(update: RowUpdate, now: Date): Record<string, unknown> {
  const at = now.toISOString();
  switch (update.type) {
    case 'sent':
      return { state: 'sent', wamid: update.wamid ?? null, finished_at: at };
    case 'failed':
      return {
        state: 'failed',
        last_error_code: update.code,
        last_error: update.reason.slice(0, 1024),
        exhausted: update.exhausted,
        finished_at: at,
      };
    case 'retry':
      return {
        state: 'pending',
        next_attempt_at: update.at.toISOString(),
        last_error_code: update.code,
        last_error: update.reason.slice(0, 1024),
      };
    case 'unconfirmed':
      return { next_attempt_at: update.recheckAt.toISOString(), last_error: update.reason.slice(0, 1024) };
    case 'wait':
      return { next_attempt_at: update.until.toISOString() };
    case 'dry_run':
      // Nothing was sent, so there is no outcome event to publish.
      return { state: 'dry_run', finished_at: at, published: true };
    default: {
      const unknown: never = update;
      throw new Error(`unknown update ${JSON.stringify(unknown)}`);
    }
  }
}
