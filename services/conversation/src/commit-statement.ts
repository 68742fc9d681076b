import { topology } from '@reserveit/contracts';
import { jsonRecords, keyList } from '@reserveit/db';
import { sql } from 'kysely';
import { type Db, SCHEMA } from './database.js';
import type { ConversationEvent } from './decider/index.js';
import { tableRows } from './projection.js';

/**
 * The inbox consumer name of `conversation.inbound` in the wiring table: one inbox row per inbound
 * wamid, whichever partition consumer applied it.
 */
export const INBOX_CONSUMER = topology().consumers.conversation.inbound.inbox.consumer;

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

/** One decision to commit: its events applied to the tables, its outbox rows, its inbox row. */
export interface Commit {
  conversationId: string;
  /** The version the decision was made on; 0 for a conversation that did not exist. */
  expectedVersion: number;
  /**
   * The stream sequence of the inbound message the decision answers, for its inbox row; a staff
   * action has none, and its row says 0, as a rebuilt one does.
   */
  streamSeq?: number;
  events: readonly ConversationEvent[];
  outbox: OutboxDecision;
}

export type CommitOutcome = 'written' | 'applied-before' | 'conflict';

/**
 * Commits decisions in one statement, so one round trip and an implicit transaction for any
 * number of them: a handled message used to pay six (begin, inbox, state, history, outbox, commit),
 * inside its partition's one-at-a-time turn. The rows are what projection.ts reads out of each
 * decision's events, as a rebuild reads them. A decision that changed its conversation writes it
 * on the condition that the version it was decided on is still the stored one and, for an inbound
 * message, that its inbox row is absent; one that changed none (a message to an unknown number)
 * on its inbox row alone. Its history, outbox and inbox rows hang off that write; the inbox row is
 * inserted without `on conflict`, so a duplicate committed meanwhile fails the statement rather
 * than leaving half of it (coalesce then retries the batch's decisions one by one). A batch holds
 * each conversation once (ConversationStore splits it otherwise). Decisions published meanwhile
 * leave the outbox in the same statement: a DELETE of their own was a round trip more for every
 * few messages.
 */
export async function commitDecisions(
  db: Db,
  commits: readonly Commit[],
  /** Published decisions to remove from the outbox in the same statement (ConversationStore.notePublished). */
  published: readonly string[] = [],
): Promise<CommitOutcome[]> {
  const decisions = commits.map((commit, n) => decisionRow(commit, n));
  const history = decisions.flatMap(({ n, rows }) => rows.messages.map((message) => ({ ...message, d: n })));
  // A decision's rows travel as JSON inside the statement's one parameter and are stored as the
  // text of that (unpublished() parses it back). Stringified on their own first, each payload was
  // escaped twice and the rows run through JSON.stringify twice, on every commit.
  const outbox = commits.flatMap((commit, n) =>
    commit.outbox.rows.length > 0
      ? [{ d: n, causation_id: commit.outbox.causationId, messages: commit.outbox.rows }]
      : [],
  );
  const conversations = sql.id(SCHEMA, 'conversations');
  const result = await sql<{ written: boolean; applied_before: boolean }>`
    with input as (
      select * from ${jsonRecords(
        decisions.map((decision) => decision.input),
        `n int, id text, changed boolean, business_id text, phone_number_id text, guest_id text, guest_name text,
         state jsonb, changes int, expected int, mode text, handoff_until timestamptz, language text, phase text,
         at timestamptz, inbound int, count int, event_id text, stream_seq bigint,
         waiting_since timestamptz, taken_by text, last_inbound_at timestamptz, preview text`,
      )} as i
    ),
    checked as (
      select i.*, seen.hit is not null as seen_before
      from input i left join lateral ${inboxProbe(sql.ref('i.event_id'))} seen on true
    ),
    fresh as (select * from checked where event_id is null or not seen_before),
    updated as (
      update ${conversations} c set
        state = f.state, version = f.expected + f.changes, mode = f.mode, handoff_until = f.handoff_until,
        language = f.language, phase = f.phase, updated_at = f.at,
        guest_name = coalesce(f.guest_name, c.guest_name),
        last_message_at = case when f.inbound > 0 then f.at else c.last_message_at end,
        message_count = c.message_count + f.count,
        unread_count = c.unread_count + f.inbound,
        waiting_since = f.waiting_since, taken_by = f.taken_by,
        last_inbound_at = coalesce(f.last_inbound_at, c.last_inbound_at),
        last_message_preview = coalesce(f.preview, c.last_message_preview)
      from fresh f
      where f.changed and c.id = f.id and f.expected > 0 and c.version = f.expected
      returning c.id
    ),
    inserted as (
      insert into ${conversations} (id, business_id, phone_number_id, guest_id, guest_name, state, version,
        mode, handoff_until, language, phase, last_message_at, message_count, updated_at,
        unread_count, waiting_since, taken_by, last_inbound_at, last_message_preview)
      select f.id, f.business_id, f.phone_number_id, f.guest_id, f.guest_name, f.state, f.changes, f.mode,
        f.handoff_until, f.language, f.phase, f.at, f.count, f.at,
        f.inbound, f.waiting_since, f.taken_by, f.last_inbound_at, coalesce(f.preview, '')
      from fresh f where f.changed and f.expected = 0
      on conflict (id) do nothing
      returning id
    ),
    written as (
      select f.n from fresh f join (select id from updated union all select id from inserted) w on w.id = f.id
      union all
      select f.n from fresh f where not f.changed
    ),
    inbox_rows as (
      insert into ${sql.id(SCHEMA, 'inbox')} (consumer, event_id, stream_seq)
      select ${INBOX_CONSUMER}, i.event_id, i.stream_seq from input i join written w on w.n = i.n
      where i.event_id is not null
    ),
    history as (
      insert into ${sql.id(SCHEMA, 'messages')} (conversation_id, id, direction, kind, text, intent, at, author)
      select m.conversation_id, m.id, m.direction, m.kind, m.text, m.intent, m.at, m.author
      from ${numberedRecords(
        history,
        'conversation_id text, id text, direction text, kind text, text text, intent text, at timestamptz, author text, d int, n int',
      )} as m
      join written w on w.n = m.d
      order by m.n
      on conflict (direction, id) do nothing
    ),
    outbox as (
      insert into ${sql.id(SCHEMA, 'outbox_decisions')} (causation_id, messages)
      select o.causation_id, o.messages::text
      from ${numberedRecords(outbox, 'd int, causation_id text, messages jsonb, n int')} as o
      join written w on w.n = o.d
      order by o.n
      on conflict (causation_id) do nothing
    )${
      published.length > 0
        ? sql`,
    removed as (
      delete from ${sql.id(SCHEMA, 'outbox_decisions')} where causation_id in ${keyList(published)}
    )`
        : sql``
    }
    select exists (select 1 from written w where w.n = c.n) as written,
           c.event_id is not null and c.seen_before as applied_before
    from checked c order by c.n`.execute(db);
  return result.rows.map((row) =>
    row.written ? 'written' : row.applied_before ? 'applied-before' : 'conflict',
  );
}

