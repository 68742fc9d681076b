import {
  type OutboundMessage,
  type SendRequested,
  sendRequestedSchema,
  type Topology,
} from '@reserveit/contracts';
import type { Reply } from './dialogue/index.js';

/** Where a conversation's commands go, and the guest message they answer (none for a staff action). */
export interface Addressee {
  conversationId: string;
  phoneNumberId: string;
  guestId: string;
  replyTo?: string;
}

/**
 * Every OUTBOUND command the service sends (read receipts, replies, "one moment", staff replies)
 * is built here and checked against the contract, so a reply that breaks one of WhatsApp's limits
 * fails its decision here instead of at Meta after it was promised to the guest. `id` is the
 * dedupe key: the Nats-Msg-Id and the sender's outbox key.
 */
export function sendCommand(to: Addressee, id: string, at: string, message: OutboundMessage): SendRequested {
  return sendRequestedSchema.parse({
    v: 1,
    type: 'whatsapp.send.requested',
    id,
    phoneNumberId: to.phoneNumberId,
    to: to.guestId,
    ...(to.replyTo ? { replyTo: to.replyTo } : {}),
    conversationId: to.conversationId,
    requestedAt: at,
    message,
  });
}

/**
 * A decision's commands as they go out: a read receipt rides on the first reply to the same
 * message (`markRead`, the sender marks it read along with the send) instead of going as a command
 * of its own, which cost a stream message, its publish and acknowledgement, its delivery and
 * acknowledgement. One that no reply answers (a handoff to staff, "one moment" only …) still goes
 * alone. Ids stay as they were: the reply keeps its key, the receipt's own is simply not used.
 */
export function carryReadReceipts(sends: readonly SendRequested[]): SendRequested[] {
  const carriers = new Map<SendRequested, string>();
  const kept: SendRequested[] = [];
  for (const command of sends) {
    const { message } = command;
    const carrier =
      message.kind === 'read'
        ? sends.find(
            (reply) =>
              reply.message.kind !== 'read' &&
              reply.replyTo === message.messageId &&
              reply.to === command.to &&
              reply.phoneNumberId === command.phoneNumberId,
          )
        : undefined;
    if (message.kind === 'read' && carrier) carriers.set(carrier, message.messageId);
    else kept.push(command);
  }
  return kept.map((command) => {
    const read = carriers.get(command);
    return read ? { ...command, markRead: read } : command;
  });
}

/** Read receipts have a subject of their own: the sender calls them straight from the stream. */
export function outboundSubject(topology: Topology, command: SendRequested): string {
  return command.message.kind === 'read'
    ? topology.subjects.outboundRead(command.phoneNumberId)
    : topology.subjects.outboundCommand(command.phoneNumberId, command.to);
}

/** A dialogue reply as the OUTBOUND command's message (the schema re-checks WhatsApp's limits). */
export function toOutboundMessage(reply: Reply): OutboundMessage {
  switch (reply.kind) {
    case 'text':
      return { kind: 'text', body: reply.body, previewUrl: false };
    case 'buttons':
      return { kind: 'buttons', body: reply.body, buttons: reply.buttons };
    case 'list':
      return { kind: 'list', body: reply.body, button: reply.button, sections: [{ rows: reply.rows }] };
    case 'flow':
      return {
        kind: 'flow',
        body: reply.body,
        cta: reply.cta,
        flowId: reply.flowId,
        flowToken: reply.flowToken,
      };
    default: {
      const never: never = reply;
      throw new Error(`unknown reply ${JSON.stringify(never)}`);
    }
  }
}

/** What the reply said, for the history and the intent service's memory. */
export function replyText(reply: Reply): string {
  switch (reply.kind) {
    case 'text':
      return reply.body;
    case 'buttons':
      return `${reply.body}\n${reply.buttons.map((button) => `[${button.title}]`).join(' ')}`;
    case 'list':
      return `${reply.body}\n${reply.rows.map((row) => `- ${row.title}`).join('\n')}`;
    case 'flow':
      return `${reply.body}\n[${reply.cta}]`;
    default: {
      const never: never = reply;
      throw new Error(`unknown reply ${JSON.stringify(never)}`);
    }
  }
}
