import { z } from 'zod';

/**
 * What the conversation service asks the sender to send. The limits are WhatsApp's
 * (docs/whatsapp.md#sending): a command that breaks one is refused here, at the
 * producer, instead of failing at Meta with 131009 after it was promised to the guest.
 */
const text = z.object({
  kind: z.literal('text'),
  body: z.string().min(1).max(4096),
  previewUrl: z.boolean().default(false),
});

const button = z.object({ id: z.string().min(1).max(256), title: z.string().min(1).max(20) });

const buttons = z.object({
  kind: z.literal('buttons'),
  header: z.string().min(1).max(60).optional(),
  body: z.string().min(1).max(1024),
  footer: z.string().min(1).max(60).optional(),
  buttons: z
    .array(button)
    .min(1)
    .max(3)
    .refine((list) => new Set(list.map((b) => b.title)).size === list.length, 'button titles must be unique'),
});

const listRow = z.object({
  id: z.string().min(1).max(200),
  title: z.string().min(1).max(24),
  description: z.string().min(1).max(72).optional(),
});

const list = z.object({
  kind: z.literal('list'),
  header: z.string().min(1).max(60).optional(),
  // The list page allows 4096, the OpenAPI body object 1024 (docs/whatsapp.md#sending): keep to the lower one.
  body: z.string().min(1).max(1024),
  footer: z.string().min(1).max(60).optional(),
  button: z.string().min(1).max(20),
  sections: z
    .array(z.object({ title: z.string().min(1).max(24).optional(), rows: z.array(listRow).min(1) }))
    .min(1)
    .max(10)
    .refine(
      (sections) => sections.reduce((n, s) => n + s.rows.length, 0) <= 10,
      'at most 10 rows across all sections',
    )
    .refine(
      (sections) => sections.length === 1 || sections.every((s) => s.title),
      'every section needs a title when there are several',
    ),
});

const template = z.object({
  kind: z.literal('template'),
  name: z.string().min(1).max(512),
  language: z.string().min(2).max(15),
  /** Passed to Meta as given (header/body/button parameters). */
  components: z.array(z.looseObject({ type: z.string() })).default([]),
});

/**
 * A WhatsApp Flow offered in the chat: a message whose button opens the Flow, its first screen
 * fetched from our data-exchange endpoint (flow_action data_exchange), its token naming the
 * restaurant (booking-flow.ts). Limits of Meta's interactive flow message
 * (https://developers.facebook.com/documentation/business-messaging/whatsapp/flows/guides/sendingaflow).
 */
const flow = z.object({
  kind: z.literal('flow'),
  header: z.string().min(1).max(60).optional(),
  body: z.string().min(1).max(1024),
  footer: z.string().min(1).max(60).optional(),
  flowId: z.string().regex(/^\d{1,32}$/, "Meta's numeric Flow id"),
  flowToken: z.string().min(1).max(512),
  /** The button's text. */
  cta: z.string().min(1).max(30),
});

/** Marks the guest's message read (blue ticks); no message is sent. */
const markRead = z.object({ kind: z.literal('read'), messageId: z.string().min(1) });

export const outboundMessageSchema = z.discriminatedUnion('kind', [
  text,
  buttons,
  list,
  template,
  flow,
  markRead,
]);
export type OutboundMessage = z.infer<typeof outboundMessageSchema>;

export const sendRequestedSchema = z.object({
  v: z.literal(1),
  type: z.literal('whatsapp.send.requested'),
  /**
   * The dedupe key, also the Nats-Msg-Id and the sender's outbox key, and echoed back by Meta as
   * biz_opaque_callback_data (≤ 512 chars), e.g. `<conversation>:<inbound wamid>:<n>`.
   */
  id: z.string().min(1).max(512),
  phoneNumberId: z.string().min(1),
  /** The guest: wa_id, or the business-scoped user id for guests without a phone number. */
  to: z.string().min(1),
  /** The guest's message this answers (shown as a quoted reply). */
  replyTo: z.string().min(1).optional(),
  /**
   * A guest's message the sender marks read (blue ticks) along with this one: a reply carries the
   * read receipt of the message it answers rather than a `read` command of its own, one stream
   * message fewer per guest message. Marking a message read twice changes nothing.
   */
  markRead: z.string().min(1).optional(),
  conversationId: z.string().min(1).optional(),
  requestedAt: z.iso.datetime(),
  message: outboundMessageSchema,
});
export type SendRequested = z.infer<typeof sendRequestedSchema>;

const outcomeBase = {
  v: z.literal(1),
  /** The dedupe key of the command. */
  id: z.string().min(1),
  phoneNumberId: z.string().min(1),
  at: z.iso.datetime(),
  attempts: z.number().int().min(1),
};

export const sendSucceededSchema = z.object({
  ...outcomeBase,
  type: z.literal('whatsapp.send.succeeded'),
  /** Meta's id of the sent message; status webhooks refer to it. Absent for mark-as-read. */
  wamid: z.string().min(1).optional(),
});

export const sendFailedSchema = z.object({
  ...outcomeBase,
  type: z.literal('whatsapp.send.failed'),
  /** Graph API error code (131047, 131026, 190 …), or 0 for a network or HTTP failure without one. */
  code: z.number().int(),
  reason: z.string().max(1024),
  /** True when it failed only because retries ran out (the error itself was retryable). */
  exhausted: z.boolean(),
});

export const outboundEventSchema = z.discriminatedUnion('type', [sendSucceededSchema, sendFailedSchema]);
export type OutboundEvent = z.infer<typeof outboundEventSchema>;
