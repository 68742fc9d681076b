import { coalesce, jsonRecords, keyList } from '@reserveit/db';
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

export interface NewLease {
  owner: string;
  until: Date;
  sending?: { recheckAt: Date };
}

export interface FinishOutcome {
  final: OutboxRow | undefined;
  guestWaiting: boolean;
}

/** The columns a round's end changes (besides the lease, released, and updated_at), as JSON. */
function changesOf(update: RowUpdate, now: Date): Record<string, unknown> {
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

const ACTIVE = ['pending', 'sending'] as const;

/** The outbox and the status projection in Postgres; every method is one statement. */
export class OutboxStore {
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
   * the caller may then make without another statement. Commands recorded meanwhile by other
   * partitions' intakes go in the same statement (coalesce); no two of one guest ever do, as a
   * guest's commands are recorded one after the other.
   */
  insert(command: NewCommand, now: Date, lease?: NewLease): Promise<OutboxRow | undefined> {
    return this.inserts({ command, now, lease });
  }

  private readonly inserts = coalesce(
    async (items: Array<{ command: NewCommand; now: Date; lease: NewLease | undefined }>) => {
      const outbox = sql.id(S, 'outbox');
      const rows = items.map(({ command, now, lease }, n) => ({
        n,
        key: command.key,
        stream_seq: command.streamSeq,
        subject: command.subject,
        msg_id: command.msgId,
        phone_number_id: command.phoneNumberId,
        recipient: command.recipient,
        kind: command.kind,
        command: command.command,
        traceparent: command.traceparent ?? null,
        tracestate: command.tracestate ?? null,
        now: now.toISOString(),
        lease_owner: lease?.owner ?? null,
        lease_until: lease?.until.toISOString() ?? null,
        recheck_at: lease?.sending?.recheckAt.toISOString() ?? null,
      }));
      const result = await sql<OutboxRow>`
        with batch as (
          select r.*, r.lease_owner is not null and (r.kind = 'read' or not exists (
                   select 1 from ${outbox} older
                   where older.phone_number_id = r.phone_number_id and older.recipient = r.recipient
                     and older.state in ('pending', 'sending') and older.kind <> 'read')) as free
          from ${jsonRecords(
            rows,
            `n int, key text, stream_seq bigint, subject text, msg_id text, phone_number_id text, recipient text,
             kind text, command jsonb, traceparent text, tracestate text, now timestamptz, lease_owner text,
             lease_until timestamptz, recheck_at timestamptz`,
          )} as r
        )
        insert into ${outbox} (key, stream_seq, subject, msg_id, phone_number_id, recipient, kind, command,
          traceparent, tracestate, state, attempts, next_attempt_at, exhausted, published, created_at, updated_at,
          lease_owner, lease_until, last_attempt_at)
        select b.key, b.stream_seq, b.subject, b.msg_id, b.phone_number_id, b.recipient, b.kind, b.command,
          b.traceparent, b.tracestate,
          case when b.free and b.recheck_at is not null then 'sending' else 'pending' end,
          case when b.free and b.recheck_at is not null then 1 else 0 end,
          case when b.free and b.recheck_at is not null then b.recheck_at else b.now end,
          false, false, b.now, b.now,
          case when b.free then b.lease_owner end,
          case when b.free then b.lease_until end,
          case when b.free and b.recheck_at is not null then b.now end
        from batch b order by b.n
        on conflict (key) do nothing
        returning *`.execute(this.db);
      // A command redelivered while its first delivery still waits here shares its key: only the
      // first gets the row, the other is the duplicate it would have been a statement later.
      const byKey = new Map(result.rows.map((row) => [row.key, row]));
      return items.map(({ command }) => {
        const row = byKey.get(command.key);
        byKey.delete(command.key);
        return row;
      });
    },
  );

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
   * webhook confirmed it meanwhile, or the lease was lost). `published`: its event went out
   * already. `guestWaiting`: another unfinished
   * message of the same guest exists, which this one may have been holding back. Rounds that end
   * while one is being written go together in the next statement (coalesce).
   */
  finish(
    key: string,
    owner: string,
    update: RowUpdate,
    now: Date,
    published = false,
  ): Promise<FinishOutcome> {
    const changes = changesOf(update, now);
    return this.finishes({ key, owner, changes: published ? { ...changes, published: true } : changes, now });
  }

  private readonly finishes = coalesce(
    async (items: Array<{ key: string; owner: string; changes: Record<string, unknown>; now: Date }>) => {
      const outbox = sql.id(S, 'outbox');
      // Each round changes its own columns; `c ? 'column'` says whether it changes that one.
      const changed = (column: string, type: string) =>
        sql`case when v.c ? ${column} then (v.c->>${column})::${sql.raw(type)} else o.${sql.ref(column)} end`;
      const rows = items.map(({ key, owner, changes, now }) => ({
        key,
        owner,
        c: changes,
        now: now.toISOString(),
      }));
      const result = await sql<OutboxRow & { guest_waiting: boolean }>`
        update ${outbox} o set
          lease_owner = null, lease_until = null, updated_at = v.now,
          state = ${changed('state', 'text')},
          wamid = ${changed('wamid', 'text')},
          finished_at = ${changed('finished_at', 'timestamptz')},
          last_error_code = ${changed('last_error_code', 'int')},
          last_error = ${changed('last_error', 'text')},
          exhausted = ${changed('exhausted', 'boolean')},
          next_attempt_at = ${changed('next_attempt_at', 'timestamptz')},
          published = ${changed('published', 'boolean')}
        from ${jsonRecords(rows, 'key text, owner text, c jsonb, now timestamptz')} as v
        where o.key = v.key and o.lease_owner = v.owner and o.state in ('pending', 'sending')
        returning o.*, exists (
          select 1 from ${outbox} w
          where w.phone_number_id = o.phone_number_id and w.recipient = o.recipient and w.key <> o.key
            and w.state in ('pending', 'sending') and w.kind <> 'read') as guest_waiting`.execute(this.db);
      const byKey = new Map(result.rows.map((row) => [row.key, row]));
      return items.map(({ key }): FinishOutcome => {
        const updated = byKey.get(key);
        if (!updated) return { final: undefined, guestWaiting: false };
        const { guest_waiting: guestWaiting, ...row } = updated;
        return { final: row.state === 'sent' || row.state === 'failed' ? row : undefined, guestWaiting };
      });
    },
  );

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

  /** Rows not final yet: the backlog. */
  async countActive(): Promise<number> {
    const row = await this.db
      .selectFrom('sender.outbox')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      // ACTIVE as literals, so a generic plan may read the partial index on unfinished rows.
      .where(sql<boolean>`state in ('pending', 'sending')`)
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
