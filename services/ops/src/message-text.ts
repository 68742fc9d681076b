import { type InboundMessage, isKnownMessage, type OutboundMessage } from '@reserveit/contracts';

/**
 * What the guest said, as the conversation service reads it (services/conversation/src/inbound-turn.ts):
 * the text, the tapped button's or list row's title, a caption; undefined when the message has no
 * words (a sticker, a voice note, a reaction).
 */
export function guestWords(message: InboundMessage): string | undefined {
  if (!isKnownMessage(message)) return undefined;
  switch (message.type) {
    case 'text':
      return message.text.body;
    case 'interactive': {
      const reply = message.interactive;
      if (reply.type === 'button_reply' && 'button_reply' in reply)
        return (reply.button_reply as { title: string }).title;
      if (reply.type === 'list_reply' && 'list_reply' in reply)
        return (reply.list_reply as { title: string }).title;
      return undefined;
    }
    case 'button':
      return message.button.text;
    case 'image':
      return message.image.caption;
    case 'video':
      return message.video.caption;
    case 'document':
      return message.document.caption;
    case 'location':
      return [message.location.name, message.location.address].filter(Boolean).join(', ') || undefined;
    case 'reaction':
      return message.reaction.emoji || undefined;
    default:
      return undefined;
  }
}

/** What a reply command shows the guest: the body with its buttons or list rows, or the template's name. */
export function replyWords(message: OutboundMessage): string | undefined {
  switch (message.kind) {
    case 'text':
      return message.body;
    case 'buttons':
      return `${message.body}\n${message.buttons.map((button) => `[${button.title}]`).join(' ')}`;
    case 'list':
      return [
        message.body,
        ...message.sections.flatMap((section) => section.rows.map((row) => `- ${row.title}`)),
      ].join('\n');
    case 'flow':
      return `${message.body}\n[${message.cta}]`;
    case 'template':
      return `template ${message.name} (${message.language})`;
    case 'read':
      return undefined;
  }
}

/**
 * A guest's words go to an operator's terminal: control characters (an ESC starts a terminal
 * escape sequence that can rewrite the screen or the window title) are shown as `?`; line breaks and tabs stay.
 */
export function terminalSafe(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching them is the point
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, '?');
}