/** One decision's line of the statement's input, and the rows its events put in the tables. */
function decisionRow(commit: Commit, n: number) {
  const rows = tableRows(commit.events);
  const [conversation, ...others] = rows.conversations;
  if (others.length > 0 || (conversation && conversation.id !== commit.conversationId))
    throw new Error(`a decision on ${commit.conversationId} changes another conversation`);
  const [eventId] = rows.inbox;
  return {
    n,
    rows,
    input: {
      n,
      id: commit.conversationId,
      changed: conversation !== undefined,
      business_id: conversation?.business_id ?? null,
      phone_number_id: conversation?.phone_number_id ?? null,
      guest_id: conversation?.guest_id ?? null,
      guest_name: conversation?.guest_name ?? null,
      state: conversation?.state ?? null,
      changes: conversation?.changes ?? 0,
      expected: commit.expectedVersion,
      mode: conversation?.mode ?? null,
      handoff_until: conversation?.handoff_until ?? null,
      language: conversation?.language ?? null,
      phase: conversation?.phase ?? null,
      at: conversation?.updated_at ?? null,
      inbound: rows.messages.filter((message) => message.direction === 'in').length,
      count: rows.messages.length,
      event_id: eventId ?? null,
      stream_seq: eventId === undefined ? null : (commit.streamSeq ?? 0),
      waiting_since: conversation?.waiting_since ?? null,
      taken_by: conversation?.taken_by ?? null,
      last_inbound_at: conversation?.last_inbound_at ?? null,
      preview: conversation?.preview ?? null,
    },
  };
}

/**
 * Whether the inbox has an event, as a LATERAL source (`hit` is true, or no row): one index probe
 * per event, whatever the planner thinks of the inbox's size. As a plain `exists`, a plan made
 * while the inbox was small (stale statistics, a cached generic plan) hashed every inbox row of
 * the consumer instead, on each commit: its cost grew with every message ever handled.
 */
export const inboxProbe = (eventId: ReturnType<typeof sql.ref>) =>
  sql`(select true as hit from ${sql.id(SCHEMA, 'inbox')}
       where consumer = ${INBOX_CONSUMER} and event_id = ${eventId} limit 1)`;

/** Rows as a FROM source, each with its position `n`: serials follow it. */
const numberedRecords = (rows: readonly object[], columns: string) =>
  jsonRecords(
    rows.map((row, n) => ({ ...row, n })),
    columns,
  );
