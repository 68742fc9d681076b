import type { JsMsg } from '@nats-io/jetstream';
import {
  CONVERSATION_EVENT_TYPES,
  type ConversationTurnRecorded,
  conversationEventsOf,
  conversationTurnRecordedSchema,
  DIALOGUE_EVENT_TYPES,
  type DialogueStateChanged,
  dialogueStateChangedSchema,
  unknownBusinessSchema,
} from '@reserveit/contracts';
import { jsonRecords } from '@reserveit/db';
import { sql } from 'kysely';
import { INBOX_CONSUMER } from './conversation-store.js';
import { type Db, SCHEMA } from './database.js';
import type { ConversationState } from './dialogue/index.js';

type Message = Pick<JsMsg, 'seq' | 'json'>;

/** One conversation's state changes within a batch, folded: the last one wins, each one is a version. */
interface Folded {
  last: DialogueStateChanged;
  first: string;
  changes: number;
  guestId: string | undefined;
  guestName: string | undefined;
}

/**
 * Rebuilds the conversation tables from CONVERSATIONS, a batch of events in stream order at a
 * time, in one transaction (run by `reserveit-ops replay conversation --in-place` with the service
 * stopped): history from the turns, each conversation from its last state change (every change was
 * one write, so their count is its version), and the inbox from the inbound messages the decisions
 * name, so a redelivered message is still recognised. Columns the events do not carry are
 * derived as the service derives them: message_count and last_message_at from the history.
 * `schema` is another one only for a rebuild elsewhere, whose `db` redirects the tables too.
 */
export async function applyConversationEvents(
  db: Db,
  messages: readonly Message[],
  schema = SCHEMA,
): Promise<void> {
  const turns: ConversationTurnRecorded[] = [];
  const states = new Map<string, Folded>();
  const handled: string[] = [];
  for (const raw of messages.flatMap((message) => conversationEventsOf(readJson(message)))) {
    const type = typeof raw === 'object' && raw !== null && 'type' in raw ? raw.type : undefined;
    if (type === CONVERSATION_EVENT_TYPES.turnRecorded) {
      const turn = conversationTurnRecordedSchema.safeParse(raw);
      if (turn.success) turns.push(turn.data);
    } else if (type === DIALOGUE_EVENT_TYPES.stateChanged) {
      const change = dialogueStateChangedSchema.safeParse(raw);
      if (!change.success) continue;
      const event = change.data;
      const seen = states.get(event.conversationId);
      states.set(event.conversationId, {
        last: event,
        first: seen?.first ?? event.occurredAt,
        changes: (seen?.changes ?? 0) + 1,
        guestId: event.guestId ?? seen?.guestId,
        guestName: event.guestName ?? seen?.guestName,
      });
      if (!event.causationId.startsWith('staff:')) handled.push(event.causationId);
    } else if (type === DIALOGUE_EVENT_TYPES.unknownBusiness) {
      const unknown = unknownBusinessSchema.safeParse(raw);
      if (unknown.success) handled.push(unknown.data.causationId);
    }
  }
  await db.transaction().execute(async (trx) => {
    if (turns.length > 0) {
      const rows = turns.map((turn, n) => ({ ...historyRow(turn), n }));
      await sql`
        insert into ${sql.id(schema, 'messages')} (conversation_id, id, direction, kind, text, intent, at)
        select m.conversation_id, m.id, m.direction, m.kind, m.text, m.intent, m.at
        from ${jsonRecords(
          rows,
          'conversation_id text, id text, direction text, kind text, text text, intent text, at timestamptz, n int',
        )} as m
        order by m.n
        on conflict (direction, id) do nothing`.execute(trx);
    }
    if (states.size > 0) {
      const rows = [...states.values()].map(conversationRow);
      await sql`
        insert into ${sql.id(schema, 'conversations')} as c (id, business_id, phone_number_id, guest_id, guest_name,
          state, version, mode, handoff_until, language, phase, last_message_at, message_count, created_at, updated_at)
        select r.id, r.business_id, r.phone_number_id, r.guest_id, r.guest_name, r.state, r.version, r.mode,
          r.handoff_until, r.language, r.phase, r.created_at, 0, r.created_at, r.updated_at
        from ${jsonRecords(
          rows,
          `id text, business_id text, phone_number_id text, guest_id text, guest_name text, state jsonb,
           version int, mode text, handoff_until timestamptz, language text, phase text,
           created_at timestamptz, updated_at timestamptz`,
        )} as r
        on conflict (id) do update set
          state = excluded.state, version = c.version + excluded.version, mode = excluded.mode,
          handoff_until = excluded.handoff_until, language = excluded.language, phase = excluded.phase,
          guest_id = coalesce(nullif(excluded.guest_id, ''), c.guest_id),
          guest_name = coalesce(excluded.guest_name, c.guest_name), updated_at = excluded.updated_at`.execute(
        trx,
      );
      await sql`
        update ${sql.id(schema, 'conversations')} c
        set message_count = h.n, last_message_at = coalesce(h.last_in, c.last_message_at)
        from (
          select conversation_id, count(*)::int as n, max(at) filter (where direction = 'in') as last_in
          from ${sql.id(schema, 'messages')} where conversation_id = any(${[...states.keys()]}::text[])
          group by conversation_id
        ) h
        where c.id = h.conversation_id`.execute(trx);
    }
    if (handled.length > 0) {
      // The inbound message's own stream sequence is not in the events: 0 marks a rebuilt row.
      await sql`
        insert into ${sql.id(schema, 'inbox')} (consumer, event_id, stream_seq)
        select ${INBOX_CONSUMER}, event_id, 0 from unnest(${handled}::text[]) as h(event_id)
        on conflict do nothing`.execute(trx);
    }
  });
}

function readJson(message: Message): unknown {
  try {
    return message.json<unknown>();
  } catch {
    return undefined;
  }
}

/**
 * A turn as a history row. Events written before turns carried `messageId` and `kind` name the
 * message through their id (`<conversation>:<wamid>:guest`, `<conversation>:<wamid>:<n>:assistant`,
 * as decisionRecords builds them); their kind is taken as text.
 */
export function historyRow(turn: ConversationTurnRecorded) {
  const fromId =
    turn.role === 'guest'
      ? turn.id.slice(turn.conversationId.length + 1, -':guest'.length)
      : turn.id.slice(0, -':assistant'.length);
  return {
    conversation_id: turn.conversationId,
    id: turn.messageId ?? fromId,
    direction: turn.role === 'guest' ? 'in' : 'out',
    kind: turn.kind ?? 'text',
    text: turn.text,
    intent: turn.intent ?? null,
    at: turn.occurredAt,
  };
}

function conversationRow({ last, first, changes, guestId, guestName }: Folded) {
  const state = last.state as unknown as ConversationState;
  const handoffUntil = state.handoff?.until ?? null;
  return {
    id: last.conversationId,
    business_id: last.businessId,
    phone_number_id: last.phoneNumberId,
    // Events from before the guest's id was added leave it unknown: such a row is history only.
    guest_id: guestId ?? '',
    guest_name: guestName ?? null,
    state,
    version: changes,
    mode: handoffUntil ? 'human' : 'bot',
    handoff_until: handoffUntil,
    language: state.language,
    phase: last.phase,
    created_at: first,
    updated_at: last.occurredAt,
  };
}
