import { applyOnce, coalesce, jsonRecords, keyList } from '@reserveit/db';
import { type Selectable, sql, type Transaction } from 'kysely';
import { z } from 'zod';
import type { ConversationDb, ConversationsTable, Db } from './database.js';
import { SCHEMA } from './database.js';
import type { ConversationState } from './dialogue/index.js';

/** The inbox consumer name: one inbox row per inbound wamid, whichever partition consumer applied it. */
export const INBOX_CONSUMER = 'conversation';

export interface StoredConversation {
  id: string;
  businessId: string;
  phoneNumberId: string;
  guestId: string;
  guestName: string | null;
  state: ConversationState;
  version: number;
  lastMessageAt: Date;
  messageCount: number;
}

export interface MessageRow {
  id: string;
  direction: 'in' | 'out';
  kind: string;
  text: string;
  intent: string | null;
  at: string;
}

export interface OutboxRow {
  id: string;
  subject: string;
  payload: string;
}

/** What one decision publishes; it leaves the outbox once every row of it was acknowledged. */
export interface OutboxDecision {
  causationId: string;
  rows: OutboxRow[];
}

const storedRows = z.array(z.object({ id: z.string(), subject: z.string(), payload: z.string() }));

export interface ConversationWrite {
  id: string;
  businessId: string;
  phoneNumberId: string;
  guestId: string;
  guestName: string | null;
  state: ConversationState;
  /** The version loaded; 0 for a conversation that did not exist. */
  expectedVersion: number;
  at: string;
  messages: MessageRow[];
  outbox: OutboxRow[];
  causationId: string;
}

/** Another writer (a staff action, a replica) changed the conversation since it was loaded. */
export class VersionConflict extends Error {
  override name = 'VersionConflict';
}

export class ConversationStore {
  constructor(
    readonly db: Db,
    /** A background removal of published rows that failed; the sweeper publishes those rows again. */
    private readonly onMarkError: (error: unknown) => void = () => {},
  ) {}

  async load(id: string): Promise<StoredConversation | undefined> {
    const row = await this.db
      .selectFrom('conversation.conversations')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row && toStored(row);
  }

  /**
   * For the inbound handler, in one round trip: whether the inbox has this event already, and the
   * conversation as it is now. The inbox row is inserted again, and checked, in the commit's
   * statement, so this read only spares a duplicate the work; it decides nothing. Reads the other
   * partitions ask for meanwhile go in the same statement (coalesce).
   */
  loadForEvent(
    id: string,
    eventId: string,
  ): Promise<{ applied: boolean; stored: StoredConversation | undefined }> {
    return this.loads({ id, eventId });
  }

  private readonly loads = coalesce(async (items: Array<{ id: string; eventId: string }>) => {
    const result = await sql<{ n: number; applied: boolean } & Partial<Selectable<ConversationsTable>>>`
      select i.n, seen.hit is not null as applied, c.*
      from ${jsonRecords(
        items.map((item, n) => ({ n, id: item.id, event_id: item.eventId })),
        'n int, id text, event_id text',
      )} as i
      left join lateral ${inboxProbe(sql.ref('i.event_id'))} seen on true
      left join ${sql.id(SCHEMA, 'conversations')} c on c.id = i.id
      order by i.n`.execute(this.db);
    return result.rows.map((row) => ({
      applied: row.applied,
      stored: row.id == null ? undefined : toStored(row as Selectable<ConversationsTable>),
    }));
  });

  /**
   * Applies one inbound message's outcome once: inbox row, conversation state (checked against the
   * version it was decided on), history and outbox, in one statement, shared with the commits
   * other partitions make meanwhile (coalesce). False when it was applied before (a redelivery
   * that raced past the first check).
   */
  async commitInbound(
    entry: { eventId: string; streamSeq: number },
    write: ConversationWrite,
  ): Promise<boolean> {
    const outcome = await this.commits({ write, inbox: entry });
    if (outcome === 'applied-before') return false;
    if (outcome === 'conflict') throw new VersionConflict(`conversation ${write.id} changed meanwhile`);
    return true;
  }

  /** A staff action: no inbox (it has no stream event), the version check alone keeps it consistent. */
  async commitStaff(write: ConversationWrite): Promise<void> {
    const [outcome] = await this.write([{ write }]);
    if (outcome !== 'written') throw new VersionConflict(`conversation ${write.id} changed meanwhile`);
  }

  /** A message for an unknown number: only the inbox row and the event saying so. */
  commitUnknown(entry: { eventId: string; streamSeq: number }, decision: OutboxDecision): Promise<boolean> {
    return applyOnce(this.db, { schema: SCHEMA, consumer: INBOX_CONSUMER, ...entry }, async (trx) => {
      await insertOutbox(trx, decision);
    });
  }

