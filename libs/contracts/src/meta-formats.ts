import { z } from 'zod';

/*
 * Bounds on the identifiers and texts of a webhook. Ids become NATS subject tokens and
 * Nats-Msg-Id headers (derive.ts), so an unbounded one could make a body that no retry can ever
 * store (nats-limits.ts). Meta documents formats, not lengths, so every bound leaves a wide margin
 * over what Meta sends today: rejecting a real payload would quarantine a guest's message.
 */

/**
 * Meta's ids: a wamid is `wamid.` + base64 (62 to 78 characters in libs/contracts/test/fixtures),
 * phone_number_id and WABA ids are 15-16 digits, a wa_id is a phone number without `+` (E.164: at
 * most 15 digits), a business-scoped user id is a two-letter country code, a dot and up to 128
 * alphanumerics (`US.13491208655302741918`, parents `US.ENT.…`:
 * https://docs.360dialog.com/docs/resources/phone-numbers/usernames-and-bsuid). Meta promises no
 * length for a wamid, so 256: about twice the longest format above (a parent BSUID, 135 characters).
 */
export const MAX_META_ID_LENGTH = 256;

/**
 * Every id format above is printable ASCII without spaces. Holding ids to it keeps a Msg-Id a
 * valid header value (the NATS client throws on CR/LF and trims spaces, which would change the
 * dedupe key) and a percent-encoded subject token at most 3 bytes per character.
 */
const PRINTABLE_ASCII = /^[\x21-\x7e]+$/;

/** An id used to route or deduplicate: a subject token or a Nats-Msg-Id. */
export const metaIdSchema = z
  .string()
  .min(1)
  .max(MAX_META_ID_LENGTH)
  .regex(PRINTABLE_ASCII, 'expected printable ASCII without spaces');

/**
 * A contact's or a system message's id, where an empty string has always meant "absent"
 * (derive.ts reads them with `||`).
 */
export const maybeEmptyMetaIdSchema = z
  .string()
  .max(MAX_META_ID_LENGTH)
  .regex(/^[\x21-\x7e]*$/, 'expected printable ASCII without spaces');

/** An id we only store (the wamid a reply or reaction refers to): bounded, any characters. */
export const referencedIdSchema = z.string().max(MAX_META_ID_LENGTH);

/** `display_phone_number` is shown as Meta formats it ("15550783881", "+1 555-078-3881"). */
export const displayPhoneNumberSchema = z.string().max(64);

/**
 * A status value (`sent`, `delivered`, …, and ones Meta adds later): part of the status event's
 * Msg-Id `<wamid>:<status>`, so it follows the id rules, at a word's length.
 */
export const statusValueSchema = metaIdSchema.max(64);

/** A webhook field name (`messages`, `message_template_status_update`, …): a subject token. */
export const webhookFieldSchema = z.string().min(1).max(128);

/**
 * Meta documents 4,096 characters only for the text a business sends (text.body in its OpenAPI
 * spec, github.com/facebook/openapi); guests' apps allow far longer messages, 65,536 characters
 * being the commonly cited WhatsApp limit. Longer than that is not a message a person typed.
 */
export const textBodySchema = z.string().max(65_536);
