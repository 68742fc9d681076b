import { isKnownMessage, type MessageReceivedEvent } from '@reserveit/contracts';
import type { GuestMessage } from './decider/index.js';
import type { InteractiveReply } from './dialogue/index.js';

export interface InboundTurn {
  /** What the guest said: the text, the caption, or the title of the button they tapped. */
  text: string;
  interactive?: InteractiveReply;
  /** Something to interpret (text or a tap); false for media, stickers, locations … */
  readable: boolean;
  /** Reactions and system notices are history, not messages to answer. */
  answer: boolean;
}

/**
 * Reads what the dialogue needs out of an inbound message of any type (the webhook's message
 * objects: https://developers.facebook.com/docs/whatsapp/cloud-api/webhooks/components).
 */
export function inboundTurn(event: MessageReceivedEvent): InboundTurn {
  const message = event.message;
  if (!isKnownMessage(message)) return { text: '', readable: false, answer: true };
  switch (message.type) {
    case 'text':
      return { text: message.text.body, readable: message.text.body.trim() !== '', answer: true };
    case 'interactive': {
      const reply = message.interactive;
      if (reply.type === 'button_reply' && 'button_reply' in reply) {
        const { id, title } = reply.button_reply as { id: string; title: string };
        return {
          text: title,
          interactive: { kind: 'button_reply', id, title },
          readable: true,
          answer: true,
        };
      }
      if (reply.type === 'list_reply' && 'list_reply' in reply) {
        const { id, title } = reply.list_reply as { id: string; title: string };
        return { text: title, interactive: { kind: 'list_reply', id, title }, readable: true, answer: true };
      }
      if (reply.type === 'nfm_reply' && 'nfm_reply' in reply) {
        // A completed Flow: what the guest filled in is the response_json, read by intent.v1.
        const { response_json: id, body } = reply.nfm_reply as { response_json: string; body?: string };
        const title = body ?? '';
        return { text: title, interactive: { kind: 'nfm_reply', id, title }, readable: true, answer: true };
      }
      return { text: '', readable: false, answer: true };
    }
    case 'button':
      return {
        text: message.button.text,
        interactive: { kind: 'button_reply', id: message.button.payload, title: message.button.text },
        readable: true,
        answer: true,
      };
    case 'image':
    case 'video':
    case 'document': {
      const media =
        message.type === 'image'
          ? message.image
          : message.type === 'video'
            ? message.video
            : message.document;
      const caption = media.caption?.trim() ?? '';
      return { text: caption, readable: caption !== '', answer: true };
    }
    case 'reaction':
    case 'system':
      return { text: '', readable: false, answer: false };
    default:
      return { text: '', readable: false, answer: true };
  }
}

/** An inbound message event as the decider's guest message. */
export function guestMessageOf(event: MessageReceivedEvent): GuestMessage {
  return {
    wamid: event.message.id,
    phoneNumberId: event.phoneNumberId,
    guestId: event.guest.id,
    ...(event.guest.name ? { guestName: event.guest.name } : {}),
    type: event.message.type,
    said: inboundTurn(event),
  };
}
