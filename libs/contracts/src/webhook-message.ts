import { z } from 'zod';
import { maybeEmptyMetaIdSchema, metaIdSchema, referencedIdSchema, textBodySchema } from './meta-formats.js';
import { openUnion } from './open-union.js';
import { unixSecondsSchema, webhookErrorSchema } from './webhook-common.js';

/*
 * Inbound message schemas (docs/whatsapp.md#payloads). Objects are loose so fields Meta adds later pass
 * through. A field is required only when a consumer cannot act on the message without it;
 * anything stricter would quarantine a guest's message over a detail we never read.
 */

/** Reply to a business message, forward markers, or a product-enquiry button (docs/whatsapp.md#payloads). */
export const messageContextSchema = z.looseObject({
  from: referencedIdSchema.optional(),
  id: referencedIdSchema.optional(),
  forwarded: z.boolean().optional(),
  frequently_forwarded: z.boolean().optional(),
  referred_product: z.looseObject({ catalog_id: z.string(), product_retailer_id: z.string() }).optional(),
});

/** Click-to-WhatsApp ad; `ctwa_clid` is absent for Status ad placements (docs/whatsapp.md#payloads). */
export const referralSchema = z.looseObject({
  source_url: z.string().optional(),
  source_id: z.string().optional(),
  source_type: z.string().optional(),
  body: z.string().optional(),
  headline: z.string().optional(),
  media_type: z.string().optional(),
  image_url: z.string().optional(),
  video_url: z.string().optional(),
  thumbnail_url: z.string().optional(),
  ctwa_clid: z.string().optional(),
  welcome_message: z.looseObject({ text: z.string().optional() }).optional(),
});

/**
 * Fields every message has. `from` is optional because a guest who adopted a username may
 * arrive with only `from_user_id` (BSUID, docs/whatsapp.md#payloads); the pair is checked on the union below.
 */
export const messageBaseSchema = z.looseObject({
  from: metaIdSchema.optional(),
  from_user_id: metaIdSchema.optional(),
  id: metaIdSchema,
  timestamp: unixSecondsSchema,
  type: z.string().min(1),
  context: messageContextSchema.optional(),
  referral: referralSchema.optional(),
  errors: z.array(webhookErrorSchema).optional(),
});

/** `url` (lookaside.fbsbx.com) rolled out gradually from Nov 2025, so it is optional (docs/whatsapp.md#payloads). */
const media = {
  id: z.string().min(1),
  mime_type: z.string(),
  sha256: z.string().optional(),
  url: z.string().optional(),
};

export const textMessageSchema = messageBaseSchema.extend({
  type: z.literal('text'),
  text: z.looseObject({ body: textBodySchema }),
});

export const imageMessageSchema = messageBaseSchema.extend({
  type: z.literal('image'),
  image: z.looseObject({ ...media, caption: z.string().optional() }),
});

export const audioMessageSchema = messageBaseSchema.extend({
  type: z.literal('audio'),
  /** `voice: true` for a recorded voice note, false for a forwarded audio file. */
  audio: z.looseObject({ ...media, voice: z.boolean().optional() }),
});

export const videoMessageSchema = messageBaseSchema.extend({
  type: z.literal('video'),
  video: z.looseObject({ ...media, caption: z.string().optional() }),
});

export const documentMessageSchema = messageBaseSchema.extend({
  type: z.literal('document'),
  document: z.looseObject({ ...media, caption: z.string().optional(), filename: z.string().optional() }),
});

export const stickerMessageSchema = messageBaseSchema.extend({
  type: z.literal('sticker'),
  sticker: z.looseObject({ ...media, animated: z.boolean().optional() }),
});

/**
 * A "current location" share carries only latitude and longitude, although Meta's OpenAPI spec
 * marks name and address as required (docs/whatsapp.md#payloads, pywa `current_location`).
 */
export const locationMessageSchema = messageBaseSchema.extend({
  type: z.literal('location'),
  location: z.looseObject({
    latitude: z.number(),
    longitude: z.number(),
    name: z.string().optional(),
    address: z.string().optional(),
    url: z.string().optional(),
  }),
});

