import type { OutboxReset } from '@reserveit/contracts';
import { keyList } from '@reserveit/db';
import { type Kysely, sql } from 'kysely';
import { planReset, type QueuedReply } from '../domain/outbox-reset.js';
import { SENDER_SCHEMA as S, type SenderDb } from './tables.js';

/**
 * What an operator does to the outbox (through reserveit-sender-outbox, src/outbox-admin.ts), apart
 * from the dispatcher's queue work in outbox-store.ts, whose queue-head rules it keeps.
 */
export class OutboxAdminStore {
  constructor(private readonly db: Kysely<SenderDb>) {}

  /**
   * Makes a failed row due again, as if new (attempts 0, no lease, no error, outcome not yet
   * published), for `reserveit-ops dlq redrive --reset-outbox`: it becomes its guest's head and
   * the guest's other unfinished replies queue behind it (planReset says why, and when it refuses).
   *
   * One transaction that first locks the outbox against every other writer (SHARE ROW EXCLUSIVE
   * conflicts with the ROW EXCLUSIVE lock of each INSERT and UPDATE): no claim, insert or finish can
   * see the guest's queue half changed or change it between the read and the writes, which row
   * locks alone would not ensure for a reply recorded meanwhile. A reset is a rare operator's act
   * and holds that lock for a few milliseconds; while it waits for statements in flight, later
   * writes queue behind it, so `lock_timeout` keeps that wait short (a timeout fails the run,
   * which ops reports; redriving again retries).
   */
  async resetFailed(key: string, now: Date): Promise<OutboxReset> {
    const outbox = sql.id(S, 'outbox');
    return this.db.transaction().execute(async (trx) => {
      await sql`set local lock_timeout = '500ms'`.execute(trx);
      await sql`lock table ${outbox} in share row exclusive mode`.execute(trx);
      const row = await trx
        .selectFrom('sender.outbox')
        .select(['key', 'state', 'kind', 'phone_number_id', 'recipient'])
        .where('key', '=', key)
        .executeTakeFirst();
      // Read receipts wait for nothing and hold nothing up: heads of their own.
      const queue =
        row && row.kind !== 'read'
          ? (
              await sql<QueuedReply>`
                select q.key,
                  q.state = 'sending' or coalesce(q.lease_until >= statement_timestamp(), false) as "inFlight"
                from ${outbox} q
                where q.phone_number_id = ${row.phone_number_id} and q.recipient = ${row.recipient}
                  and q.key <> ${key} and q.state in ('pending', 'sending') and q.kind <> 'read'
                order by q.stream_seq`.execute(trx)
            ).rows
          : [];
      const status = row
        ? await trx
            .selectFrom('sender.statuses')
            .select('status')
            .where('callback_key', '=', key)
            .orderBy('rank', 'desc')
            .executeTakeFirst()
        : undefined;
      const plan = planReset(key, row && { ...row, metaStatus: status?.status }, queue);
      if (plan.type === 'refuse') return plan.outcome;
      await trx
        .updateTable('sender.outbox')
        .set({
          state: 'pending',
          attempts: 0,
          exhausted: false,
          published: false,
          next_attempt_at: now,
          last_attempt_at: null,
          lease_owner: null,
          lease_until: null,
          last_error_code: null,
          last_error: null,
          finished_at: null,
          head: true,
          followed: plan.followed,
          updated_at: now,
        })
        .where('key', '=', key)
        .execute();
      if (plan.demote.length > 0) {
        await trx
          .updateTable('sender.outbox')
          .set({ head: false, updated_at: now })
          .where('key', 'in', keyList(plan.demote))
          .execute();
      }
      return { key, result: 'reset' };
    });
  }

  /** The state of each key's row; a key without a row is left out. */
  async states(keys: readonly string[]): Promise<Map<string, string>> {
    const rows = await this.db
      .selectFrom('sender.outbox')
      .select(['key', 'state'])
      .where('key', 'in', keyList(keys))
      .execute();
    return new Map(rows.map((row) => [row.key, row.state]));
  }
}
