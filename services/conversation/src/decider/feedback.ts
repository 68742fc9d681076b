import { catalogueFor, choiceId } from '../dialogue/index.js';
import { Recorder } from './recorder.js';
import { quickReplyTemplate, templateIn } from './templates.js';
import type { Conversation, ConversationCommand, DecideContext, Decision, Party } from './types.js';
import { insideWindow } from './window.js';

type FeedbackDue = Extract<ConversationCommand, { type: 'feedbackDue' }>;

const RATINGS = [1, 2, 3, 4, 5] as const;

/**
 * "How was your visit?" after a seated or finished booking, in the conversation's language. Inside
 * WhatsApp's 24-hour window a list of five ratings (buttons stop at three). Outside it the
 * restaurant's template with purpose 'feedback', its {{1}} the restaurant's name when it has one,
 * its quick replies (1 … 5, as many as it has) carrying the ratings; without one nothing is sent
 * and a `feedback.undeliverable` note tells staff.
 */
export function feedbackDue(command: FeedbackDue, state: Conversation, context: DecideContext): Decision {
  const { feedback, business } = command;
  const party: Party = state.party ?? {
    businessId: business.id,
    phoneNumberId: command.phoneNumberId,
    guestId: feedback.guestId,
  };
  const record = new Recorder(state.id, party, context);
  const { language } = state.dialogue;
  const catalogue = catalogueFor(language);
  const { reservationId } = feedback;

  if (insideWindow(state.dialogue, context.now)) {
    record.reply({
      kind: 'list',
      body: catalogue.feedbackAsk,
      button: catalogue.feedbackListButton,
      rows: RATINGS.map((rating, index) => ({
        id: choiceId.feedback(rating, reservationId),
        title: catalogue.feedbackRatings[index] ?? String(rating),
      })),
    });
    record.note({ kind: 'feedback.asked', reservationId, via: 'list' });
  } else {
    const template = templateIn(
      (business.templates ?? []).filter((candidate) => candidate.purpose === 'feedback'),
      language,
    );
    if (template) {
      const parameters = [business.name].slice(0, template.bodyParameters);
      const payloads = RATINGS.map((rating) => choiceId.feedback(rating, reservationId));
      record.template(quickReplyTemplate(template, parameters, payloads), parameters);
      record.note({ kind: 'feedback.asked', reservationId, via: 'template', template: template.name });
    } else {
      record.note({ kind: 'feedback.undeliverable', reservationId, reason: 'no_template' });
    }
  }
  // Sent (either way): the guest's tap or words may rate the visit.
  const dialogue =
    record.sends.length > 0
      ? { ...state.dialogue, feedbackAsked: { reservationId, at: context.now } }
      : state.dialogue;
  return { outcome: 'decided', events: record.state(dialogue).events, sends: record.sends };
}
