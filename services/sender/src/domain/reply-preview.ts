import type { OutboundMessage } from '@reserveit/contracts';

/** A reply as the guest would see it in WhatsApp: the words and choices, without ids or recipient. */
export type ReplyPreview = Record<string, unknown>;

/**
 * What a dry run logs for a reply, so a developer sees what the bot answered: the text, the
 * buttons' and list rows' titles, a template's name. These are the bot's words; the guest's number
 * is logged masked beside them and the Graph API body (ids, callback data) is left out.
 */
export function replyPreview(message: OutboundMessage): ReplyPreview {
  switch (message.kind) {
    case 'text':
      return { text: message.body };
    case 'buttons':
      return {
        ...(message.header ? { header: message.header } : {}),
        text: message.body,
        ...(message.footer ? { footer: message.footer } : {}),
        buttons: message.buttons.map((button) => button.title),
      };
    case 'list':
      return {
        ...(message.header ? { header: message.header } : {}),
        text: message.body,
        ...(message.footer ? { footer: message.footer } : {}),
        button: message.button,
        rows: message.sections.flatMap((section) =>
          section.rows.map((row) => {
            const title = section.title ? `${section.title}: ${row.title}` : row.title;
            return row.description ? `${title} (${row.description})` : title;
          }),
        ),
      };
    case 'flow':
      return {
        ...(message.header ? { header: message.header } : {}),
        text: message.body,
        ...(message.footer ? { footer: message.footer } : {}),
        flow: message.cta,
      };
    case 'template':
      return { template: message.name, language: message.language };
    case 'read':
      return { markRead: message.messageId };
    default: {
      const unknown: never = message;
      throw new Error(`unsupported message kind ${(unknown as { kind: string }).kind}`);
    }
  }
}
