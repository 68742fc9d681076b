import { z } from 'zod';
import { metaIdSchema, statusValueSchema } from './meta-formats.js';
import { unixSecondsSchema, webhookErrorSchema } from './webhook-common.js';

/**
 * The statuses Meta documents (docs/whatsapp.md#statuses). `status` itself is validated as any short token
 * (meta-formats.ts): courier has seen `deleted`, and a future value must become an event, not a
 * quarantine.
 */
export const KNOWN_STATUSES = ['sent', 'delivered', 'read', 'failed', 'played'] as const;
export type KnownStatus = (typeof KNOWN_STATUSES)[number];

/** Omitted in v24.0+ except for free entry-point windows (docs/whatsapp.md#statuses). */
export const conversationSchema = z.looseObject({
  id: z.string(),
  expiration_timestamp: z.string().optional(),
  origin: z.looseObject({ type: z.string().optional() }).optional(),
});

/** Only with `sent` and one of `delivered`/`read`; `billable` is deprecated (docs/whatsapp.md#statuses). */
export const pricingSchema = z.looseObject({
  billable: z.boolean().optional(),
  pricing_model: z.string().optional(),
  type: z.string().optional(),
  category: z.string().optional(),
});

/**
 * An update on a message we sent. A guest known only by a business-scoped user id has no phone
 * number, so `recipient_user_id` may stand in for `recipient_id` (docs/whatsapp.md#payloads).
 */
export const messageStatusSchema = z
  .looseObject({
    id: metaIdSchema,
    status: statusValueSchema,
    timestamp: unixSecondsSchema,
    recipient_id: metaIdSchema.optional(),
    recipient_user_id: metaIdSchema.optional(),
    recipient_type: z.string().optional(),
    recipient_participant_id: z.string().optional(),
    recipient_identity_key_hash: z.string().optional(),
    /** Echo of what the sender attached, max 512 chars: the key for reconciling ambiguous sends. */
    biz_opaque_callback_data: z.string().optional(),
    conversation: conversationSchema.optional(),
    pricing: pricingSchema.optional(),
    errors: z.array(webhookErrorSchema).optional(),
  })
  .superRefine((status, ctx) => {
    if (!status.recipient_id && !status.recipient_user_id) {
      ctx.addIssue({
        code: 'custom',
        path: ['recipient_id'],
        message: 'either recipient_id or recipient_user_id is required',
      });
    }
  });

export type MessageStatus = z.infer<typeof messageStatusSchema>;
export type Conversation = z.infer<typeof conversationSchema>;
export type Pricing = z.infer<typeof pricingSchema>;

/** The identity the status is about, the same one replies were sent to. */
export function statusRecipientId(status: MessageStatus): string {
  // Both absent is rejected by the schema; the empty string only satisfies the type checker.
  return status.recipient_id ?? status.recipient_user_id ?? '';
}
