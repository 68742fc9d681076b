import { coalesce, jsonRecords } from '@reserveit/db';
import { type Kysely, type RawBuilder, type Selectable, sql } from 'kysely';
import { changesOf, type RowUpdate } from './row-changes.js';
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

export interface NewLease {
  owner: string;
  /** How long it lasts from when the row is written (on the database clock, see claimDue). */
  ms: number;
  sending?: { recheckAt: Date };
}

export interface FinishOutcome {
  final: OutboxRow | undefined;
  /** The row was its guest's head and the guest has a later reply, which may go now. */
  guestWaiting: boolean;
  /** The head could not be handed on in the same statement: handOver() does it. */
  owed: boolean;
}

const ACTIVE = ['pending', 'sending'] as const;

/** A lease of `ms` from the moment the row is written, on the database clock (see claimDue). */
const leaseEnd = (ms: number | RawBuilder<unknown>) =>
  sql<Date>`clock_timestamp() + ${ms}::int * interval '1 millisecond'`;

/**
 * A limit the planner can read, ≥ `count`: a power of two, so a statement has a handful of texts
 * (each prepared once), as libs/db/src/json-records.ts does for batches. With the LIMIT a parameter,
 * a generic plan guesses the rows, and a guess too high makes a pass over the whole outbox look
 * cheaper than one index probe per row.
 */
const atMost = (count: number) => sql.lit(2 ** Math.ceil(Math.log2(Math.max(count, 1))));

/**
 * How long the first finish of an idle spell waits for other rounds to share its statement
 * (coalesce): under steady load most then ride with others instead of one statement each. Nothing
 * waits on a finish but the guest's next reply (made head in the same statement) and the round's
 * place among the dispatcher's `concurrency`; inserts linger not, as every reply would reach the
 * Graph API that much later.
 */
const FINISH_LINGER_MS = 10;

/** Owed heads handed on per statement (handOver): only rows finished by an earlier version or that lost a race. */
const HAND_OVER_BATCH = 256;

/**
 * The outbox's queues in Postgres, every method one statement (an operator's reset is in
 * outbox-admin-store.ts, the status projection in status-store.ts, outcome flags in outcome-marks.ts).
 *
 * Each guest's replies form a queue in stream order and only its head, the oldest unfinished reply,
 * may be sent; read receipts wait for nothing and are heads of their own. The head is marked on its
 * row (`head`), so a claim reads due heads from `outbox_heads` and never the replies queued behind
 * them. Handing the head on is the delicate part: a reply may be recorded while its guest's last
 * one is being finished, and under READ COMMITTED neither statement sees the other's row (each
 * sees what was committed when it began). So an insert locks the guest's newest unfinished reply
 * and flags it `followed`, and a finish locks its rows before it looks for the next reply.
 * Whichever comes second waits for the first and is then handed the locked row as the first left
 * it (https://www.postgresql.org/docs/current/transaction-iso.html#XACT-READ-COMMITTED): the insert
 * sees that the reply before it is final and makes the new one head, or the finish sees `followed`
 * without seeing the new reply and leaves the head owed, which handOver() gives on. Statements that
 * wait for row locks take them in guest order (phone number id, recipient, key), so two never wait
 * for each other in a circle; the others skip rows another statement holds.
 */
export class OutboxStore {
  constructor(private readonly db: Kysely<SenderDb>) {}

