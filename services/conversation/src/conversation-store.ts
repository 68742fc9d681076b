import { coalesce, jsonRecords, keyList } from '@reserveit/db';
import { type Selectable, sql } from 'kysely';
import { z } from 'zod';
import {
  type Commit,
  type CommitOutcome,
  commitDecisions,
  INBOX_CONSUMER,
  inboxProbe,
  type OutboxDecision,
} from './commit-statement.js';
import type { ConversationsTable, Db } from './database.js';
import { SCHEMA } from './database.js';
import { type Delivery, furthest, isDeliveryStatus } from './delivery-status.js';
import type { ConversationState } from './dialogue/index.js';
import type { InboxSearch } from './inbox-search.js';

export { type Commit, INBOX_CONSUMER, type OutboxDecision, type OutboxRow } from './commit-statement.js';

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

/** A conversation as staff tools list it: its row without the dialogue state. */
export interface ConversationSummary {
  id: string;
  businessId: string;
  phoneNumberId: string;
  guestId: string;
  guestName: string | null;
  mode: 'bot' | 'human';
  handoffUntil: Date | null;
  language: string;
  phase: string;
  lastMessageAt: Date;
  messageCount: number;
  unreadCount: number;
  waitingSince: Date | null;
  takenBy: string | null;
  lastInboundAt: Date | null;
  lastMessagePreview: string;
  /** The reason the last message sent to the guest failed (a template Meta refused …); null when it did not. */
  lastFailure: string | null;
  /** A visit the guest rated 1 or 2, until staff answer them. */
  lowRating: number | null;
}

export interface HistoryMessage {
  id: string;
  direction: 'in' | 'out';
  kind: string;
  text: string;
  intent: string | null;
  at: Date;
  /** guest, bot or staff:<name>. */
  author: string;
  /** Outbound messages only. */
  delivery: Delivery | undefined;
}

export interface MessageLocation {
  /** In the WHATSAPP stream; 0 when not known. */
  streamSeq: number;
  /** Undefined when the message made no conversation (no business has its phone_number_id). */
  conversationId: string | undefined;
}

export interface ListFilter {
  businessId?: string;
  /** HUMAN: handed off at `now`; BOT: answered by the assistant at `now`. */
  mode?: 'bot' | 'human';
  /** With mode human: nobody took it over yet, or a staff member has it. */
  handoff?: 'waiting' | 'taken';
  now: Date;
  search?: InboxSearch;
  /** Resume after this conversation of the previous page (most recently active first). */
  after?: { lastMessageAt: Date; id: string };
  limit: number;
}

const storedRows = z.array(z.object({ id: z.string(), subject: z.string(), payload: z.string() }));

/**
 * How long published decisions wait for a commit to ride on before a DELETE of their own: long
 * enough for the next message's commit under load, far shorter than the sweeper's look at rows
 * left behind (seconds).
 */
const REMOVAL_DELAY_MS = 50;

/** Another writer (a staff action, a replica) changed the conversation since it was loaded. */
export class VersionConflict extends Error {
  override name = 'VersionConflict';
}

const SUMMARY_COLUMNS = [
  'id',
  'business_id',
  'phone_number_id',
  'guest_id',
  'guest_name',
  'mode',
  'handoff_until',
  'language',
  'phase',
  'last_message_at',
  'message_count',
  'unread_count',
  'waiting_since',
  'taken_by',
  'last_inbound_at',
  'last_message_preview',
] as const;

/**
 * Whether the last message sent to the guest failed, with the Graph API's reason: the inbox shows
 * it, so a refused template is never a silent gap in the conversation.
 */
const lastFailure = sql<string | null>`(
  select case when d.status = 'failed' then coalesce(d.error, '') end
  from ${sql.id(SCHEMA, 'messages')} m
  left join ${sql.id(SCHEMA, 'deliveries')} d on d.message_id = m.id
  where m.conversation_id = ${sql.ref('conversation.conversations.id')} and m.direction = 'out'
  order by m.seq desc limit 1)`.as('last_failure');

/** A visit the guest rated 2 or less, until staff answer them (dialogue/feedback.ts). */
const lowRating = sql<
  number | null
>`(${sql.ref('conversation.conversations.state')}->'lowRating'->>'rating')::int`.as('low_rating');

