import { catalogueFor } from '../dialogue/index.js';
import { Recorder } from './recorder.js';
import type { Conversation, ConversationCommand, DecideContext, Decision } from './types.js';
import { insideWindow } from './window.js';

type NoShowMessage = Extract<ConversationCommand, { type: 'noShowMessage' }>;

/**
 * One polite word to a guest marked no-show, in the conversation's language. Inside WhatsApp's
 * 24-hour window it is text; outside it free text would fail (131047), so it is the restaurant's
 * no-show template (its body {{1}} the booking's day and time, when it has one); without one
 * nothing goes out and a `no_show.undeliverable` note tells staff. The dialogue is left as it
 * was: the guest's answer, if any, is an ordinary new message.
 */
export function noShowMessage(command: NoShowMessage, state: Conversation, context: DecideContext): Decision {
  const { noShow } = command;
  const record = new Recorder(state.id, state.party ?? command.party, context);
  const { language } = state.dialogue;
  const cat = catalogueFor(language);
  const when = cat.when(noShow.date, noShow.time);
  const { reservationId } = noShow;
  if (insideWindow(state.dialogue, context.now)) {
    record.reply({ kind: 'text', body: cat.noShow(when) });
    record.note({ kind: 'no_show.messaged', reservationId, via: 'text' });
  } else {
    const template =
      command.templates.find((t) => t.language.split('_')[0] === language) ?? command.templates[0];
    if (template) {
      const parameters = [when].slice(0, template.bodyParameters);
      record.template(
        {
          kind: 'template',
          name: template.name,
          language: template.language,
          components:
            parameters.length > 0
              ? [{ type: 'body', parameters: parameters.map((text) => ({ type: 'text', text })) }]
              : [],
        },
        parameters,
      );
      record.note({ kind: 'no_show.messaged', reservationId, via: 'template', template: template.name });
    } else {
      record.note({ kind: 'no_show.undeliverable', reservationId, reason: 'no_template' });
    }
  }
  return { outcome: 'decided', events: record.state(state.dialogue).events, sends: record.sends };
}
