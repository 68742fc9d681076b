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
