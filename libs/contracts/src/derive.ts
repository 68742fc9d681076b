import {
  EVENT_TYPES,
  type Guest,
  type MessageReceivedEvent,
  type StatusReceivedEvent,
  type WebhookChangeEvent,
  type WebhookErrorEvent,
  type WebhookEvent,
  type WebhookQuarantinedEvent,
} from './events.js';
import type { Topology } from './topology.js';
import {
  type InboundMessage,
  isMessagesChange,
  type MessageStatus,
  type MessagesValue,
  messageSenderIds,
  statusRecipientId,
  unixSecondsToIso,
  type Webhook,
  type WebhookContact,
} from './webhook.js';

export interface DerivedEvent {
  subject: string;
  /** Nats-Msg-Id: the wamid for a message, so Meta's retries and fan-out deduplicate (docs/whatsapp.md#retries-and-duplicates). */
  msgId: string;
  event: WebhookEvent;
  /** Low-cardinality facts for headers, logs and span attributes; never a phone number. */
  attributes: { wamid?: string; phoneNumberId?: string; messageType?: string; status?: string };
}

export interface DeriveContext {
  rawId: string;
  receivedAt: Date;
  topology: Topology;
}

/**
 * Turns a validated webhook into the events to publish, in body order (entries, changes, then
 * messages, statuses, errors of each change): consumers rely on arrival order per guest.
 */
export function deriveEvents(webhook: Webhook, ctx: DeriveContext): DerivedEvent[] {
  const receivedAt = ctx.receivedAt.toISOString();
  const out: DerivedEvent[] = [];
  webhook.entry.forEach((entry, entryIndex) => {
    entry.changes.forEach((change, changeIndex) => {
      if (!isMessagesChange(change)) {
        const event: WebhookChangeEvent = {
          v: 1,
          type: EVENT_TYPES.webhookChange,
          id: `${ctx.rawId}:change:${entryIndex}:${changeIndex}`,
          rawId: ctx.rawId,
          receivedAt,
          wabaId: entry.id,
          field: change.field,
          value: change.value,
        };
        out.push({
          subject: ctx.topology.subjects.webhookChange(change.field),
          msgId: event.id,
          event,
          attributes: {},
        });
        return;
      }
      const value = change.value;
      const phone = {
        wabaId: entry.id,
        phoneNumberId: value.metadata.phone_number_id,
        displayPhoneNumber: value.metadata.display_phone_number,
      };
      const messages = value.messages ?? [];
      for (const message of messages) {
        const guest = guestOf(message, value.contacts ?? [], messages.length);
        const event: MessageReceivedEvent = {
          v: 1,
          type: EVENT_TYPES.messageReceived,
          id: message.id,
          rawId: ctx.rawId,
          receivedAt,
          occurredAt: unixSecondsToIso(message.timestamp),
          ...phone,
          guest,
          message,
        };
        out.push({
          subject: ctx.topology.subjects.inboundMessage(phone.phoneNumberId, guest.id),
          msgId: event.id,
          event,
          attributes: { wamid: message.id, phoneNumberId: phone.phoneNumberId, messageType: message.type },
        });
      }
      for (const status of value.statuses ?? []) {
        out.push(statusEvent(status, phone, ctx, receivedAt));
      }
      if (value.errors && value.errors.length > 0) {
        out.push(
          errorEvent(value, entry.id, `${ctx.rawId}:error:${entryIndex}:${changeIndex}`, ctx, receivedAt),
        );
      }
    });
  });
  return out;
}

function statusEvent(
  status: MessageStatus,
  phone: { wabaId: string; phoneNumberId: string; displayPhoneNumber: string },
  ctx: DeriveContext,
  receivedAt: string,
): DerivedEvent {
  const recipientId = statusRecipientId(status);
  const event: StatusReceivedEvent = {
    v: 1,
    type: EVENT_TYPES.statusReceived,
    // One event per (message, status), under an id that is the same in every retry: `<wamid>:<status>`.
    id: `${status.id}:${status.status}`,
    rawId: ctx.rawId,
    receivedAt,
    occurredAt: unixSecondsToIso(status.timestamp),
    ...phone,
    recipientId,
    status,
  };
  return {
    subject: ctx.topology.subjects.inboundStatus(phone.phoneNumberId, recipientId),
    msgId: event.id,
    event,
    attributes: { wamid: status.id, phoneNumberId: phone.phoneNumberId, status: status.status },
  };
}

function errorEvent(
  value: MessagesValue,
  wabaId: string,
  id: string,
  ctx: DeriveContext,
  receivedAt: string,
): DerivedEvent {
  const phoneNumberId = value.metadata.phone_number_id;
  const event: WebhookErrorEvent = {
    v: 1,
    type: EVENT_TYPES.webhookError,
    id,
    rawId: ctx.rawId,
    receivedAt,
    wabaId,
    phoneNumberId,
    displayPhoneNumber: value.metadata.display_phone_number,
    errors: value.errors ?? [],
  };
  return {
    subject: ctx.topology.subjects.webhookError(phoneNumberId),
    msgId: id,
    event,
    attributes: { phoneNumberId },
  };
}

/**
 * Matches the sender to its contacts[] entry by wa_id or by user_id. A lone contact with a lone
 * message is taken as is: it cannot belong to anyone else.
 */
function contactFor(
  message: InboundMessage,
  contacts: readonly WebhookContact[],
  messageCount: number,
): WebhookContact | undefined {
  const match = contacts.find(
    (c) =>
      (message.from !== undefined && c.wa_id === message.from) ||
      (message.from_user_id !== undefined && c.user_id === message.from_user_id),
  );
  if (match) return match;
  return contacts.length === 1 && messageCount === 1 ? contacts[0] : undefined;
}

function guestOf(message: InboundMessage, contacts: readonly WebhookContact[], messageCount: number): Guest {
  const contact = contactFor(message, contacts, messageCount);
  const sender = messageSenderIds(message);
  // `||`, not `??`: an empty id must not become a (forbidden) empty subject token.
  const waId = sender.waId || contact?.wa_id || undefined;
  const userId = sender.userId || contact?.user_id || undefined;
  // The schema guarantees one of them; the phone identity wins so a guest who also has a
  // username stays in the conversation their earlier messages started.
  const id = waId ?? userId ?? '';
  const name = contact?.profile?.name;
  const username = contact?.profile?.username;
  return {
    id,
    ...(waId ? { waId } : {}),
    ...(userId ? { userId } : {}),
    ...(name ? { name } : {}),
    ...(username ? { username } : {}),
  };
}

/** The event for a signed body that could not be used; publish it on `topology.subjects.quarantine`. */
export function buildQuarantineEvent(
  rawId: string,
  receivedAt: Date,
  size: number,
  reason: string,
): WebhookQuarantinedEvent {
  return {
    v: 1,
    type: EVENT_TYPES.webhookQuarantined,
    id: `quarantine:${rawId}`,
    rawId,
    receivedAt: receivedAt.toISOString(),
    size,
    reason,
  };
}