const sharedContactSchema = z.looseObject({
  name: z
    .looseObject({
      formatted_name: z.string().optional(),
      first_name: z.string().optional(),
      last_name: z.string().optional(),
      middle_name: z.string().optional(),
      prefix: z.string().optional(),
      suffix: z.string().optional(),
    })
    .optional(),
  birthday: z.string().optional(),
  phones: z
    .array(
      z.looseObject({
        phone: z.string().optional(),
        wa_id: z.string().optional(),
        type: z.string().optional(),
      }),
    )
    .optional(),
  emails: z.array(z.looseObject({ email: z.string().optional(), type: z.string().optional() })).optional(),
  urls: z.array(z.looseObject({ url: z.string().optional(), type: z.string().optional() })).optional(),
  addresses: z.array(z.looseObject({})).optional(),
  org: z.looseObject({}).optional(),
});

/** Meta omits any contact-card field the sender left empty (docs/whatsapp.md#payloads). */
export const contactsMessageSchema = messageBaseSchema.extend({
  type: z.literal('contacts'),
  contacts: z.array(sharedContactSchema),
});

export const buttonReplySchema = z.looseObject({
  type: z.literal('button_reply'),
  button_reply: z.looseObject({ id: z.string(), title: z.string() }),
});
export const listReplySchema = z.looseObject({
  type: z.literal('list_reply'),
  list_reply: z.looseObject({ id: z.string(), title: z.string(), description: z.string().optional() }),
});
/** A completed Flow: `response_json` is a JSON document inside a string (docs/whatsapp.md#payloads). */
export const nfmReplySchema = z.looseObject({
  type: z.literal('nfm_reply'),
  nfm_reply: z.looseObject({
    response_json: z.string(),
    name: z.string().optional(),
    body: z.string().optional(),
  }),
});

/** Interactive reply kinds grow too, so an unknown `interactive.type` is kept like an unknown message type. */
export const interactiveSchema = openUnion(
  'type',
  { button_reply: buttonReplySchema, list_reply: listReplySchema, nfm_reply: nfmReplySchema },
  z.looseObject({ type: z.string().min(1) }),
);

export const interactiveMessageSchema = messageBaseSchema.extend({
  type: z.literal('interactive'),
  interactive: interactiveSchema,
});

/** A template quick-reply button (docs/whatsapp.md#payloads). */
export const buttonMessageSchema = messageBaseSchema.extend({
  type: z.literal('button'),
  button: z.looseObject({ payload: z.string(), text: z.string() }),
});

/** On removal the `emoji` key is absent, and pywa also has `"emoji": ""` (docs/whatsapp.md#payloads). */
export const reactionMessageSchema = messageBaseSchema.extend({
  type: z.literal('reaction'),
  reaction: z.looseObject({ message_id: referencedIdSchema, emoji: z.string().optional() }),
});

export const orderMessageSchema = messageBaseSchema.extend({
  type: z.literal('order'),
  order: z.looseObject({
    catalog_id: z.string(),
    text: z.string().optional(),
    product_items: z.array(
      z.looseObject({
        product_retailer_id: z.string(),
        quantity: z.number(),
        item_price: z.number(),
        currency: z.string(),
      }),
    ),
  }),
});

/**
 * System messages come without a contacts array (docs/whatsapp.md#payloads). `user_changed_number` names the
 * new number in `wa_id`; `customer_identity_changed` puts `identity` on the message itself; and
 * pywa's `user_changed_user_id` fixture has neither `from` nor `from_user_id`, only the ids here.
 */
export const systemMessageSchema = messageBaseSchema.extend({
  type: z.literal('system'),
  system: z.looseObject({
    type: z.string().optional(),
    body: z.string().optional(),
    wa_id: maybeEmptyMetaIdSchema.optional(),
    user_id: maybeEmptyMetaIdSchema.optional(),
    previous_user_id: maybeEmptyMetaIdSchema.optional(),
  }),
  identity: z
    .looseObject({
      acknowledged: z.boolean().optional(),
      created_timestamp: z.string().optional(),
      hash: z.string().optional(),
    })
    .optional(),
});

/**
 * A type Meta cannot deliver (polls, edits, …): error 131051 plus `unsupported.type`. The spec
 * also names it `unknown`; older webhooks had only `errors` (docs/whatsapp.md#payloads).
 */
