import type { OutboundMessage } from '@reserveit/contracts';
import type { Reply } from './dialogue/index.js';

/** A dialogue reply as the OUTBOUND command's message (the schema re-checks WhatsApp's limits). */
export function toOutboundMessage(reply: Reply): OutboundMessage {
  switch (reply.kind) {
    case 'text':
      return { kind: 'text', body: reply.body, previewUrl: false };
    case 'buttons':
      return { kind: 'buttons', body: reply.body, buttons: reply.buttons };
    case 'list':
      return { kind: 'list', body: reply.body, button: reply.button, sections: [{ rows: reply.rows }] };
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
    default: {
      const never: never = reply;
      throw new Error(`unknown reply ${JSON.stringify(never)}`);
    }
  }
}
