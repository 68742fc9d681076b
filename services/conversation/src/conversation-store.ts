import { applyOnce, coalesce } from '@reserveit/db';
import { type Selectable, sql, type Transaction } from 'kysely';
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
    /** A background mark that failed; the sweeper publishes those rows again. */
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
   * conversation as it is now. The inbox row is inserted again, and checked, in the
   * commit's transaction, so this read only spares a duplicate the work; it decides nothing.
   */
  async loadForEvent(
    id: string,
    eventId: string,
  ): Promise<{ applied: boolean; stored: StoredConversation | undefined }> {
    const result = await sql<{ applied: boolean } & Partial<Selectable<ConversationsTable>>>`
      select exists (
               select 1 from ${sql.id(SCHEMA, 'inbox')} where consumer = ${INBOX_CONSUMER} and event_id = ${eventId}
             ) as applied, c.*
      from (select 1) as one left join ${sql.id(SCHEMA, 'conversations')} c on c.id = ${id}`.execute(this.db);
    const row = result.rows[0];
    if (!row) throw new Error('loadForEvent returned no row');
    return {
      applied: row.applied,
      stored: row.id == null ? undefined : toStored(row as Selectable<ConversationsTable>),
    };
  }

  /**
   * Applies one inbound message's outcome once: inbox row, conversation state (checked against the
   * version it was decided on), history and outbox, in one statement. False when it was applied
   * before (a redelivery that raced past the first check).
   */
  async commitInbound(
    entry: { eventId: string; streamSeq: number },
    write: ConversationWrite,
  ): Promise<boolean> {
    const outcome = await this.write(write, entry);
    if (outcome === 'applied-before') return false;
    if (outcome === 'conflict') throw new VersionConflict(`conversation ${write.id} changed meanwhile`);
    return true;
  }

  /** A staff action: no inbox (it has no stream event), the version check alone keeps it consistent. */
  async commitStaff(write: ConversationWrite): Promise<void> {
    if ((await this.write(write)) !== 'written')
      throw new VersionConflict(`conversation ${write.id} changed meanwhile`);
  }

  /** A message for an unknown number: only the inbox row and the event saying so. */
  commitUnknown(
    entry: { eventId: string; streamSeq: number },
    outbox: OutboxRow[],
    causationId: string,
  ): Promise<boolean> {
    return applyOnce(this.db, { schema: SCHEMA, consumer: INBOX_CONSUMER, ...entry }, async (trx) => {
      await insertOutbox(trx, outbox, causationId);
    });
  }

  /**
   * One statement, so one round trip and an implicit transaction: a handled message used to pay
   * six (begin, inbox, state, history, outbox, commit), inside its partition's one-at-a-time turn.
   * Everything hangs off the conversation row's write, which is conditional on the version the
   * decision was made on and, for an inbound message, on its inbox row being absent; the inbox row
   * is inserted only when that write happened and without `on conflict`, so a duplicate committed
   * meanwhile fails the whole statement rather than leaving half of it.
   */
  private async write(
    write: ConversationWrite,
    inbox?: { eventId: string; streamSeq: number },
  ): Promise<'written' | 'applied-before' | 'conflict'> {
    const table = sql.id(SCHEMA, 'conversations');
    const inboxTable = sql.id(SCHEMA, 'inbox');
    const handoffUntil = write.state.handoff?.until ?? null;
    const mode = handoffUntil ? 'human' : 'bot';
    const inbound = write.messages.filter((message) => message.direction === 'in').length;
    const notApplied = inbox
      ? sql`not exists (select 1 from ${inboxTable} where consumer = ${INBOX_CONSUMER} and event_id = ${inbox.eventId})`
      : sql`true`;
    const conversation =
      write.expectedVersion === 0
        ? sql`insert into ${table} (id, business_id, phone_number_id, guest_id, guest_name, state, version,
                mode, handoff_until, language, phase, last_message_at, message_count, updated_at)
              select ${write.id}, ${write.businessId}, ${write.phoneNumberId}, ${write.guestId}, ${write.guestName},
                ${JSON.stringify(write.state)}::jsonb, 1, ${mode}, ${handoffUntil}::timestamptz,
                ${write.state.language}, ${write.state.phase.kind}, ${write.at}::timestamptz,
                ${write.messages.length}::int, ${write.at}::timestamptz
              where ${notApplied}
              on conflict (id) do nothing
              returning id`
        : sql`update ${table} set
                state = ${JSON.stringify(write.state)}::jsonb, version = ${write.expectedVersion + 1},
                mode = ${mode}, handoff_until = ${handoffUntil}::timestamptz,
                language = ${write.state.language}, phase = ${write.state.phase.kind},
                updated_at = ${write.at}::timestamptz,
                guest_name = coalesce(${write.guestName}, guest_name),
                last_message_at = ${inbound > 0 ? sql`${write.at}::timestamptz` : sql`last_message_at`},
                message_count = message_count + ${write.messages.length}::int
              where id = ${write.id} and version = ${write.expectedVersion} and ${notApplied}
              returning id`;
    const inboxInsert = inbox
      ? sql`, inbox_row as (
          insert into ${inboxTable} (consumer, event_id, stream_seq)
          select ${INBOX_CONSUMER}, ${inbox.eventId}, ${inbox.streamSeq}::bigint from written)`
      : sql``;
    const result = await sql<{ written: boolean; applied_before: boolean }>`
      with written as (${conversation})${inboxInsert},
      history as (
        insert into ${sql.id(SCHEMA, 'messages')} (conversation_id, id, direction, kind, text, intent, at)
        select ${write.id}, m.id, m.direction, m.kind, m.text, m.intent, m.at
        from jsonb_to_recordset(${numbered(write.messages)}::jsonb)
          as m(id text, direction text, kind text, text text, intent text, at timestamptz, n int)
        where exists (select 1 from written)
        order by m.n
        on conflict (direction, id) do nothing),
      outbox as (
        insert into ${sql.id(SCHEMA, 'outbox')} (id, subject, payload, causation_id)
        select o.id, o.subject, o.payload, ${write.causationId}
        from jsonb_to_recordset(${numbered(write.outbox)}::jsonb)
          as o(id text, subject text, payload text, n int)
        where exists (select 1 from written)
        order by o.n
        on conflict (id) do nothing)
      select exists (select 1 from written) as written, not ${notApplied} as applied_before`.execute(this.db);
    const row = result.rows[0];
    if (row?.written) return 'written';
    return row?.applied_before ? 'applied-before' : 'conflict';
  }

  /** Rows not yet published, oldest first: of one cause, or all that are older than `olderThanMs`. */
  async unpublished(
    filter: { causationId: string } | { olderThanMs: number; limit: number },
  ): Promise<OutboxRow[]> {
    let query = this.db
      .selectFrom('conversation.outbox')
      .select(['id', 'subject', 'payload'])
      .where('published_at', 'is', null)
      .orderBy('seq');
    if ('causationId' in filter) query = query.where('causation_id', '=', filter.causationId);
    else
      query = query
        .where('created_at', '<', sql<Date>`now() - make_interval(secs => ${filter.olderThanMs / 1000})`)
        .limit(filter.limit);
    return query.execute();
  }

  /**
   * Marks rows published without making the publisher wait: ids noted while one UPDATE is in
   * flight go together in the next one (coalesce), so a handled message no longer pays a round
   * trip for it (inside its partition's one-at-a-time turn) and 16 partitions share a few
   * statements. The mark only tells the sweeper to leave a row alone: one lost to a crash or a
   * failed update means the row is published again with the same Msg-Id, deduplicated by
   * JetStream and past its window by the sender's outbox and the readers' inboxes.
   */
  notePublished(ids: string[]): void {
    if (ids.length === 0) return;
    this.marks(ids).catch(this.onMarkError);
  }

  /** Waits until every mark noted so far is written (or has failed). */
  flushPublished(): Promise<void> {
    return this.marks.idle();
  }

  private readonly marks = coalesce(async (batches: string[][]) => {
    await this.markPublished(batches.flat());
    return batches.map(() => undefined);
  });

  async markPublished(ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.db
      .updateTable('conversation.outbox')
      .set({ published_at: sql`now()` })
      .where('id', 'in', ids)
      .execute();
  }
}

/** Rows as a JSON array for jsonb_to_recordset, each with its position: serials follow it. */
const numbered = (rows: readonly object[]) => JSON.stringify(rows.map((row, n) => ({ ...row, n })));

async function insertOutbox(
  trx: Transaction<ConversationDb>,
  rows: OutboxRow[],
  causationId: string,
): Promise<void> {
  if (rows.length === 0) return;
  await trx
    .insertInto('conversation.outbox')
    .values(rows.map((row) => ({ ...row, causation_id: causationId })))
    .onConflict((oc) => oc.column('id').doNothing())
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
