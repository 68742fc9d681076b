import { randomBytes } from 'node:crypto';

/** Dev defaults shared by the dev runner's `send` command and tests. */
export const DEV_WHATSAPP = {
  appSecret: 'dev-app-secret',
  verifyToken: 'dev-verify-token',
  phoneNumberId: '100000000000001',
  displayPhoneNumber: '15550001111',
  wabaId: '100000000000000',
  guestWaId: '15551234567',
  guestName: 'Dev Guest',
} as const;

export interface WebhookMetadata {
  display_phone_number: string;
  phone_number_id: string;
}

export interface WebhookContact {
  profile: { name: string };
  wa_id: string;
}

export interface WebhookTextMessage {
  from: string;
  id: string;
  timestamp: string;
  type: 'text';
  text: { body: string };
}

export type StatusValue = 'sent' | 'delivered' | 'read' | 'failed';

export interface WebhookStatus {
  id: string;
  status: StatusValue;
  timestamp: string;
  recipient_id: string;
  errors?: { code: number; title: string; message: string; error_data: { details: string } }[];
}

export interface WebhookChangeValue {
  messaging_product: 'whatsapp';
  metadata: WebhookMetadata;
  contacts?: WebhookContact[];
  messages?: WebhookTextMessage[];
  statuses?: WebhookStatus[];
}

export interface WebhookBody {
  object: 'whatsapp_business_account';
  entry: { id: string; changes: { field: 'messages'; value: WebhookChangeValue }[] }[];
}

export interface BusinessNumber {
  phoneNumberId?: string;
  displayPhoneNumber?: string;
}

export interface TextMessageInput extends BusinessNumber {
  text: string;
  /** Guest wa_id (digits, no +). */
  from?: string;
  /** Guest profile name. */
  name?: string;
  wamid?: string;
  /** When the guest sent it; default now. */
  timestamp?: Date;
}

export interface StatusInput extends BusinessNumber {
  /** The wamid we sent. */
  wamid: string;
  status: StatusValue;
  recipientId?: string;
  timestamp?: Date;
  /** For `failed`: a webhook error object (docs/whatsapp.md#statuses). */
  error?: { code: number; title: string; message?: string; details?: string };
}

/** `wamid.` + base64, the shape Meta uses for message ids (docs/whatsapp.md#payloads). */
export function newWamid(): string {
  return `wamid.${randomBytes(30).toString('base64')}`;
}

/** All ids and timestamps in webhooks are strings; timestamps are unix seconds (docs/whatsapp.md#payloads). */
export function unixSeconds(at: Date = new Date()): string {
  return String(Math.floor(at.getTime() / 1000));
}

function metadata(input: BusinessNumber): WebhookMetadata {
  return {
    display_phone_number: input.displayPhoneNumber ?? DEV_WHATSAPP.displayPhoneNumber,
    phone_number_id: input.phoneNumberId ?? DEV_WHATSAPP.phoneNumberId,
  };
}

/** The `value` of one `messages` change carrying one inbound text message. */
export function textMessageValue(input: TextMessageInput): WebhookChangeValue {
  const from = input.from ?? DEV_WHATSAPP.guestWaId;
  return {
    messaging_product: 'whatsapp',
    metadata: metadata(input),
    contacts: [{ profile: { name: input.name ?? DEV_WHATSAPP.guestName }, wa_id: from }],
    messages: [
      {
        from,
        id: input.wamid ?? newWamid(),
        timestamp: unixSeconds(input.timestamp),
        type: 'text',
        text: { body: input.text },
      },
    ],
  };
}

/** The `value` of one status update; status changes carry no `contacts` (docs/whatsapp.md#payloads). */
export function statusValue(input: StatusInput): WebhookChangeValue {
  const status: WebhookStatus = {
    id: input.wamid,
    status: input.status,
    timestamp: unixSeconds(input.timestamp),
    recipient_id: input.recipientId ?? DEV_WHATSAPP.guestWaId,
  };
  if (input.error) {
    status.errors = [
      {
        code: input.error.code,
        title: input.error.title,
        message: input.error.message ?? input.error.title,
        error_data: { details: input.error.details ?? input.error.title },
      },
    ];
  }
  return { messaging_product: 'whatsapp', metadata: metadata(input), statuses: [status] };
}

/** Wraps change values in one entry (one WABA), as Meta batches them (docs/whatsapp.md#statuses). */
export function webhookBody(values: WebhookChangeValue[], wabaId: string = DEV_WHATSAPP.wabaId): WebhookBody {
  return {
    object: 'whatsapp_business_account',
    entry: [{ id: wabaId, changes: values.map((value) => ({ field: 'messages', value })) }],
  };
}

export function textMessageBody(input: TextMessageInput): WebhookBody {
  return webhookBody([textMessageValue(input)]);
}

export function statusBody(input: StatusInput): WebhookBody {
  return webhookBody([statusValue(input)]);
}

/**
 * Serializes like Meta: compact JSON, every non-ASCII UTF-16 unit as `\uXXXX` with lowercase hex,
 * and `/` as `\/` (docs/whatsapp.md#signatures). Both only occur inside JSON strings, so replacing over the
 * whole output is safe. Signatures must be computed over exactly these bytes.
 */
export function serializeLikeMeta(value: unknown): string {
  return JSON.stringify(value)
    .replace(/[\u0080-\uffff]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`)
    .replace(/\//g, '\\/');
}