/** The conversation tables: what the pipeline loads and commits, and what staff tools read. */
export class ConversationStore {
  constructor(
    private readonly db: Db,
    /** A background removal of published rows that failed; the sweeper publishes those rows again. */
    private readonly onMarkError: (error: unknown) => void = () => {},
    /** How long published decisions wait for a commit to ride on (notePublished). */
    private readonly removalDelayMs = REMOVAL_DELAY_MS,
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
   * Commits one decision once: its events applied to the tables (checked against the version it
   * was decided on), its outbox rows and, for an inbound message, its inbox row, in one statement
   * shared with the commits other partitions make meanwhile (coalesce). False when the inbound
   * message was applied before (a redelivery that raced past the first check); a VersionConflict
   * when the conversation changed since it was loaded.
   */
  async commit(commit: Commit): Promise<boolean> {
    const outcome = await this.commits(commit);
    if (outcome === 'applied-before') return false;
    if (outcome === 'conflict')
      throw new VersionConflict(`conversation ${commit.conversationId} changed meanwhile`);
    return true;
  }

  /**
   * A partition handles one message at a time, so a batch holds each conversation once; should one
   * come twice (a staff action meanwhile), its commits go one after the other, each on the version
   * the one before left.
   */
  private readonly commits = coalesce(async (items: Commit[]) => {
    const published = this.published.splice(0);
    try {
      if (new Set(items.map((item) => item.conversationId)).size === items.length)
        return await commitDecisions(this.db, items, published);
      const outcomes: CommitOutcome[] = [];
      for (const [n, item] of items.entries())
        outcomes.push(...(await commitDecisions(this.db, [item], n === 0 ? published : [])));
      return outcomes;
    } catch (error) {
      // Nothing of the statement happened: the removals wait for the next one.
      this.published.push(...published);
      throw error;
    }
  });

  /** Most recently active first, a page at a time. */
  async list(filter: ListFilter): Promise<ConversationSummary[]> {
    let query = this.db
      .selectFrom('conversation.conversations')
      .select([...SUMMARY_COLUMNS, lastFailure, lowRating]);
    if (filter.businessId) query = query.where('business_id', '=', filter.businessId);
    if (filter.mode === 'human') {
      query = query.where('mode', '=', 'human').where('handoff_until', '>', filter.now);
      if (filter.handoff === 'waiting')
        query = query.where((eb) => eb.or([eb('taken_by', 'is', null), eb('taken_by', '=', '')]));
      if (filter.handoff === 'taken') query = query.where('taken_by', '<>', '');
    } else if (filter.mode === 'bot') {
      query = query.where((eb) => eb.or([eb('mode', '=', 'bot'), eb('handoff_until', '<=', filter.now)]));
    }
    const { search } = filter;
    if (search) {
      // Within one business the index on (business_id, last_message_at) walks its conversations
      // newest first and stops at the page's end; a search matching few of 10,000 reads them all,
      // a few milliseconds, which a trigram index would save at the price of an extension.
      query = query.where((eb) =>
        eb.or([
          eb('guest_name', 'ilike', search.namePattern),
          ...(search.idSuffix
            ? [eb(sql<string>`right(guest_id, ${search.idSuffix.length})`, '=', search.idSuffix)]
            : []),
        ]),
      );
    }
    if (filter.after) {
      query = query.where(
        sql<boolean>`(last_message_at, id) < (${filter.after.lastMessageAt}, ${filter.after.id})`,
      );
    }
    const rows = await query
      .orderBy('last_message_at', 'desc')
      .orderBy('id', 'desc')
      .limit(filter.limit)
      .execute();
    return rows.map(toSummary);
  }

  /** Undefined when there is no such conversation, or it is not `businessId`'s (when given). */
  async summary(id: string, businessId?: string): Promise<ConversationSummary | undefined> {
    let query = this.db
      .selectFrom('conversation.conversations')
      .select([...SUMMARY_COLUMNS, lastFailure, lowRating])
      .where('id', '=', id);
    if (businessId) query = query.where('business_id', '=', businessId);
    const row = await query.executeTakeFirst();
    return row && toSummary(row);
  }

  /**
   * Staff have read the conversation: no unread guest messages. Not a decision: the version stays,
   * so it never races the pipeline, and a commit counting a new message meanwhile adds to the row
   * as it finds it. Undefined as `summary` is.
   */
  async markRead(id: string, businessId?: string): Promise<ConversationSummary | undefined> {
    let query = this.db
      .updateTable('conversation.conversations')
      .set({ unread_count: 0 })
      .where('id', '=', id);
    if (businessId) query = query.where('business_id', '=', businessId);
    const row = await query.returning([...SUMMARY_COLUMNS, lastFailure, lowRating]).executeTakeFirst();
    return row && toSummary(row);
  }

  /**
   * Where a guest's message is, by its wamid: its stream sequence from the inbox row its handling
   * wrote (0 for a row a replay rebuilt), its conversation from the history. Undefined when the
   * service has not handled it.
   */
  async locate(wamid: string): Promise<MessageLocation | undefined> {
    const result = await sql<{ seq: string | null; conversation_id: string | null }>`
      select
        (select i.stream_seq::text from ${sql.id(SCHEMA, 'inbox')} i
          where i.consumer = ${INBOX_CONSUMER} and i.event_id = ${wamid}) as seq,
        (select m.conversation_id from ${sql.id(SCHEMA, 'messages')} m
          where m.direction = 'in' and m.id = ${wamid} limit 1) as conversation_id`.execute(this.db);
    const row = result.rows[0];
    if (!row || (row.seq === null && row.conversation_id === null)) return undefined;
    return { streamSeq: Number(row.seq ?? 0), conversationId: row.conversation_id ?? undefined };
  }

  /**
   * A conversation's latest `limit` messages, oldest first, each outbound one with the furthest of
   * what its key's outcomes and statuses said and what statuses known only by its wamid said.
   */
  async history(id: string, limit: number): Promise<HistoryMessage[]> {
    const rows = await this.db
      .selectFrom('conversation.messages as m')
      .leftJoin('conversation.deliveries as d', (join) =>
        join.onRef('d.message_id', '=', 'm.id').on('m.direction', '=', 'out'),
      )
      .leftJoin('conversation.wamid_statuses as w', 'w.wamid', 'd.wamid')
      .select([
        'm.id',
        'm.direction',
        'm.kind',
        'm.text',
        'm.intent',
        'm.at',
        'm.author',
        'd.status as keyed_status',
        'd.error as keyed_error',
        'w.status as wamid_status',
        'w.error as wamid_error',
      ])
      .where('m.conversation_id', '=', id)
      .orderBy('m.seq', 'desc')
      .limit(limit)
      .execute();
    return rows.reverse().map((row) => ({
      id: row.id,
      direction: row.direction,
      kind: row.kind,
      text: row.text,
      intent: row.intent,
      at: new Date(row.at),
      // Rows written before authors were kept: the guest's, or the assistant's.
      author: row.author ?? (row.direction === 'in' ? 'guest' : 'bot'),
      delivery:
        row.direction === 'out'
          ? furthest(
              deliveryOf(row.keyed_status, row.keyed_error),
              deliveryOf(row.wamid_status, row.wamid_error),
            )
          : undefined,
    }));
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
   * Removes published decisions without making the publisher wait: they ride on the next commit's
   * statement (commit-statement.ts), so under load removing them costs no statement at all; when
   * no commit comes within `removalDelayMs` they go in a DELETE of their own, those noted while one
   * is in flight together in the next one (coalesce). The outbox thus holds only what is still to
   * publish (the stream keeps the rest). A removal lost to a crash or a failed delete means its
   * rows are published again with the same Msg-Ids, deduplicated by JetStream and past its window
   * by the sender's outbox and the readers' inboxes.
   */
  notePublished(causationIds: string[]): void {
    if (causationIds.length === 0) return;
    this.published.push(...causationIds);
    this.removalTimer ??= setTimeout(() => {
      this.removalTimer = undefined;
      this.removeNoted();
    }, this.removalDelayMs);
  }

  /** Removes every decision noted so far, and waits until that is done (or has failed). */
  async flushPublished(): Promise<void> {
    clearTimeout(this.removalTimer);
    this.removalTimer = undefined;
    await this.commits.idle();
    this.removeNoted();
    await this.marks.idle();
  }

  /** Causation ids of published decisions waiting to be removed. */
  private readonly published: string[] = [];
  private removalTimer: ReturnType<typeof setTimeout> | undefined;

  private removeNoted(): void {
    const ids = this.published.splice(0);
    if (ids.length > 0) this.marks(ids).catch(this.onMarkError);
  }

  private readonly marks = coalesce(async (batches: string[][]) => {
    await this.db
      .deleteFrom('conversation.outbox_decisions')
      .where('causation_id', 'in', keyList(batches.flat()))
      .execute();
    return batches.map(() => undefined);
  });
}

function deliveryOf(status: string | null, error: string | null): Delivery | undefined {
  return status !== null && isDeliveryStatus(status) ? { status, error } : undefined;
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

function toSummary(
  row: Pick<Selectable<ConversationsTable>, (typeof SUMMARY_COLUMNS)[number]> & {
    last_failure: string | null;
    low_rating: number | null;
  },
): ConversationSummary {
  return {
    id: row.id,
    businessId: row.business_id,
    phoneNumberId: row.phone_number_id,
    guestId: row.guest_id,
    guestName: row.guest_name,
    mode: row.mode,
    handoffUntil: row.handoff_until ? new Date(row.handoff_until) : null,
    language: row.language,
    phase: row.phase,
    lastMessageAt: new Date(row.last_message_at),
    messageCount: row.message_count,
    unreadCount: row.unread_count,
    waitingSince: row.waiting_since ? new Date(row.waiting_since) : null,
    takenBy: row.taken_by,
    lastInboundAt: row.last_inbound_at ? new Date(row.last_inbound_at) : null,
    lastMessagePreview: row.last_message_preview,
    lastFailure: row.last_failure,
    lowRating: row.low_rating,
  };
}
