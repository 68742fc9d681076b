import { type Kysely, type Selectable, sql } from 'kysely';
import type { Transition } from '../domain/attempt.js';
import { foldStatuses, type StatusUpdate } from '../domain/status-fold.js';
import { type OutboxTable, SENDER_SCHEMA as S, type SenderDb } from './tables.js';

export type OutboxRow = Selectable<OutboxTable>;

export interface NewCommand {
  key: string;
  streamSeq: number;
  subject: string;
  msgId: string;
  phoneNumberId: string;
  recipient: string;
  kind: string;
  command: unknown;
  traceparent: string | undefined;
  tracestate: string | undefined;
}

export type { StatusUpdate };

/** How a claimed row ends this round; `wait` and `unconfirmed` keep it `sending` for reconciliation. */
export type RowUpdate = Transition | { type: 'wait'; until: Date } | { type: 'dry_run' };

const ACTIVE = ['pending', 'sending'] as const;

/** The outbox and the status projection in Postgres; every method is one statement. */
export class OutboxStore {
  private readonly toMark: string[] = [];
  private marking: Promise<void> = Promise.resolve();
  private markQueued = false;

  constructor(
    private readonly db: Kysely<SenderDb>,
    private readonly onMarkError: (error: unknown) => void = () => {},
  ) {}

  /**
   * Records a command; undefined when the key is known already (a redelivered or republished
   * command sends nothing). With a lease, the row is leased at once when nothing of its guest's
   * goes before it (a read receipt never waits), so the dispatcher sends it without a claim round
   * trip; the check runs in the insert, so it sees the same rows a claim would. With `sending`
   * as well, such a row is recorded as `sending` its first attempt (as markSending would), which
   * the caller may then make without another statement.
   */
  async insert(
    command: NewCommand,
    now: Date,
    lease?: { owner: string; until: Date; sending?: { recheckAt: Date } },
  ): Promise<OutboxRow | undefined> {
    const outbox = sql.id(S, 'outbox');
    const free = lease
      ? sql`(${command.kind} = 'read' or not exists (
          select 1 from ${outbox} older
          where older.phone_number_id = ${command.phoneNumberId} and older.recipient = ${command.recipient}
            and older.state in ('pending', 'sending') and older.kind <> 'read'))`
      : sql`false`;
    const sending = lease?.sending ? free : sql`false`;
    const recheckAt = lease?.sending?.recheckAt ?? now;
    const result = await sql<OutboxRow>`
      insert into ${outbox} (key, stream_seq, subject, msg_id, phone_number_id, recipient, kind, command,
        traceparent, tracestate, state, attempts, next_attempt_at, exhausted, published, created_at, updated_at,
        lease_owner, lease_until, last_attempt_at)
      select ${command.key}, ${command.streamSeq}::bigint, ${command.subject}, ${command.msgId},
        ${command.phoneNumberId}, ${command.recipient}, ${command.kind}, ${JSON.stringify(command.command)}::jsonb,
        ${command.traceparent ?? null}, ${command.tracestate ?? null},
        case when ${sending} then 'sending' else 'pending' end,
        case when ${sending} then 1 else 0 end,
        case when ${sending} then ${recheckAt}::timestamptz else ${now}::timestamptz end,
        false, false, ${now}::timestamptz, ${now}::timestamptz,
        case when ${free} then ${lease?.owner ?? null} end,
        case when ${free} then ${lease?.until ?? null}::timestamptz end,
        case when ${sending} then ${now}::timestamptz end
      on conflict (key) do nothing
      returning *`.execute(this.db);
    return result.rows[0];
  }

  /**
   * Leases up to `limit` rows that are due, at most one per guest and only a guest's oldest
   * unfinished row, so one guest's messages go out one after the other in stream order while other
   * guests are not held up. Read receipts (blue ticks) are no message in the chat: they neither wait
   * for nor hold up the guest's replies, which saves every reply a round behind its read receipt. The lease check is repeated in the UPDATE, so two replicas racing for a
   * row cannot both win (READ COMMITTED re-evaluates it on the locked row).
   *
   * Due rows are read in `next_attempt_at` order from `outbox_due` and each is kept only if no older
   * unfinished row of its guest exists (one probe of `outbox_queue`), so a claim reads about the rows
   * it leases rather than the whole backlog: the former `distinct on` over every unfinished row
   * sorted the backlog on every claim, and claims come once per finished send.
   */
  async claimDue(owner: string, now: Date, leaseUntil: Date, limit: number): Promise<OutboxRow[]> {
    const result = await sql<OutboxRow>`
      update ${sql.id(S, 'outbox')} o
      set lease_owner = ${owner}, lease_until = ${leaseUntil}, updated_at = ${now}
      from (
        select h.key from ${sql.id(S, 'outbox')} h
        where h.state in ('pending', 'sending')
          and h.next_attempt_at <= ${now} and (h.lease_until is null or h.lease_until < ${now})
          and (h.kind = 'read' or not exists (
            select 1 from ${sql.id(S, 'outbox')} older
            where older.phone_number_id = h.phone_number_id and older.recipient = h.recipient
              and older.stream_seq < h.stream_seq and older.state in ('pending', 'sending')
              and older.kind <> 'read'
          ))
        order by h.next_attempt_at
        limit ${limit}
      ) due
      where o.key = due.key and o.state in ('pending', 'sending')
        and (o.lease_until is null or o.lease_until < ${now})
      returning o.*`.execute(this.db);
    return result.rows;
  }

