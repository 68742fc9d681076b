import {
  CONVERSATION_EVENT_TYPES,
  type ConversationDecided,
  type ConversationTurnRecorded,
  DECISION_EVENT_TYPE,
  DIALOGUE_EVENT_TYPES,
  type DialogueEvent,
  type SendRequested,
  sendRequestedSchema,
  type Topology,
} from '@reserveit/contracts';
import type { MessageRow, OutboxRow } from './conversation-store.js';
import type { ConversationState, Effect, Note } from './dialogue/index.js';
import { replyText, toOutboundMessage } from './outbound-message.js';
import type { Interpreted } from './understanding.js';

export interface DecisionContext {
  topology: Topology;
  conversationId: string;
  businessId: string;
  phoneNumberId: string;
  guestId: string;
  /** The guest's profile name as the inbound message gave it (none for a staff action). */
  guestName?: string | undefined;
  /** The inbound wamid, or `staff:<uuid>` for a staff action. */
  causationId: string;
  at: string;
}

/**
 * Everything one decision publishes, with ids derived from the conversation and its cause so a
 * retried decision publishes the same ids: the mark-as-read and replies on OUTBOUND (Msg-Id =
 * `<conversation>:<wamid>:<n>`), and on CONVERSATIONS one `conversation.decided` message with the
 * turns, intent, replies, notes and new state, each under the id it had when published alone.
 */
export function decisionRecords(
  context: DecisionContext,
  decision: {
    inbound?: { text: string; kind: string; interpreted?: Interpreted; markRead: boolean };
    effects: Exclude<Effect, { kind: 'call' }>[];
    state: ConversationState;
  },
): { outbox: OutboxRow[]; messages: MessageRow[] } {
  const { topology, conversationId, businessId, causationId, at } = context;
  const key = `${conversationId}:${causationId}`;
  const outbox: OutboxRow[] = [];
  const messages: MessageRow[] = [];
  /** The turns and dialogue events of this decision, published together as one message. */
  const decided: (DialogueEvent | ConversationTurnRecorded)[] = [];
  const event = (
    id: string,
    body: Omit<DialogueEvent, 'v' | 'id' | 'conversationId' | 'occurredAt' | 'causationId'>,
  ) => decided.push({ v: 1, id, conversationId, occurredAt: at, causationId, ...body } as DialogueEvent);
  const turn = (id: string, message: MessageRow) => {
    const recorded: ConversationTurnRecorded = {
      v: 1,
      id,
      type: CONVERSATION_EVENT_TYPES.turnRecorded,
      conversationId,
      businessId,
      occurredAt: at,
      role: message.direction === 'in' ? 'guest' : 'assistant',
      text: message.text.slice(0, 4096),
      ...(message.intent ? { intent: message.intent } : {}),
      messageId: message.id,
      kind: message.kind,
    };
    decided.push(recorded);
  };
  const command = (id: string, message: SendRequested['message']) =>
    outbox.push(
      row(
        message.kind === 'read'
          ? topology.subjects.outboundRead(context.phoneNumberId)
          : topology.subjects.outboundCommand(context.phoneNumberId, context.guestId),
        id,
        sendRequestedSchema.parse({
          v: 1,
          type: 'whatsapp.send.requested',
          id,
          phoneNumberId: context.phoneNumberId,
          to: context.guestId,
          ...(decision.inbound ? { replyTo: causationId } : {}),
          conversationId,
          requestedAt: at,
          message,
        }),
      ),
    );

  const { inbound } = decision;
  if (inbound) {
    // Blue ticks first, so the guest sees the message read before the answer arrives.
    if (inbound.markRead) command(`${key}:read`, { kind: 'read', messageId: causationId });
    const said: MessageRow = {
      id: causationId,
      direction: 'in',
      kind: inbound.kind,
      text: inbound.text,
      intent: inbound.interpreted?.understanding.intent ?? null,
      at,
    };
    messages.push(said);
    turn(`${key}:guest`, said);
    if (inbound.interpreted) {
      const { understanding, confidence, latencyMs, fallbackReason } = inbound.interpreted;
      event(`${key}:intent`, {
        type: DIALOGUE_EVENT_TYPES.intentInterpreted,
        businessId,
        intent: understanding.intent,
        entities: { ...understanding.entities },
        ...(understanding.language ? { language: understanding.language } : {}),
        source: understanding.source,
        ...(confidence !== undefined ? { confidence } : {}),
        ...(latencyMs !== undefined ? { latencyMs } : {}),
        ...(fallbackReason ? { fallbackReason } : {}),
      });
    }
  }
  let replies = 0;
  let notes = 0;
  for (const effect of decision.effects) {
    if (effect.kind === 'reply') {
      replies += 1;
      const id = `${key}:${replies}`;
      const message = toOutboundMessage(effect.reply);
      command(id, message);
      event(`${id}:requested`, {
        type: DIALOGUE_EVENT_TYPES.replyRequested,
        businessId,
        commandId: id,
        kind: message.kind,
      });
      const reply: MessageRow = {
        id,
        direction: 'out',
        kind: message.kind,
        text: replyText(effect.reply),
        intent: null,
        at,
      };
      turn(`${id}:assistant`, reply);
      messages.push(reply);
    } else {
      notes += 1;
      event(`${key}:note:${notes}`, {
        type: DIALOGUE_EVENT_TYPES.noted,
        businessId,
        note: effect.note.kind,
        detail: noteDetail(effect.note),
      });
    }
  }
  event(`${key}:state`, {
    type: DIALOGUE_EVENT_TYPES.stateChanged,
    businessId,
    phoneNumberId: context.phoneNumberId,
    phase: decision.state.phase.kind,
    state: { ...decision.state },
    guestId: context.guestId,
    ...(context.guestName ? { guestName: context.guestName } : {}),
  });
  const id = `${key}:decided`;
  const whole: ConversationDecided = {
    v: 1,
    id,
    type: DECISION_EVENT_TYPE,
    conversationId,
    occurredAt: at,
    causationId,
    events: decided,
  };
  outbox.push(row(topology.subjects.conversationEvent(conversationId), id, whole));
  return { outbox, messages };
}

function noteDetail(note: Note): Record<string, unknown> {
  const { kind: _kind, ...detail } = note;
  return detail;
}

function row(subject: string, id: string, payload: unknown): OutboxRow {
  return { id, subject, payload: JSON.stringify(payload) };
}
