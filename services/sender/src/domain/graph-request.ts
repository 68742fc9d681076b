import type { OutboundMessage, SendRequested } from '@reserveit/contracts';

/** A JSON body for `POST /<version>/<phone_number_id>/messages` (docs/whatsapp.md, Sending). */
export type GraphBody = Record<string, unknown>;

/**
 * The Graph API body for a command. The dedupe key rides along as `biz_opaque_callback_data`:
 * Meta echoes it in every status webhook of the message, which is how a send whose answer was lost
 * is recognised later (docs/whatsapp.md, Statuses; docs/architecture.md, exactly-once send).
 */
export function graphBody(command: SendRequested): GraphBody {
  const message = command.message;
  if (message.kind === 'read') {
    // Mark-as-read is not a message: no `to`, no `type`, no callback data (docs/whatsapp.md, Sending).
    return { messaging_product: 'whatsapp', status: 'read', message_id: message.messageId };
  }
  return {
    messaging_product: 'whatsapp',
    recipient_type: 'individual',
    to: command.to,
    ...(command.replyTo ? { context: { message_id: command.replyTo } } : {}),
    ...messageContent(message),
    biz_opaque_callback_data: command.id,
  };
}

type SendableMessage = Exclude<OutboundMessage, { kind: 'read' }>;

function messageContent(message: SendableMessage): GraphBody {
  switch (message.kind) {
    case 'text':
      return { type: 'text', text: { body: message.body, preview_url: message.previewUrl } };
    case 'buttons':
      return {
        type: 'interactive',
        interactive: {
          type: 'button',
          ...(message.header ? { header: { type: 'text', text: message.header } } : {}),
          body: { text: message.body },
          ...(message.footer ? { footer: { text: message.footer } } : {}),
          action: {
            buttons: message.buttons.map((b) => ({ type: 'reply', reply: { id: b.id, title: b.title } })),
          },
        },
      };
    case 'list':
      return {
        type: 'interactive',
        interactive: {
          type: 'list',
          ...(message.header ? { header: { type: 'text', text: message.header } } : {}),
          body: { text: message.body },
          ...(message.footer ? { footer: { text: message.footer } } : {}),
          action: {
            button: message.button,
            sections: message.sections.map((section) => ({
              ...(section.title ? { title: section.title } : {}),
              rows: section.rows.map((row) => ({
                id: row.id,
                title: row.title,
                ...(row.description ? { description: row.description } : {}),
              })),
            })),
          },
        },
      };
    case 'flow':
      return {
        type: 'interactive',
        interactive: {
          type: 'flow',
          ...(message.header ? { header: { type: 'text', text: message.header } } : {}),
          body: { text: message.body },
          ...(message.footer ? { footer: { text: message.footer } } : {}),
          action: {
            name: 'flow',
            parameters: {
              flow_message_version: '3',
              flow_token: message.flowToken,
              flow_id: message.flowId,
              flow_cta: message.cta,
              // The first screen and its data come from the endpoint's INIT answer.
              flow_action: 'data_exchange',
            },
          },
        },
      };
    case 'template':
      return {
        type: 'template',
        template: {
          name: message.name,
          language: { code: message.language },
          ...(message.components.length > 0 ? { components: message.components } : {}),
        },
      };
    default: {
      const unknown: never = message;
      throw new Error(`unsupported message kind ${(unknown as { kind: string }).kind}`);
    }
  }
}