const unsupportedFields = {
  unsupported: z.looseObject({ type: z.string().optional() }).optional(),
};
export const unsupportedMessageSchema = messageBaseSchema.extend({
  type: z.literal('unsupported'),
  ...unsupportedFields,
});
export const unknownMessageSchema = messageBaseSchema.extend({
  type: z.literal('unknown'),
  ...unsupportedFields,
});

const knownMessageSchemas = {
  text: textMessageSchema,
  image: imageMessageSchema,
  audio: audioMessageSchema,
  video: videoMessageSchema,
  document: documentMessageSchema,
  sticker: stickerMessageSchema,
  location: locationMessageSchema,
  contacts: contactsMessageSchema,
  interactive: interactiveMessageSchema,
  button: buttonMessageSchema,
  reaction: reactionMessageSchema,
  order: orderMessageSchema,
  system: systemMessageSchema,
  unsupported: unsupportedMessageSchema,
  unknown: unknownMessageSchema,
};

export type KnownMessageType = keyof typeof knownMessageSchemas;
export const KNOWN_MESSAGE_TYPES = Object.keys(knownMessageSchemas) as KnownMessageType[];

export type TextMessage = z.infer<typeof textMessageSchema>;
export type ImageMessage = z.infer<typeof imageMessageSchema>;
export type AudioMessage = z.infer<typeof audioMessageSchema>;
export type VideoMessage = z.infer<typeof videoMessageSchema>;
export type DocumentMessage = z.infer<typeof documentMessageSchema>;
export type StickerMessage = z.infer<typeof stickerMessageSchema>;
export type LocationMessage = z.infer<typeof locationMessageSchema>;
export type ContactsMessage = z.infer<typeof contactsMessageSchema>;
export type InteractiveMessage = z.infer<typeof interactiveMessageSchema>;
export type ButtonMessage = z.infer<typeof buttonMessageSchema>;
export type ReactionMessage = z.infer<typeof reactionMessageSchema>;
export type OrderMessage = z.infer<typeof orderMessageSchema>;
export type SystemMessage = z.infer<typeof systemMessageSchema>;
export type UnsupportedMessage =
  | z.infer<typeof unsupportedMessageSchema>
  | z.infer<typeof unknownMessageSchema>;
export type KnownInboundMessage = z.infer<(typeof knownMessageSchemas)[KnownMessageType]>;
/** A message whose type this version does not know: only the base fields were checked. */
export type UnrecognizedInboundMessage = z.infer<typeof messageBaseSchema>;
export type InboundMessage = KnownInboundMessage | UnrecognizedInboundMessage;
export type MessageContext = z.infer<typeof messageContextSchema>;
export type Referral = z.infer<typeof referralSchema>;
export type InteractiveReply = InteractiveMessage['interactive'];

/**
 * Who sent the message, as ids found on the message itself. System messages about an id change
 * may carry the ids only inside `system` (the previous one identifies the existing conversation).
 */
export function messageSenderIds(message: InboundMessage): { waId?: string; userId?: string } {
  const waId = message.from;
  let userId = message.from_user_id;
  if (!waId && !userId && isKnownMessage(message) && message.type === 'system') {
    userId = message.system.previous_user_id || message.system.user_id;
  }
  return { ...(waId ? { waId } : {}), ...(userId ? { userId } : {}) };
}

/**
 * Any inbound message. An unknown future `type` is kept with only the base fields checked
 * (a new message type must not be lost, nor answered with an error Meta retries for a week:
 * docs/whatsapp.md#retries-and-duplicates).
 */
export const inboundMessageSchema = openUnion('type', knownMessageSchemas, messageBaseSchema).superRefine(
  (message, ctx) => {
    const ids = messageSenderIds(message);
    if (!ids.waId && !ids.userId) {
      ctx.addIssue({ code: 'custom', path: ['from'], message: 'either from or from_user_id is required' });
    }
  },
);

const knownTypes: ReadonlySet<string> = new Set(KNOWN_MESSAGE_TYPES);

/** Narrows to the known message shapes; `message.type === 'text'` alone cannot exclude an unrecognized type. */
export function isKnownMessage(message: InboundMessage): message is KnownInboundMessage {
  return knownTypes.has(message.type);
}
