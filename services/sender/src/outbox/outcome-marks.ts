import { coalesce, keyList } from '@reserveit/db';
import { type Kysely, sql } from 'kysely';
import type { OutboxRow } from './outbox-store.js';
import type { SenderDb } from './tables.js';

/**
 * Whether each final row's outcome event (whatsapp.send.succeeded|failed) went out: the flag that
 * lets the republisher find the events a crash or a NATS outage kept from going out.
 */
export class OutcomeMarks {
  constructor(
    private readonly db: Kysely<SenderDb>,
    private readonly onMarkError: (error: unknown) => void = () => {},
  ) {}

  /** Final rows whose event has not gone out (the process died in between). */
  async unpublished(limit: number): Promise<OutboxRow[]> {
    return (
      this.db
        .selectFrom('sender.outbox')
        .selectAll()
        // Literal conditions: a generic plan may use the partial index only when they imply its predicate.
        .where(sql<boolean>`not published and state in ('sent', 'failed')`)
        .limit(limit)
        .execute()
    );
  }

  /**
   * Flags rows whose outcome event went out, without making the sender wait; flags noted while
   * one UPDATE is in flight go together in the next (coalesce). A flag lost to a crash or a failed
   * update only means the republisher publishes the event again under the same Msg-Id.
   */
  notePublished(key: string): void {
    this.marks(key).catch(this.onMarkError);
  }

  /** Waits until every flag noted so far is written (or has failed). */
  flushPublished(): Promise<void> {
    return this.marks.idle();
  }

  private readonly marks = coalesce(async (keys: string[]) => {
    await this.db
      .updateTable('sender.outbox')
      .set({ published: true })
      .where('key', 'in', keyList(keys))
      .execute();
    return keys.map(() => undefined);
  });
}
