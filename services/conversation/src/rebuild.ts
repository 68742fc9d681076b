import type { JsMsg } from '@nats-io/jetstream';
import {
  CONVERSATION_EVENT_TYPES,
  conversationEventsOf,
  conversationTurnRecordedSchema,
  DIALOGUE_EVENT_TYPES,
  dialogueStateChangedSchema,
  staffRepliedSchema,
  unknownBusinessSchema,
} from '@reserveit/contracts';
import { jsonRecords } from '@reserveit/db';
import { sql } from 'kysely';
import { INBOX_CONSUMER } from './conversation-store.js';
import { type Db, SCHEMA } from './database.js';
import type { ConversationEvent } from './decider/index.js';
import { tableRows } from './projection.js';

type Message = Pick<JsMsg, 'seq' | 'json'>;

/** The schemas of the events that touch the tables; the others are only skipped. */
const TABLE_EVENTS = {
  [CONVERSATION_EVENT_TYPES.turnRecorded]: conversationTurnRecordedSchema,
  [DIALOGUE_EVENT_TYPES.stateChanged]: dialogueStateChangedSchema,
  [DIALOGUE_EVENT_TYPES.unknownBusiness]: unknownBusinessSchema,
  // Names the staff member who wrote a reply: its turn's author.
  [DIALOGUE_EVENT_TYPES.staffReplied]: staffRepliedSchema,
} as const;

/**
 * Rebuilds the conversation tables from CONVERSATIONS, a batch of events in stream order at a
 * time, in one transaction (run by `reserveit-ops replay conversation --in-place` with the service
 * stopped). The rows are what the live commit writes for the same events (projection.ts); here
 * each conversation's versions add up, and the columns the events do not carry are derived as
 * the service derives them: message_count and last_message_at from the history. `schema` is
 * another one only for a rebuild elsewhere, whose `db` redirects the tables too.
 */
export async function applyConversationEvents(
  db: Db,
  messages: readonly Message[],
  schema = SCHEMA,
): Promise<void> {
  const rows = tableRows(
    messages.flatMap((message) => conversationEventsOf(readJson(message)).flatMap(parsed)),
  );
  await db.transaction().execute(async (trx) => {
    if (rows.messages.length > 0) {
      await sql`
        insert into ${sql.id(schema, 'messages')} (conversation_id, id, direction, kind, text, intent, at, author)
        select m.conversation_id, m.id, m.direction, m.kind, m.text, m.intent, m.at, m.author
        from ${jsonRecords(
          rows.messages.map((row, n) => ({ ...row, n })),
          'conversation_id text, id text, direction text, kind text, text text, intent text, at timestamptz, author text, n int',
        )} as m
        order by m.n
        on conflict (direction, id) do nothing`.execute(trx);
    }
    if (rows.conversations.length > 0) {
      await sql`
        insert into ${sql.id(schema, 'conversations')} as c (id, business_id, phone_number_id, guest_id, guest_name,
          state, version, mode, handoff_until, language, phase, last_message_at, message_count, created_at, updated_at,
          waiting_since, taken_by, last_message_preview)
        select r.id, r.business_id, r.phone_number_id, r.guest_id, r.guest_name, r.state, r.changes, r.mode,
          r.handoff_until, r.language, r.phase, r.created_at, 0, r.created_at, r.updated_at,
          r.waiting_since, r.taken_by, coalesce(r.preview, '')
        from ${jsonRecords(
          rows.conversations,
          `id text, business_id text, phone_number_id text, guest_id text, guest_name text, state jsonb,
           changes int, mode text, handoff_until timestamptz, language text, phase text,
           created_at timestamptz, updated_at timestamptz, waiting_since timestamptz, taken_by text, preview text`,
        )} as r
        on conflict (id) do update set
          state = excluded.state, version = c.version + excluded.version, mode = excluded.mode,
          handoff_until = excluded.handoff_until, language = excluded.language, phase = excluded.phase,
          waiting_since = excluded.waiting_since, taken_by = excluded.taken_by,
          last_message_preview = coalesce(nullif(excluded.last_message_preview, ''), c.last_message_preview),
          guest_id = coalesce(nullif(excluded.guest_id, ''), c.guest_id),
          guest_name = coalesce(excluded.guest_name, c.guest_name), updated_at = excluded.updated_at`.execute(
        trx,
      );
      // Reads (MarkRead) are not events: after a rebuild every guest message counts as unread.
      await sql`
        update ${sql.id(schema, 'conversations')} c
        set message_count = h.n, last_message_at = coalesce(h.last_in, c.last_message_at),
          last_inbound_at = h.last_in, unread_count = h.unread
        from (
          select conversation_id, count(*)::int as n, max(at) filter (where direction = 'in') as last_in,
            (count(*) filter (where direction = 'in'))::int as unread
          from ${sql.id(schema, 'messages')}
          where conversation_id = any(${rows.conversations.map((row) => row.id)}::text[])
          group by conversation_id
        ) h
        where c.id = h.conversation_id`.execute(trx);
    }
    if (rows.inbox.length > 0) {
      // The inbound message's own stream sequence is not in the events: 0 marks a rebuilt row.
      await sql`
        insert into ${sql.id(schema, 'inbox')} (consumer, event_id, stream_seq)
        select ${INBOX_CONSUMER}, event_id, 0 from unnest(${rows.inbox}::text[]) as h(event_id)
        on conflict do nothing`.execute(trx);
    }
  });
}

/** An event the tables are built from, checked against its contract; anything else is skipped. */
function parsed(raw: unknown): ConversationEvent[] {
  const type = typeof raw === 'object' && raw !== null && 'type' in raw ? raw.type : undefined;
  if (typeof type !== 'string' || !Object.hasOwn(TABLE_EVENTS, type)) return [];
  const event = TABLE_EVENTS[type as keyof typeof TABLE_EVENTS].safeParse(raw);
  return event.success ? [event.data] : [];
}

function readJson(message: Message): unknown {
  try {
    return message.json<unknown>();
  } catch {
    return undefined;
  }
}
