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
  /** When the first of these changes happened; `updated_at` the last. */
  created_at: string;
  updated_at: string;
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
  for (const event of events) {
    switch (event.type) {
      case CONVERSATION_EVENT_TYPES.turnRecorded:
        messages.push(historyRow(event));
        break;
      case DIALOGUE_EVENT_TYPES.stateChanged: {
        const seen = conversations.get(event.conversationId);
        conversations.set(event.conversationId, conversationRow(event, seen));
        inbox.push(event.causationId);
        break;
      }
      case DIALOGUE_EVENT_TYPES.unknownBusiness:
        inbox.push(event.causationId);
        break;
      case DIALOGUE_EVENT_TYPES.intentInterpreted:
      case DIALOGUE_EVENT_TYPES.replyRequested:
      case DIALOGUE_EVENT_TYPES.noted:
      case DIALOGUE_EVENT_TYPES.staffReplied:
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
export function historyRow(turn: ConversationTurnRecorded): HistoryRow {
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

function conversationRow(change: DialogueStateChanged, seen: ConversationRow | undefined): ConversationRow {
  const state = change.state as unknown as ConversationState;
  const handoffUntil = state.handoff?.until ?? null;
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
    created_at: seen?.created_at ?? change.occurredAt,
    updated_at: change.occurredAt,
  };
}
