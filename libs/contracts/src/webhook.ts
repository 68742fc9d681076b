import { z } from 'zod';
import { summarizeIssues } from './issues.js';
import {
  displayPhoneNumberSchema,
  maybeEmptyMetaIdSchema,
  metaIdSchema,
  webhookFieldSchema,
} from './meta-formats.js';
import { openUnion } from './open-union.js';
import { webhookErrorSchema } from './webhook-common.js';
import { inboundMessageSchema } from './webhook-message.js';
import { messageStatusSchema } from './webhook-status.js';

export * from './webhook-common.js';
export * from './webhook-message.js';
export * from './webhook-status.js';

/** `wa_id` and the phone number "may not always match" (docs/whatsapp.md#payloads); BSUID fields since April 2026. */
export const webhookContactSchema = z.looseObject({
  profile: z.looseObject({ name: z.string().optional(), username: z.string().optional() }).optional(),
  wa_id: maybeEmptyMetaIdSchema.optional(),
  user_id: maybeEmptyMetaIdSchema.optional(),
  parent_user_id: maybeEmptyMetaIdSchema.optional(),
  identity_key_hash: z.string().optional(),
});

export const webhookMetadataSchema = z.looseObject({
  display_phone_number: displayPhoneNumberSchema,
  phone_number_id: metaIdSchema,
});

/**
 * The value of a `messages` change. It holds messages, statuses or account-level errors; system
 * messages and status updates come without `contacts` (docs/whatsapp.md#payloads).
 */
export const messagesValueSchema = z.looseObject({
  messaging_product: z.literal('whatsapp'),
  metadata: webhookMetadataSchema,
  contacts: z.array(webhookContactSchema).optional(),
  messages: z.array(inboundMessageSchema).optional(),
  statuses: z.array(messageStatusSchema).optional(),
  errors: z.array(webhookErrorSchema).optional(),
});

export const messagesChangeSchema = z.looseObject({
  field: z.literal('messages'),
  value: messagesValueSchema,
});

/**
 * Any other subscribed field (account_update, message_template_status_update, …): each has its
 * own value shape (docs/whatsapp.md#payloads), kept as is.
 */
export const otherChangeSchema = z.looseObject({
  field: webhookFieldSchema,
  value: z.unknown(),
});

export const webhookChangeSchema = openUnion('field', { messages: messagesChangeSchema }, otherChangeSchema);

export const webhookEntrySchema = z.looseObject({
  /** The WhatsApp Business Account id. */
  id: metaIdSchema,
  changes: z.array(webhookChangeSchema),
});

export const webhookSchema = z.looseObject({
  object: z.literal('whatsapp_business_account'),
  entry: z.array(webhookEntrySchema),
});

export type WebhookContact = z.infer<typeof webhookContactSchema>;
export type WebhookMetadata = z.infer<typeof webhookMetadataSchema>;
export type MessagesValue = z.infer<typeof messagesValueSchema>;
export type MessagesChange = z.infer<typeof messagesChangeSchema>;
export type OtherChange = z.infer<typeof otherChangeSchema>;
export type WebhookChange = MessagesChange | OtherChange;
export type WebhookEntry = z.infer<typeof webhookEntrySchema>;
export type Webhook = z.infer<typeof webhookSchema>;

/** Narrows a change; comparing `field` alone cannot, since other changes have `field: string`. */
export function isMessagesChange(change: WebhookChange): change is MessagesChange {
  return change.field === 'messages';
}

export type ParseWebhookResult = { ok: true; webhook: Webhook } | { ok: false; reason: string };

/** Validates a parsed webhook body. The reason names paths, never values (they hold phone numbers). */
export function parseWebhook(json: unknown): ParseWebhookResult {
  const result = webhookSchema.safeParse(json);
  if (result.success) return { ok: true, webhook: result.data };
  return { ok: false, reason: summarizeIssues(result.error.issues) };
}
