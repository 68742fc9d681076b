import type { OutboundMessage } from '@reserveit/contracts';
import type { BusinessProfile, Language } from '../dialogue/index.js';

export type Template = NonNullable<BusinessProfile['templates']>[number];

/** Of the templates chosen, the one in the conversation's language (en matches en_US too), else any. */
export function templateIn(templates: readonly Template[], language: Language): Template | undefined {
  return (
    templates.find(
      (template) => template.language === language || template.language.startsWith(`${language}_`),
    ) ?? templates[0]
  );
}

/**
 * Meta's template send: body parameters in order, and one component per quick-reply button
 * (index 0, 1, 2 …) whose payload comes back in the guest's tap
 * (https://developers.facebook.com/docs/whatsapp/cloud-api/guides/send-message-templates#interactive-message-templates).
 */
export function quickReplyTemplate(
  template: Template,
  parameters: readonly string[],
  payloads: readonly string[],
): OutboundMessage & { kind: 'template' } {
  return {
    kind: 'template',
    name: template.name,
    language: template.language,
    components: [
      ...(parameters.length > 0
        ? [{ type: 'body', parameters: parameters.map((text) => ({ type: 'text', text })) }]
        : []),
      ...payloads.map((payload, index) => ({
        type: 'button',
        sub_type: 'quick_reply',
        index: String(index),
        parameters: [{ type: 'payload', payload }],
      })),
    ],
  };
}