  /** Meta's id from a status webhook that named this key: proof an earlier attempt got through. */
  async confirmedWamid(key: string): Promise<string | undefined> {
    const row = await this.db
      .selectFrom('sender.statuses')
      .select('wamid')
      .where('callback_key', '=', key)
      .orderBy('rank', 'desc')
      .executeTakeFirst();
    return row?.wamid;
  }

  /**
   * Written and committed before the Graph API call: a crash after the call leaves the row in
   * `sending`, and `recheckAt` is when reconciliation looks at it again.
   */
  async markSending(
    key: string,
    owner: string,
    attempt: number,
    now: Date,
    leaseUntil: Date,
    recheckAt: Date,
  ): Promise<boolean> {
    const result = await this.db
      .updateTable('sender.outbox')
      .set({
        state: 'sending',
        attempts: attempt,
        last_attempt_at: now,
        next_attempt_at: recheckAt,
        lease_until: leaseUntil,
        updated_at: now,
      })
      .where('key', '=', key)
      .where('lease_owner', '=', owner)
      .where('state', 'in', ACTIVE)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  /**
   * Ends this round for a row we lease. `final` is the row when it became final (sent or failed),
   * so the caller publishes its event; undefined when it did not or nothing changed (a status
   * webhook confirmed it meanwhile, or the lease was lost). `guestWaiting`: another unfinished
   * message of the same guest exists, which this one may have been holding back.
   */
  async finish(
    key: string,
    owner: string,
    update: RowUpdate,
    now: Date,
  ): Promise<{ final: OutboxRow | undefined; guestWaiting: boolean }> {
    const released = { lease_owner: null, lease_until: null, updated_at: now };
    const values = (() => {
      switch (update.type) {
        case 'sent':
          return { ...released, state: 'sent', wamid: update.wamid ?? null, finished_at: now };
        case 'failed':
          return {
            ...released,
            state: 'failed',
            last_error_code: update.code,
            last_error: update.reason.slice(0, 1024),
            exhausted: update.exhausted,
            finished_at: now,
          };
        case 'retry':
          return {
            ...released,
            state: 'pending',
            next_attempt_at: update.at,
            last_error_code: update.code,
            last_error: update.reason.slice(0, 1024),
          };
        case 'unconfirmed':
          return { ...released, next_attempt_at: update.recheckAt, last_error: update.reason.slice(0, 1024) };
        case 'wait':
          return { ...released, next_attempt_at: update.until };
        case 'dry_run':
          // Nothing was sent, so there is no outcome event to publish.
          return { ...released, state: 'dry_run', finished_at: now, published: true };
        default: {
          const unknown: never = update;
          throw new Error(`unknown update ${JSON.stringify(unknown)}`);
        }
      }
    })();
    const updated = await this.db
      .updateTable('sender.outbox as o')
      .set(values)
      .where('o.key', '=', key)
      .where('o.lease_owner', '=', owner)
      .where('o.state', 'in', ACTIVE)
      .returningAll()
      .returning(
        sql<boolean>`exists (
          select 1 from ${sql.id(S, 'outbox')} w
          where w.phone_number_id = o.phone_number_id and w.recipient = o.recipient and w.key <> o.key
            and w.state in ('pending', 'sending') and w.kind <> 'read')`.as('guest_waiting'),
      )
      .executeTakeFirst();
    if (!updated) return { final: undefined, guestWaiting: false };
    const { guest_waiting: guestWaiting, ...row } = updated;
    return { final: row.state === 'sent' || row.state === 'failed' ? row : undefined, guestWaiting };
  }

  /**
   * A status webhook named this key: Meta took one of its attempts. Marks it sent unless it is
   * final already; returns the row when it changed so the caller publishes the event.
   */
  async confirmByStatus(key: string, wamid: string, now: Date): Promise<OutboxRow | undefined> {
    return this.db
      .updateTable('sender.outbox')
      .set({ state: 'sent', wamid, finished_at: now, lease_owner: null, lease_until: null, updated_at: now })
      .where('key', '=', key)
      .where('state', 'in', ACTIVE)
      .where('attempts', '>', 0)
      .returningAll()
      .executeTakeFirst();
  }

  /** Monotonic upsert: a status only replaces one of lower rank (out-of-order and repeats are no-ops). */
  async recordStatus(update: StatusUpdate, now: Date): Promise<void> {
    await upsertStatuses(this.db, [update], now);
  }

  async get(key: string): Promise<OutboxRow | undefined> {
    return this.db.selectFrom('sender.outbox').selectAll().where('key', '=', key).executeTakeFirst();
  }

  /** The furthest delivery status of a key's message, by its wamid or by the echoed key. */
  async deliveryStatus(key: string): Promise<string | undefined> {
    const result = await sql<{ status: string }>`
      select s.status from ${sql.id(S, 'statuses')} s
      where s.callback_key = ${key}
         or s.wamid = (select wamid from ${sql.id(S, 'outbox')} where key = ${key})
      order by s.rank desc limit 1`.execute(this.db);
    return result.rows[0]?.status;
  }

  /** The furthest delivery status recorded for a Meta message id. */
  async statusOf(wamid: string): Promise<string | undefined> {
    const row = await this.db
      .selectFrom('sender.statuses')
      .select('status')
      .where('wamid', '=', wamid)
      .executeTakeFirst();
    return row?.status;
  }

  /** Final rows whose event has not gone out (the process died in between). */
  async unpublished(limit: number): Promise<OutboxRow[]> {
    return this.db
      .selectFrom('sender.outbox')
      .selectAll()
      .where('published', '=', false)
      .where('state', 'in', ['sent', 'failed'])
      .limit(limit)
      .execute();
  }

  /**
   * Flags rows whose outcome event went out, without making the sender wait: keys noted while one
   * UPDATE is in flight go together in the next. A flag lost to a crash or a failed update only
   * means the republisher publishes the event again under the same Msg-Id.
   */
  notePublished(key: string): void {
    this.toMark.push(key);
    if (this.markQueued) return;
    this.markQueued = true;
    this.marking = this.marking.then(async () => {
      this.markQueued = false;
      const keys = this.toMark.splice(0);
      await this.db
        .updateTable('sender.outbox')
        .set({ published: true })
        .where('key', 'in', keys)
        .execute()
        .catch(this.onMarkError);
    });
  }

  /** Waits until every flag noted so far is written (or has failed). */
  async flushPublished(): Promise<void> {
    await this.marking;
  }

  /** Rows not final yet: the backlog. */
  async countActive(): Promise<number> {
    const row = await this.db
      .selectFrom('sender.outbox')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('state', 'in', ACTIVE)
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  }
}

/**
 * The status projection's write, for any number of updates in one statement (a replay's batch):
 * folded first, as one statement may not change a row twice, then upserted so a status only
 * replaces one of lower rank and the first callback key stays. `schema` is another one only for
 * `reserveit-ops replay`.
 */
export async function upsertStatuses(
  db: Kysely<SenderDb>,
  updates: readonly StatusUpdate[],
  now: Date,
  schema: string = S,
): Promise<void> {
  const folded = foldStatuses(updates);
  if (folded.length === 0) return;
  await sql`
    insert into ${sql.id(schema, 'statuses')} as s (wamid, callback_key, status, rank, status_at, error_code, updated_at)
    select u.wamid, u.callback_key, u.status, u.rank, u.status_at, u.error_code, ${now}::timestamptz
    from unnest(${folded.map((u) => u.wamid)}::text[], ${folded.map((u) => u.callbackKey ?? null)}::text[],
                ${folded.map((u) => u.status)}::text[], ${folded.map((u) => u.rank)}::int[],
                ${folded.map((u) => u.statusAt.toISOString())}::timestamptz[],
                ${folded.map((u) => u.errorCode ?? null)}::int[])
      as u(wamid, callback_key, status, rank, status_at, error_code)
    on conflict (wamid) do update set
      callback_key = coalesce(s.callback_key, excluded.callback_key),
      status = case when excluded.rank > s.rank then excluded.status else s.status end,
      status_at = case when excluded.rank > s.rank then excluded.status_at else s.status_at end,
      error_code = case when excluded.rank > s.rank then excluded.error_code else s.error_code end,
      rank = greatest(s.rank, excluded.rank),
      updated_at = excluded.updated_at`.execute(db);
}
