import {
  type ConversationDecided,
  DECISION_EVENT_TYPE,
  DIALOGUE_EVENT_TYPES,
  type SendRequested,
  type Topology,
} from '@reserveit/contracts';
import type { OutboxDecision, OutboxRow } from './commit-statement.js';
import type { ConversationEvent } from './decider/index.js';
import { carryReadReceipts, outboundSubject } from './outbound-commands.js';

/**
 * What a decision publishes, in order: its OUTBOUND commands (the replies, the first carrying the
 * read receipt of the message it answers; a receipt no reply carries goes first, alone), then its
 * events on CONVERSATIONS. A decision that changed a conversation goes as one
 * `conversation.decided` message (id `<conversation>:<cause>:decided`) holding its events, so the
 * stream stores it whole or not at all; a message to an unknown number changed none and goes as its
 * one event, as it always has. Msg-Id = row id.
 */
export function outboxOf(
  topology: Topology,
  decision: {
    conversationId: string;
    causationId: string;
    at: string;
    events: readonly ConversationEvent[];
    sends: readonly SendRequested[];
  },
): OutboxDecision {
  const { conversationId, causationId, at, events } = decision;
  const subject = topology.subjects.conversationEvent(conversationId);
  const rows: OutboxRow[] = carryReadReceipts(decision.sends).map((command) =>
    row(outboundSubject(topology, command), command.id, command),
  );
  if (events.some((event) => event.type === DIALOGUE_EVENT_TYPES.stateChanged)) {
    const id = `${conversationId}:${causationId}:decided`;
    const whole: ConversationDecided = {
      v: 1,
      id,
      type: DECISION_EVENT_TYPE,
      conversationId,
      occurredAt: at,
      causationId,
      events: [...events],
    };
    rows.push(row(subject, id, whole));
  } else {
    for (const event of events) rows.push(row(subject, event.id, event));
  }
  return { causationId, rows };
}

function row(subject: string, id: string, payload: unknown): OutboxRow {
  return { id, subject, payload: JSON.stringify(payload) };
}