  /**
   * Records a command; undefined when the key is known already (a redelivered or republished
   * command sends nothing). A reply is its guest's head when nothing of its guest's is unfinished,
   * else it waits behind the newest unfinished one, which it flags `followed`. With a lease, a head
   * is leased at once, so the dispatcher sends it without a claim round trip; with `sending` as
   * well, it is recorded as `sending` its first attempt (as markSending would), which the caller
   * may then make without another statement. Commands recorded meanwhile by other partitions'
   * intakes go in the same statement (coalesce); no two of one guest ever do, as a guest's commands
   * are recorded one after the other.
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
        lease_ms: lease?.ms ?? null,
        recheck_at: lease?.sending?.recheckAt.toISOString() ?? null,
      }));
      // `tails`: the newest unfinished reply before each new reply of its guest, locked guest by
      // guest (the order finish() locks in) and checked again once locked: one a finish made final
      // meanwhile is passed over, and the new reply is then its guest's head.
      const result = await sql<OutboxRow>`
        with batch as (
          select r.* from ${jsonRecords(
            rows,
            `n int, key text, stream_seq bigint, subject text, msg_id text, phone_number_id text, recipient text,
             kind text, command jsonb, traceparent text, tracestate text, now timestamptz, lease_owner text,
             lease_ms int, recheck_at timestamptz`,
          )} as r
        ),
        tails as (
          select tail.key, b.phone_number_id, b.recipient
          from (select * from batch where kind <> 'read' order by phone_number_id, recipient) b
          cross join lateral (
            select w.key from ${outbox} w
            where w.phone_number_id = b.phone_number_id and w.recipient = b.recipient
              and w.stream_seq < b.stream_seq and w.state in ('pending', 'sending') and w.kind <> 'read'
            order by w.stream_seq desc limit 1
            for no key update) tail
        ),
        flagged as (
          update ${outbox} f set followed = true from tails
          where f.key = tails.key and f.state in ('pending', 'sending') and not f.followed),
        queued as (
          select b.*, b.kind = 'read' or not exists (
                   select 1 from tails
                   where tails.phone_number_id = b.phone_number_id and tails.recipient = b.recipient) as head
          from batch b
        ),
        admitted as (select q.*, q.head and q.lease_owner is not null as free from queued q)
        insert into ${outbox} (key, stream_seq, subject, msg_id, phone_number_id, recipient, kind, command,
          traceparent, tracestate, state, attempts, next_attempt_at, exhausted, published, created_at, updated_at,
          lease_owner, lease_until, last_attempt_at, head)
        select a.key, a.stream_seq, a.subject, a.msg_id, a.phone_number_id, a.recipient, a.kind, a.command,
          a.traceparent, a.tracestate,
          case when a.free and a.recheck_at is not null then 'sending' else 'pending' end,
          case when a.free and a.recheck_at is not null then 1 else 0 end,
          case when a.free and a.recheck_at is not null then a.recheck_at else a.now end,
          false, false, a.now, a.now,
          case when a.free then a.lease_owner end,
          case when a.free then ${leaseEnd(sql`a.lease_ms`)} end,
          case when a.free and a.recheck_at is not null then a.now end,
          a.head
        from admitted a order by a.n
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
   * Leases up to `limit` due heads in `next_attempt_at` order: one reply per guest, its oldest
   * unfinished one, so one guest's messages go out one after the other in stream order while other
   * guests are not held up, and read receipts, which neither wait for nor hold up the replies.
   *
   * It reads `outbox_heads` in order and stops after `limit` rows, so it reads about the rows it
   * leases whatever the outbox holds: sent rows and the replies queued behind their heads are not
   * in that index. Each candidate costs one probe of `outbox_queue` besides (a row written without
   * `head`, see migration 0003, is claimed only when nothing of its guest's is before it). The
   * candidates are locked as they are read, skipping rows another claim holds, and a row leased
   * meanwhile is checked again once locked (READ COMMITTED), so two replicas never both lease a
   * row; the UPDATE then finds each by primary key, at most `atMost(limit)` of them.
   *
   * Leases are on the database clock: written as the row is taken (clock_timestamp(), not when
   * the statement was sent, so a slow claim does not hand out leases that ran out on the way) and
   * compared with the statement's start, one clock for every replica. `now` (the process clock)
   * is what `next_attempt_at` is written and compared with.
   */
  async claimDue(owner: string, now: Date, leaseMs: number, limit: number): Promise<OutboxRow[]> {
    const outbox = sql.id(S, 'outbox');
    const result = await sql<OutboxRow>`
      update ${outbox} o
      set lease_owner = ${owner}, lease_until = ${leaseEnd(leaseMs)}, updated_at = ${now}
      where o.key in (
        select due.key from (
          select h.key from ${outbox} h
          where h.state in ('pending', 'sending') and h.head and h.next_attempt_at <= ${now}
            and (h.lease_until is null or h.lease_until < statement_timestamp())
            and (h.kind = 'read' or not exists (
              select 1 from ${outbox} older
              where older.phone_number_id = h.phone_number_id and older.recipient = h.recipient
                and older.stream_seq < h.stream_seq and older.state in ('pending', 'sending')
                and older.kind <> 'read'))
          order by h.next_attempt_at
          limit ${limit}
          for no key update skip locked) due
        limit ${atMost(limit)})
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
   * `sending`, and `recheckAt` is when reconciliation looks at it again. The lease is renewed for
   * `leaseMs` from now (database clock, as claimDue).
   */
  async markSending(
    key: string,
    owner: string,
    attempt: number,
    now: Date,
    leaseMs: number,
    recheckAt: Date,
  ): Promise<boolean> {
    const result = await this.db
      .updateTable('sender.outbox')
      .set({
        state: 'sending',
        attempts: attempt,
        last_attempt_at: now,
        next_attempt_at: recheckAt,
        lease_until: leaseEnd(leaseMs),
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
   * already. A reply that becomes final hands its guest's head on to the next reply (see
   * FinishOutcome). Rounds that end while one is being written, or within FINISH_LINGER_MS of the
   * first, go together in one statement (coalesce).
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
      // `mine`: our rows, locked first and in guest order (an insert waiting for one of them cannot
      // be holding another we want), each as it is now, with a `followed` set after this statement
      // began. `next`: the reply after each one that became final. `heirs`: those made head here,
      // skipping any another statement holds (an insert queueing behind it), as waiting for one
      // while holding our rows could close a circle. A head not handed on here stays owed
      // (`followed` on the final row) for handOver().
      const result = await sql<OutboxRow & { guest_waiting: boolean }>`
        with v as (select * from ${jsonRecords(rows, 'key text, owner text, c jsonb, now timestamptz')} as r),
        mine as (
          select o.key, o.phone_number_id, o.recipient, o.kind, o.followed,
            (v.c->>'state') in ('sent', 'failed', 'dry_run') as final
          from ${outbox} o join v on v.key = o.key
          where o.lease_owner = v.owner and o.state in ('pending', 'sending')
          order by o.phone_number_id, o.recipient, o.key
          for no key update of o
        ),
        next as (
          select m.key, n.key as next_key, n.head as next_head
          from mine m
          cross join lateral (
            select w.key, w.head from ${outbox} w
            where w.phone_number_id = m.phone_number_id and w.recipient = m.recipient
              and w.state in ('pending', 'sending') and w.kind <> 'read'
              and w.key <> all(array(select key from mine))
            order by w.stream_seq limit 1) n
          where m.final and m.kind <> 'read'
        ),
        heirs as (
          select p.key from next n join ${outbox} p on p.key = n.next_key
          where not n.next_head and p.state in ('pending', 'sending') and not p.head
          for no key update of p skip locked
        ),
        promoted as (
          update ${outbox} p set head = true from heirs where p.key = heirs.key and p.state in ('pending', 'sending'))
        update ${outbox} o set
          lease_owner = null, lease_until = null, updated_at = v.now,
          state = ${changed('state', 'text')},
          wamid = ${changed('wamid', 'text')},
          finished_at = ${changed('finished_at', 'timestamptz')},
          last_error_code = ${changed('last_error_code', 'int')},
          last_error = ${changed('last_error', 'text')},
          exhausted = ${changed('exhausted', 'boolean')},
          next_attempt_at = ${changed('next_attempt_at', 'timestamptz')},
          published = ${changed('published', 'boolean')},
          followed = case
            when not m.final or n.next_key is null then o.followed
            else not (n.next_head or n.next_key in (select key from heirs)) end
        from v join mine m on m.key = v.key left join next n on n.key = m.key
        where o.key = m.key
        returning o.*, m.final and m.kind <> 'read' and (n.next_key is not null or m.followed) as guest_waiting`.execute(
        this.db,
      );
      const byKey = new Map(result.rows.map((row) => [row.key, row]));
      return items.map(({ key }): FinishOutcome => {
        const updated = byKey.get(key);
        if (!updated) return { final: undefined, guestWaiting: false, owed: false };
        const { guest_waiting: guestWaiting, ...row } = updated;
        const final = row.state === 'sent' || row.state === 'failed' ? row : undefined;
        return {
          final,
          guestWaiting,
          owed: row.followed && row.state !== 'pending' && row.state !== 'sending',
        };
      });
    },
    undefined,
    FINISH_LINGER_MS,
  );

  /**
   * Gives the head on for final rows that still owe it (`followed`): finished by a sender of an
   * earlier version, confirmed by a status webhook, or a finish that lost a race with an insert
   * (see finish). Each guest's oldest unfinished reply becomes head; waiting for a lock here is
   * safe, as these are locked in the same order as everywhere else. `more`: the batch was full.
   */
  async handOver(): Promise<{ settled: number; more: boolean }> {
    const outbox = sql.id(S, 'outbox');
    const result = await sql<{ settled: number }>`
      with owed as (
        select o.key, o.phone_number_id, o.recipient from ${outbox} o
        where o.followed and o.state in ('sent', 'failed', 'dry_run')
        order by o.key limit ${sql.lit(HAND_OVER_BATCH)}
        for no key update skip locked
      ),
      heirs as (
        select oldest.key
        from (select * from owed order by phone_number_id, recipient) g
        cross join lateral (
          select w.key from ${outbox} w
          where w.phone_number_id = g.phone_number_id and w.recipient = g.recipient
            and w.state in ('pending', 'sending') and w.kind <> 'read'
          order by w.stream_seq limit 1
          for no key update) oldest
      ),
      promoted as (
        update ${outbox} p set head = true from heirs
        where p.key = heirs.key and p.state in ('pending', 'sending') and not p.head),
      settled as (update ${outbox} o set followed = false from owed where o.key = owed.key returning o.key)
      select count(*)::int as settled from settled`.execute(this.db);
    const settled = result.rows[0]?.settled ?? 0;
    return { settled, more: settled === HAND_OVER_BATCH };
  }

  /**
   * A status webhook named this key: Meta took one of its attempts. Marks it sent unless it is
   * final already; returns the row when it changed so the caller publishes the event. A reply
   * whose guest has a later one leaves the head owed (`followed`) for handOver().
   */
  async confirmByStatus(key: string, wamid: string, now: Date): Promise<OutboxRow | undefined> {
    const outbox = sql.id(S, 'outbox');
    const result = await sql<OutboxRow>`
      update ${outbox} o
      set state = 'sent', wamid = ${wamid}, finished_at = ${now}, lease_owner = null, lease_until = null,
        updated_at = ${now},
        followed = o.followed or (o.kind <> 'read' and exists (
          select 1 from ${outbox} w
          where w.phone_number_id = o.phone_number_id and w.recipient = o.recipient and w.key <> o.key
            and w.state in ('pending', 'sending') and w.kind <> 'read'))
      where o.key = ${key} and o.state in ('pending', 'sending') and o.attempts > 0
      returning o.*`.execute(this.db);
    return result.rows[0];
  }

  async get(key: string): Promise<OutboxRow | undefined> {
    return this.db.selectFrom('sender.outbox').selectAll().where('key', '=', key).executeTakeFirst();
  }

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
