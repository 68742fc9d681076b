import {
  CONVERSATION_EVENT_TYPES,
  type ConversationTurnRecorded,
  DIALOGUE_EVENT_TYPES,
  type DialogueStateChanged,
} from '@reserveit/contracts';
import type { Insertable } from 'kysely';
import type { MessagesTable } from './database.js';
import type { ConversationEvent } from './decider/index.js';
import type { ConversationState } from './dialogue/index.js';

/** A conversation's row as its state changes among some events leave it (the last one wins). */
export interface ConversationRow {
  id: string;
  business_id: string;
  phone_number_id: string;
  /** '' for events written before the guest's id was added to them: such a row is history only. */
  guest_id: string;
  guest_name: string | null;
  state: ConversationState;
  /** How many state changes: every one was one write, so one version each. */
  changes: number;
  mode: 'bot' | 'human';
  handoff_until: string | null;
  language: string;
  phase: string;
  /** The staff inbox's columns, from the dialogue state (dialogue/types.ts Handoff). */
  waiting_since: string | null;
  taken_by: string | null;
  last_inbound_at: string | null;
  /** The last message among these events, cut to PREVIEW_LENGTH; null when they hold none. */
  preview: string | null;
  /** When the first of these changes happened; `updated_at` the last. */
  created_at: string;
  updated_at: string;
}

/** How much of the last message the inbox shows. */
export const PREVIEW_LENGTH = 120;

/**
 * A message's first PREVIEW_LENGTH UTF-16 units, never ending in half an emoji: an unpaired
 * surrogate would fail the statement it is written in.
 */
export function previewOf(text: string): string {
  const cut = text.slice(0, PREVIEW_LENGTH);
  return /[\uD800-\uDBFF]$/.test(cut) ? cut.slice(0, -1) : cut;
}

/** A message of the history (conversation.messages), from a turn; `at` is the event's ISO time. */
export type HistoryRow = Required<Omit<Insertable<MessagesTable>, 'seq' | 'at'>> & { at: string };

export interface TableRows {
  conversations: ConversationRow[];
  messages: HistoryRow[];
  /** The causes the events answered (inbound wamids, `staff:<id>` actions): each has its inbox row. */
  inbox: string[];
}

/**
 * What CONVERSATIONS events put in the conversation tables: each conversation from its last state
 * change (every change carries the whole dialogue state), the history from the turns, the inbox
 * from the causes the decisions name (an inbound message's wamid, a staff action's id), so a
 * redelivered message or a retried staff call is recognised, also after a rebuild. The one
 * reading of the events, for the live commit (one decision's events: conversation-store.ts) and
 * for a rebuild from the stream (many decisions: rebuild.ts).
 */
export function tableRows(events: Iterable<ConversationEvent>): TableRows {
  const conversations = new Map<string, ConversationRow>();
  const messages: HistoryRow[] = [];
  const inbox: string[] = [];
  // A staff reply's turn is an assistant turn; the staffReplied event before it names who wrote it.
  const staffOf = new Map<string, string>();
  const lastText = new Map<string, string>();
  for (const event of events) {
    switch (event.type) {
      case CONVERSATION_EVENT_TYPES.turnRecorded: {
        const row = historyRow(event, staffOf);
        messages.push(row);
        lastText.set(event.conversationId, row.text);
        break;
      }
      case DIALOGUE_EVENT_TYPES.stateChanged: {
        const seen = conversations.get(event.conversationId);
        conversations.set(
          event.conversationId,
          conversationRow(event, seen, lastText.get(event.conversationId)),
        );
        lastText.delete(event.conversationId);
        inbox.push(event.causationId);
        break;
      }
      case DIALOGUE_EVENT_TYPES.staffReplied:
        staffOf.set(event.commandId, event.staff);
        break;
      case DIALOGUE_EVENT_TYPES.unknownBusiness:
        inbox.push(event.causationId);
        break;
      case DIALOGUE_EVENT_TYPES.intentInterpreted:
      case DIALOGUE_EVENT_TYPES.replyRequested:
      case DIALOGUE_EVENT_TYPES.noted:
        break;
      default: {
        const never: never = event;
        throw new Error(`unknown event ${JSON.stringify(never)}`);
      }
    }
  }
  return { conversations: [...conversations.values()], messages, inbox };
}

/**
 * A turn as a history row. Events written before turns carried `messageId` and `kind` name the
 * message through their id (`<conversation>:<wamid>:guest`, `<conversation>:<wamid>:<n>:assistant`,
 * as decider/recorder.ts builds them); their kind is taken as text.
 */
export function historyRow(
  turn: ConversationTurnRecorded,
  staffOf: ReadonlyMap<string, string> = new Map(),
): HistoryRow {
  const fromId =
    turn.role === 'guest'
      ? turn.id.slice(turn.conversationId.length + 1, -':guest'.length)
      : turn.id.slice(0, -':assistant'.length);
  const id = turn.messageId ?? fromId;
  const staff = staffOf.get(id);
  return {
    conversation_id: turn.conversationId,
    id,
    direction: turn.role === 'guest' ? 'in' : 'out',
    kind: turn.kind ?? 'text',
    text: turn.text,
    intent: turn.intent ?? null,
    at: turn.occurredAt,
    author: turn.role === 'guest' ? 'guest' : staff !== undefined ? `staff:${staff}` : 'bot',
  };
}

function conversationRow(
  change: DialogueStateChanged,
  seen: ConversationRow | undefined,
  lastText: string | undefined,
): ConversationRow {
  const state = change.state as unknown as ConversationState;
  const handoffUntil = state.handoff?.until ?? null;
  const preview = lastText ?? seen?.preview ?? undefined;
  return {
    id: change.conversationId,
    business_id: change.businessId,
    phone_number_id: change.phoneNumberId,
    guest_id: change.guestId ?? seen?.guest_id ?? '',
    guest_name: change.guestName ?? seen?.guest_name ?? null,
    state,
    changes: (seen?.changes ?? 0) + 1,
    mode: handoffUntil ? 'human' : 'bot',
    handoff_until: handoffUntil,
    language: state.language,
    phase: change.phase,
    waiting_since: state.handoff?.waitingSince ?? null,
    taken_by: state.handoff?.staff ?? null,
    last_inbound_at: state.lastInboundAt ?? seen?.last_inbound_at ?? null,
    preview: preview === undefined ? null : previewOf(preview),
    created_at: seen?.created_at ?? change.occurredAt,
    updated_at: change.occurredAt,
  };
}
