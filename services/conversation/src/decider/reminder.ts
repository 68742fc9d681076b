import type { OutboundMessage } from '@reserveit/contracts';
import { wallClockAt } from '@reserveit/time';
import { type BusinessProfile, catalogueFor, choiceId, type Language } from '../dialogue/index.js';
import { Recorder } from './recorder.js';
import type { Conversation, ConversationCommand, DecideContext, Decision, Party } from './types.js';
import { insideWindow } from './window.js';

type ReminderDue = Extract<ConversationCommand, { type: 'reminderDue' }>;
type Template = NonNullable<BusinessProfile['templates']>[number];

const ANSWERS = ['confirm', 'cancel', 'late'] as const;

/**
 * A booking's reminder, in the conversation's language. Inside WhatsApp's 24-hour window it is a
 * message with Confirm / Cancel / Running late buttons. Outside it free text would fail (131047),
 * so it is the restaurant's approved template, with the date, time and party size as its body
 * parameters and the same three answers as its quick-reply payloads; without one there is no
 * message at all, and a `reminder.undeliverable` note tells staff.
 */
export function reminderDue(command: ReminderDue, state: Conversation, context: DecideContext): Decision {
  const { reminder, business } = command;
  const party: Party = state.party ?? {
    businessId: business.id,
    phoneNumberId: command.phoneNumberId,
    guestId: reminder.guestId,
  };
  const record = new Recorder(state.id, party, context);
  const { language } = state.dialogue;
  const catalogue = catalogueFor(language);
  const wall = wallClockAt(Date.parse(reminder.startsAt), business.timezone);
  const when = catalogue.when(wall.date, wall.time);
  const { reservationId } = reminder;

  if (insideWindow(state.dialogue, context.now)) {
    const titles = catalogue.reminderButtons;
    record.reply({
      kind: 'buttons',
      body: catalogue.reminder(when, reminder.partySize),
      buttons: ANSWERS.map((answer) => ({
        id: choiceId.reminder(answer, reservationId),
        title: titles[answer],
      })),
    });
    record.note({ kind: 'reminder.sent', reservationId, via: 'buttons' });
  } else {
    const template = reminder.templateName
      ? templateFor(business.templates ?? [], reminder.templateName, language)
      : undefined;
    if (template) {
      const parameters = [when, wall.time, String(reminder.partySize)].slice(0, template.bodyParameters);
      record.template(templateMessage(template, parameters, reservationId), parameters);
      record.note({ kind: 'reminder.sent', reservationId, via: 'template', template: template.name });
    } else {
      record.note({ kind: 'reminder.undeliverable', reservationId, reason: 'no_template' });
    }
  }
  // Sent (either way): the guest's next words may answer it.
  const sent = record.sends.length > 0;
  const dialogue = sent
    ? { ...state.dialogue, reminded: { reservationId, at: context.now } }
    : state.dialogue;
  return { outcome: 'decided', events: record.state(dialogue).events, sends: record.sends };
}

/** The template of that name in the conversation's language (en matches en_US too), else in any. */
function templateFor(templates: readonly Template[], name: string, language: Language): Template | undefined {
  const named = templates.filter((template) => template.name === name);
  return (
    named.find(
      (template) => template.language === language || template.language.startsWith(`${language}_`),
    ) ?? named[0]
  );
}

/**
 * Meta's template send: body parameters in order, and one component per quick-reply button
 * (index 0, 1, 2) whose payload comes back in the guest's tap
 * (https://developers.facebook.com/docs/whatsapp/cloud-api/guides/send-message-templates#interactive-message-templates).
 */
function templateMessage(
  template: Template,
  parameters: readonly string[],
  reservationId: string,
): OutboundMessage & { kind: 'template' } {
  return {
    kind: 'template',
    name: template.name,
    language: template.language,
    components: [
      ...(parameters.length > 0
        ? [{ type: 'body', parameters: parameters.map((text) => ({ type: 'text', text })) }]
        : []),
      ...ANSWERS.map((answer, index) => ({
        type: 'button',
        sub_type: 'quick_reply',
        index: String(index),
        parameters: [{ type: 'payload', payload: choiceId.reminder(answer, reservationId) }],
      })),
    ],
  };
}
