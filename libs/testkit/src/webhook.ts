import { webhookSignature } from '@reserveit/contracts';
import {
  DEV_WHATSAPP,
  type StatusInput,
  serializeLikeMeta,
  statusBody,
  statusValue,
  type TextMessageInput,
  textMessageBody,
  textMessageValue,
  type WebhookBody,
  type WebhookChangeValue,
  webhookBody,
} from '@reserveit/localstack';

export interface SignedRequest {
  /** The exact bytes to send; the signature covers these. */
  payload: Buffer;
  headers: { 'content-type': 'application/json'; 'x-hub-signature-256': string };
}

/** An inbound text message body (one entry, one change, one message). */
export function textWebhook(input: TextMessageInput): WebhookBody {
  return textMessageBody(input);
}

/** A status update body for a wamid we sent. */
export function statusWebhook(input: StatusInput): WebhookBody {
  return statusBody(input);
}

export type BatchItem = ({ kind: 'text' } & TextMessageInput) | ({ kind: 'status' } & StatusInput);

/** Several messages and statuses in one POST, one change each, as Meta batches them. */
export function batchWebhook(items: BatchItem[], wabaId?: string): WebhookBody {
  const values: WebhookChangeValue[] = items.map((item) =>
    item.kind === 'text' ? textMessageValue(item) : statusValue(item),
  );
  return webhookBody(values, wabaId);
}

/**
 * Serializes like Meta (compact, `\uXXXX`, `\/`) unless given a string or Buffer to send as is,
 * and signs exactly those bytes.
 */
export function signedRequest(
  body: WebhookBody | string | Buffer,
  secret: string = DEV_WHATSAPP.appSecret,
): SignedRequest {
  const payload = Buffer.isBuffer(body)
    ? body
    : Buffer.from(typeof body === 'string' ? body : serializeLikeMeta(body), 'utf8');
  return {
    payload,
    headers: { 'content-type': 'application/json', 'x-hub-signature-256': webhookSignature(payload, secret) },
  };
}
