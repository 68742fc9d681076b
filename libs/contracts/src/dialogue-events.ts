import { z } from 'zod';

/**
 * The conversation service's decisions on the CONVERSATIONS stream, beside the turns of
 * conversation-events.ts (which the intent service's memory reads), all of one decision in one
 * `conversation.decided` message (below). Together they rebuild the conversation projection:
 * every state change carries the whole dialogue state. Loose objects, so a reader of v1 keeps
 * fields a newer writer adds.
 */
export const DIALOGUE_EVENT_TYPES = {
  intentInterpreted: 'conversation.intent.interpreted',
  stateChanged: 'conversation.state.changed',
  replyRequested: 'conversation.reply.requested',
  noted: 'conversation.dialogue.noted',
  unknownBusiness: 'conversation.business.unknown',
  staffReplied: 'conversation.staff.replied',
} as const;

const base = {
  v: z.literal(1),
  /** Also the Nats-Msg-Id: `<conversation>:<inbound wamid>:<what>`, or `<conversation>:staff:<uuid>`. */
  id: z.string().min(1),
  conversationId: z.string().min(1),
  occurredAt: z.iso.datetime(),
  /** The inbound message (wamid) or staff action that caused it. */
  causationId: z.string().min(1),
};

export const intentInterpretedSchema = z.looseObject({
  ...base,
  type: z.literal(DIALOGUE_EVENT_TYPES.intentInterpreted),
  businessId: z.string().min(1),
  intent: z.string(),
  entities: z.record(z.string(), z.union([z.string(), z.number()])),
  language: z.string().optional(),
  /** rules | llm | fallback (intent.v1 unreachable: the conversation service's own understanding). */
  source: z.enum(['rules', 'llm', 'fallback']),
  confidence: z.number().min(0).max(1).optional(),
  latencyMs: z.number().nonnegative().optional(),
  /** Why the fallback answered: the gRPC status of the failed call. */
  fallbackReason: z.string().optional(),
});

export const dialogueStateChangedSchema = z.looseObject({
  ...base,
  type: z.literal(DIALOGUE_EVENT_TYPES.stateChanged),
  businessId: z.string().min(1),
  phoneNumberId: z.string().min(1),
  phase: z.string().min(1),
  /** The whole dialogue state after the change (the conversation service's own JSON shape, v inside). */
  state: z.record(z.string(), z.unknown()),
  /** The guest's WhatsApp id (replies go to it) and profile name; absent in events written before they were added. */
  guestId: z.string().min(1).optional(),
  guestName: z.string().optional(),
});

export const replyRequestedSchema = z.looseObject({
  ...base,
  type: z.literal(DIALOGUE_EVENT_TYPES.replyRequested),
  businessId: z.string().min(1),
  /** The OUTBOUND command's dedupe key. */
  commandId: z.string().min(1),
  kind: z.enum(['text', 'buttons', 'list', 'template', 'read']),
});

export const dialogueNotedSchema = z.looseObject({
  ...base,
  type: z.literal(DIALOGUE_EVENT_TYPES.noted),
  businessId: z.string().min(1),
  /** session.reset, rate.limited, handoff.started, handoff.released, turn.ignored, reservation.booked … */
  note: z.string().min(1),
  detail: z.record(z.string(), z.unknown()).default({}),
});

/** A message to a phone_number_id no business is registered with: recorded, never answered. */
export const unknownBusinessSchema = z.looseObject({
  ...base,
  type: z.literal(DIALOGUE_EVENT_TYPES.unknownBusiness),
  phoneNumberId: z.string().min(1),
});

/**
 * A staff member wrote to the guest (conversation.v1 Reply, allowed while the conversation is handed
 * off to staff). Its text is in the assistant turn of the same decision, like any reply's. Not a
 * member of dialogueEventSchema (below): readers that switch over its types exhaustively skip it
 * as an unknown event rather than changing with it.
 */
export const staffRepliedSchema = z.looseObject({
  ...base,
  type: z.literal(DIALOGUE_EVENT_TYPES.staffReplied),
  businessId: z.string().min(1),
  /** The OUTBOUND command's dedupe key, `<conversation>:staff:<uuid>:1`. */
  commandId: z.string().min(1),
  /** Who wrote it, as the staff tool named them (may be empty). */
  staff: z.string().max(200),
});

export const dialogueEventSchema = z.discriminatedUnion('type', [
  intentInterpretedSchema,
  dialogueStateChangedSchema,
  replyRequestedSchema,
  dialogueNotedSchema,
  unknownBusinessSchema,
]);

export type IntentInterpreted = z.infer<typeof intentInterpretedSchema>;
export type DialogueStateChanged = z.infer<typeof dialogueStateChangedSchema>;
export type ReplyRequested = z.infer<typeof replyRequestedSchema>;
export type DialogueNoted = z.infer<typeof dialogueNotedSchema>;
export type UnknownBusiness = z.infer<typeof unknownBusinessSchema>;
export type StaffReplied = z.infer<typeof staffRepliedSchema>;
export type DialogueEvent = z.infer<typeof dialogueEventSchema>;

export const DECISION_EVENT_TYPE = 'conversation.decided';

/**
 * One decision of the conversation service as one CONVERSATIONS message: the turns and dialogue
 * events it made, each as it is on its own (own id and type), in the order they happened. Written
 * this way since one guest message made five to seven messages on the stream, each costing
 * JetStream a store and an acknowledgement; and a decision is now appended whole or not at all
 * (nats-server 2.9 has no batch publish), so no reader sees a state change without its turns.
 * Id `<conversation>:<cause>:decided`.
 */
export const conversationDecidedSchema = z.looseObject({
  ...base,
  type: z.literal(DECISION_EVENT_TYPE),
  events: z.array(z.looseObject({ type: z.string() })).min(1),
});
export type ConversationDecided = z.infer<typeof conversationDecidedSchema>;

/**
 * The turns and dialogue events one CONVERSATIONS message holds: a decision's, in order, or the
 * message itself (streams keep the events written one by one before decisions were published whole).
 */
export function conversationEventsOf(raw: unknown): unknown[] {
  const decided = conversationDecidedSchema.safeParse(raw);
  return decided.success ? decided.data.events : [raw];
}