  /**
   * A partition handles one message at a time, so a batch holds each conversation once; should one
   * come twice, its commits go one after the other, each on the version the one before left.
   */
  private readonly commits = coalesce(async (items: Commit[]) => {
    if (new Set(items.map((item) => item.write.id)).size === items.length) return this.write(items);
    const outcomes: CommitOutcome[] = [];
    for (const item of items) outcomes.push(...(await this.write([item])));
    return outcomes;
  });

  /**
   * One statement, so one round trip and an implicit transaction for any number of decisions: a
   * handled message used to pay six (begin, inbox, state, history, outbox, commit), inside its
   * partition's one-at-a-time turn. Each decision's rows hang off its conversation row's write,
   * which is conditional on the version it was decided on and, for an inbound message, on its
   * inbox row being absent; the inbox row is inserted only when that write happened and without
   * `on conflict`, so a duplicate committed meanwhile fails the statement rather than leaving half
   * of it (coalesce then retries the batch's decisions one by one).
   */
  private async write(items: readonly Commit[]): Promise<CommitOutcome[]> {
    const conversations = sql.id(SCHEMA, 'conversations');
    const inbox = sql.id(SCHEMA, 'inbox');
    const input = items.map(({ write, inbox: entry }, n) => {
      const handoffUntil = write.state.handoff?.until ?? null;
      return {
        n,
        id: write.id,
        business_id: write.businessId,
        phone_number_id: write.phoneNumberId,
        guest_id: write.guestId,
        guest_name: write.guestName,
        state: write.state,
        expected: write.expectedVersion,
        mode: handoffUntil ? 'human' : 'bot',
        handoff_until: handoffUntil,
        language: write.state.language,
        phase: write.state.phase.kind,
        at: write.at,
        inbound: write.messages.filter((message) => message.direction === 'in').length,
        count: write.messages.length,
        event_id: entry?.eventId ?? null,
        stream_seq: entry?.streamSeq ?? null,
      };
    });
    const history = items.flatMap(({ write }) =>
      write.messages.map((message) => ({ conversation_id: write.id, ...message })),
    );
    const outbox = items.flatMap(({ write }) =>
      write.outbox.length > 0
        ? [
            {
              conversation_id: write.id,
              causation_id: write.causationId,
              messages: JSON.stringify(write.outbox),
            },
          ]
        : [],
    );
    const result = await sql<{ written: boolean; applied_before: boolean }>`
      with input as (
        select * from ${jsonRecords(
          input,
          `n int, id text, business_id text, phone_number_id text, guest_id text, guest_name text, state jsonb,
           expected int, mode text, handoff_until timestamptz, language text, phase text, at timestamptz,
           inbound int, count int, event_id text, stream_seq bigint`,
        )} as i
      ),
      checked as (
        select i.*, seen.hit is not null as seen_before
        from input i left join lateral ${inboxProbe(sql.ref('i.event_id'))} seen on true
      ),
      fresh as (select * from checked where event_id is null or not seen_before),
      updated as (
        update ${conversations} c set
          state = f.state, version = f.expected + 1, mode = f.mode, handoff_until = f.handoff_until,
          language = f.language, phase = f.phase, updated_at = f.at,
          guest_name = coalesce(f.guest_name, c.guest_name),
          last_message_at = case when f.inbound > 0 then f.at else c.last_message_at end,
          message_count = c.message_count + f.count
        from fresh f
        where c.id = f.id and f.expected > 0 and c.version = f.expected
        returning c.id
      ),
      inserted as (
        insert into ${conversations} (id, business_id, phone_number_id, guest_id, guest_name, state, version,
          mode, handoff_until, language, phase, last_message_at, message_count, updated_at)
        select f.id, f.business_id, f.phone_number_id, f.guest_id, f.guest_name, f.state, 1, f.mode,
          f.handoff_until, f.language, f.phase, f.at, f.count, f.at
        from fresh f where f.expected = 0
        on conflict (id) do nothing
        returning id
      ),
      written as (select id from updated union all select id from inserted),
      inbox_rows as (
        insert into ${inbox} (consumer, event_id, stream_seq)
        select ${INBOX_CONSUMER}, i.event_id, i.stream_seq from input i join written w on w.id = i.id
        where i.event_id is not null
      ),
      history as (
        insert into ${sql.id(SCHEMA, 'messages')} (conversation_id, id, direction, kind, text, intent, at)
        select m.conversation_id, m.id, m.direction, m.kind, m.text, m.intent, m.at
        from ${numberedRecords(
          history,
          'conversation_id text, id text, direction text, kind text, text text, intent text, at timestamptz, n int',
        )} as m
        join written w on w.id = m.conversation_id
        order by m.n
        on conflict (direction, id) do nothing
      ),
      outbox as (
        insert into ${sql.id(SCHEMA, 'outbox_decisions')} (causation_id, messages)
        select o.causation_id, o.messages
        from ${numberedRecords(outbox, 'conversation_id text, causation_id text, messages text, n int')} as o
        join written w on w.id = o.conversation_id
        order by o.n
        on conflict (causation_id) do nothing
      )
      select exists (select 1 from written w where w.id = c.id) as written,
             c.event_id is not null and c.seen_before as applied_before
      from checked c order by c.n`.execute(this.db);
    return result.rows.map((row) =>
      row.written ? 'written' : row.applied_before ? 'applied-before' : 'conflict',
    );
  }

