import { z } from 'zod';
import { summarizeIssues } from './issues.js';
import { webhookErrorSchema } from './webhook-common.js';
import { inboundMessageSchema } from './webhook-message.js';
import { messageStatusSchema } from './webhook-status.js';

/** The events ingress publishes to the WHATSAPP stream, one per item of a verified webhook body. */
export const EVENT_TYPES = {
  messageReceived: 'whatsapp.message.received',
  statusReceived: 'whatsapp.status.received',
  webhookError: 'whatsapp.webhook.error',
  webhookChange: 'whatsapp.webhook.change',
  webhookQuarantined: 'whatsapp.webhook.quarantined',
} as const;

const isoDateTime = z.iso.datetime();

/** Loose so a consumer of v1 keeps fields a newer producer adds. */
const eventBase = {
  v: z.literal(1),
  /** Also the Nats-Msg-Id the event was published with. */
  id: z.string().min(1),
  /** Id of the raw body the event came from (its copy on the raw stream). */
  rawId: z.string().min(1),
  receivedAt: isoDateTime,
};

const phoneNumber = {
  wabaId: z.string().min(1),
  phoneNumberId: z.string().min(1),
  displayPhoneNumber: z.string(),
};

/**
 * The guest as routing and replies see them: `id` is the phone-number identity (wa_id / from)
 * when present, otherwise the business-scoped user id (docs/whatsapp.md#payloads).
 */
export const guestSchema = z.looseObject({
  id: z.string().min(1),
  waId: z.string().optional(),
  userId: z.string().optional(),
  name: z.string().optional(),
  username: z.string().optional(),
});

export const messageReceivedEventSchema = z.looseObject({
  ...eventBase,
  type: z.literal(EVENT_TYPES.messageReceived),
  /** When the guest sent it (message.timestamp). */
  occurredAt: isoDateTime,
  ...phoneNumber,
  guest: guestSchema,
  message: inboundMessageSchema,
});

export const statusReceivedEventSchema = z.looseObject({
  ...eventBase,
  type: z.literal(EVENT_TYPES.statusReceived),
  occurredAt: isoDateTime,
  ...phoneNumber,
  recipientId: z.string().min(1),
  status: messageStatusSchema,
});

/** System, app or account-level errors from `value.errors` (docs/whatsapp.md#payloads). */
export const webhookErrorEventSchema = z.looseObject({
  ...eventBase,
  type: z.literal(EVENT_TYPES.webhookError),
  ...phoneNumber,
  errors: z.array(webhookErrorSchema),
});

export const webhookChangeEventSchema = z.looseObject({
  ...eventBase,
  type: z.literal(EVENT_TYPES.webhookChange),
  wabaId: z.string().min(1),
  field: z.string().min(1),
  value: z.unknown(),
});

/** A signed body that did not parse or validate; the bytes are kept on the raw stream under rawId. */
export const webhookQuarantinedEventSchema = z.looseObject({
  ...eventBase,
  type: z.literal(EVENT_TYPES.webhookQuarantined),
  size: z.number().int().nonnegative(),
  reason: z.string(),
});

export const webhookEventSchema = z.discriminatedUnion('type', [
  messageReceivedEventSchema,
  statusReceivedEventSchema,
  webhookErrorEventSchema,
  webhookChangeEventSchema,
  webhookQuarantinedEventSchema,
]);

export type Guest = z.infer<typeof guestSchema>;
export type MessageReceivedEvent = z.infer<typeof messageReceivedEventSchema>;
export type StatusReceivedEvent = z.infer<typeof statusReceivedEventSchema>;
export type WebhookErrorEvent = z.infer<typeof webhookErrorEventSchema>;
export type WebhookChangeEvent = z.infer<typeof webhookChangeEventSchema>;
export type WebhookQuarantinedEvent = z.infer<typeof webhookQuarantinedEventSchema>;
export type WebhookEvent = z.infer<typeof webhookEventSchema>;
export type WebhookEventType = WebhookEvent['type'];

export type ParseWebhookEventResult = { ok: true; event: WebhookEvent } | { ok: false; reason: string };

/** For consumers: validates a decoded event payload. The reason names paths, never values. */
export function parseWebhookEvent(json: unknown): ParseWebhookEventResult {
  const result = webhookEventSchema.safeParse(json);
  if (result.success) return { ok: true, event: result.data };
  return { ok: false, reason: summarizeIssues(result.error.issues) };
}
