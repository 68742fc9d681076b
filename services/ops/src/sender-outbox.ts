import { type Kysely, sql } from 'kysely';

/**
 * The sender's dead letters (consumer `sender`, services/sender/src/outcome-events.ts) are
 * exhausted sends whose outbox row is final (`failed`): republishing the command does nothing, the
 * intake finds the row (services/sender/README.md). Sending again means resetting the row, which
 * the dispatcher then picks up like a new one, in the guest's order.
 */
export const SENDER_CONSUMER = 'sender';

export type OutboxReset =
  | { kind: 'reset'; key: string }
  | { kind: 'no-row' }
  | { kind: 'not-failed'; key: string; state: string };

/** The dead letter's payload is the command as recorded; its `id` is the outbox key. */
export function outboxKeyOf(payload: Uint8Array): string | undefined {
  try {
    const parsed: unknown = JSON.parse(new TextDecoder().decode(payload));
    if (typeof parsed === 'object' && parsed !== null && 'id' in parsed && typeof parsed.id === 'string') {
      return parsed.id;
    }
  } catch {
    // Not JSON: an unreadable command the intake dead-lettered; it never had a row.
  }
  return undefined;
}

export async function outboxState(db: Kysely<unknown>, key: string): Promise<string | undefined> {
  const rows = await sql<{ state: string }>`select state from sender.outbox where key = ${key}`.execute(db);
  return rows.rows[0]?.state;
}

/** Makes a failed row due again, as if new: attempts 0, no lease, no error, outcome not yet published. */
export async function resetOutboxRow(db: Kysely<unknown>, key: string): Promise<OutboxReset> {
  const updated = await sql<{ key: string }>`
    update sender.outbox
       set state = 'pending', attempts = 0, exhausted = false, published = false,
           next_attempt_at = now(), last_attempt_at = null, lease_owner = null, lease_until = null,
           last_error_code = null, last_error = null, finished_at = null, updated_at = now()
     where key = ${key} and state = 'failed'
     returning key`.execute(db);
  if (updated.rows.length > 0) return { kind: 'reset', key };
  const state = await outboxState(db, key);
  return state === undefined ? { kind: 'no-row' } : { kind: 'not-failed', key, state };
}
