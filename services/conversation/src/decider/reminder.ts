import { wallClockAt } from '@reserveit/time';
import { catalogueFor, choiceId } from '../dialogue/index.js';
import { Recorder } from './recorder.js';
import { quickReplyTemplate, templateIn } from './templates.js';
import type { Conversation, ConversationCommand, DecideContext, Decision, Party } from './types.js';
import { insideWindow } from './window.js';

type ReminderDue = Extract<ConversationCommand, { type: 'reminderDue' }>;

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
      ? templateIn(
          (business.templates ?? []).filter((template) => template.name === reminder.templateName),
          language,
        )
      : undefined;
    if (template) {
      const parameters = [when, wall.time, String(reminder.partySize)].slice(0, template.bodyParameters);
      const payloads = ANSWERS.map((answer) => choiceId.reminder(answer, reservationId));
      record.template(quickReplyTemplate(template, parameters, payloads), parameters);
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
