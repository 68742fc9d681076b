import { z } from 'zod';

/**
 * Events the conversation service publishes on the CONVERSATIONS stream: one per turn of a
 * conversation, the guest's and the assistant's (a staff member's reply is an assistant turn too:
 * it is the restaurant speaking). The intent service projects the last turns
 * into its conversation memory. `conversationId` is opaque (never a phone number: it becomes a
 * subject token, and subjects show up in traces).
 */
export const CONVERSATION_EVENT_TYPES = {
  turnRecorded: 'conversation.turn.recorded',
} as const;

export const conversationTurnRecordedSchema = z.looseObject({
  v: z.literal(1),
  /** Also the Nats-Msg-Id, e.g. `<conversation>:<inbound wamid>:guest`. */
  id: z.string().min(1),
  type: z.literal(CONVERSATION_EVENT_TYPES.turnRecorded),
  conversationId: z.string().min(1),
  businessId: z.string().min(1),
  occurredAt: z.iso.datetime(),
  role: z.enum(['guest', 'assistant']),
  /** What was said (for an interactive reply, its title). */
  text: z.string().max(4096),
  /** The intent the turn was understood as, for guest turns. */
  intent: z.string().optional(),
  /**
   * The message in the conversation's history: the guest's wamid, or the reply's send command id.
   * Absent in events written before it was added.
   */
  messageId: z.string().min(1).optional(),
  /** The WhatsApp message type (text, interactive, image …) or the reply's kind (text, buttons, list …). */
  kind: z.string().min(1).optional(),
});
export type ConversationTurnRecorded = z.infer<typeof conversationTurnRecordedSchema>;