  /** Decisions not yet published, oldest first: of one cause, or up to `limit` older than `olderThanMs`. */
  async unpublished(
    filter: { causationId: string } | { olderThanMs: number; limit: number },
  ): Promise<OutboxDecision[]> {
    let query = this.db
      .selectFrom('conversation.outbox_decisions')
      .select(['causation_id', 'messages'])
      .orderBy('seq');
    if ('causationId' in filter) query = query.where('causation_id', '=', filter.causationId);
    else
      query = query
        .where('created_at', '<', sql<Date>`now() - make_interval(secs => ${filter.olderThanMs / 1000})`)
        .limit(filter.limit);
    const found = await query.execute();
    return found.map((row) => ({
      causationId: row.causation_id,
      rows: storedRows.parse(JSON.parse(row.messages)),
    }));
  }

  /**
   * Removes published decisions without making the publisher wait: those noted while one DELETE
   * is in flight go together in the next one (coalesce), so a handled message no longer pays a round
   * trip for it (inside its partition's one-at-a-time turn) and the partitions share a few
   * statements. The outbox thus holds only what is still to publish (the stream keeps the rest).
   * A removal lost to a crash or a failed delete means its rows are published again with the same
   * Msg-Ids, deduplicated by JetStream and past its window by the sender's outbox and the readers'
   * inboxes.
   */
  notePublished(causationIds: string[]): void {
    if (causationIds.length === 0) return;
    this.marks(causationIds).catch(this.onMarkError);
  }

  /** Waits until every removal noted so far is done (or has failed). */
  flushPublished(): Promise<void> {
    return this.marks.idle();
  }

  private readonly marks = coalesce(async (batches: string[][]) => {
    await this.db
      .deleteFrom('conversation.outbox_decisions')
      .where('causation_id', 'in', keyList(batches.flat()))
      .execute();
    return batches.map(() => undefined);
  });
}

/**
 * Whether the inbox has an event, as a LATERAL source (`hit` is true, or no row): one index probe
 * per event, whatever the planner thinks of the inbox's size. As a plain `exists`, a plan made
 * while the inbox was small (stale statistics, a cached generic plan) hashed every inbox row of
 * the consumer instead, on each commit: its cost grew with every message ever handled.
 */
const inboxProbe = (eventId: ReturnType<typeof sql.ref>) =>
  sql`(select true as hit from ${sql.id(SCHEMA, 'inbox')}
       where consumer = ${INBOX_CONSUMER} and event_id = ${eventId} limit 1)`;

/** Rows as a FROM source, each with its position `n`: serials follow it. */
const numberedRecords = (rows: readonly object[], columns: string) =>
  jsonRecords(
    rows.map((row, n) => ({ ...row, n })),
    columns,
  );

interface Commit {
  write: ConversationWrite;
  inbox?: { eventId: string; streamSeq: number };
}

type CommitOutcome = 'written' | 'applied-before' | 'conflict';

async function insertOutbox(trx: Transaction<ConversationDb>, decision: OutboxDecision): Promise<void> {
  if (decision.rows.length === 0) return;
  await trx
    .insertInto('conversation.outbox_decisions')
    .values({ causation_id: decision.causationId, messages: JSON.stringify(decision.rows) })
    .onConflict((oc) => oc.column('causation_id').doNothing())
    .execute();
}

function toStored(row: Selectable<ConversationsTable>): StoredConversation {
  return {
    id: row.id,
    businessId: row.business_id,
    phoneNumberId: row.phone_number_id,
    guestId: row.guest_id,
    guestName: row.guest_name,
    state: row.state as ConversationState,
    version: row.version,
    lastMessageAt: new Date(row.last_message_at),
    messageCount: row.message_count,
  };
}
