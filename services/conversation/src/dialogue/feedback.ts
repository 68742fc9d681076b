import { type Choice, typedAnswer } from './choices.js';
import type { Draft } from './draft.js';
import { ratingIn } from './feedback-words.js';
import type { GuestTurn, Step } from './types.js';

/** Words rate the visit for a day after the request was sent, like its list rows do. */
const RATES_FEEDBACK_MS = 24 * 60 * 60_000;

type FeedbackChoice = Extract<Choice, { kind: 'feedback' }>;

/**
 * A tap on a feedback request's row (or its template's quick reply). A visit is rated once: a tap
 * on a request already answered (an older message, a second tap) only thanks the guest.
 */
export function onFeedbackChoice(d: Draft, choice: FeedbackChoice): Step {
  if (d.state.feedbackAsked?.reservationId !== choice.reservationId)
    return d.say(d.cat.feedbackThanks).done();
  return rate(d, choice.reservationId, choice.rating);
}

/**
 * The guest's words after a feedback request ("5", "5 stars", "ممتاز") or the comment asked for
 * after the rating: the next text is the comment, "no" declines it. Undefined when they are neither.
 */
export function onFeedbackWords(d: Draft, turn: GuestTurn): Step | undefined {
  const { phase, feedbackAsked } = d.state;
  if (phase.kind === 'askingFeedbackComment') {
    d.phase({ kind: 'idle' });
    if (typedAnswer(turn.text) !== 'no')
      d.note({ kind: 'feedback.commented', reservationId: phase.reservationId });
    return d.say(d.cat.feedbackThanks).done();
  }
  if (!feedbackAsked || phase.kind !== 'idle') return undefined;
  if (Date.parse(turn.now) - Date.parse(feedbackAsked.at) > RATES_FEEDBACK_MS) return undefined;
  const rating = ratingIn(turn.text);
  return rating === undefined ? undefined : rate(d, feedbackAsked.reservationId, rating);
}

/** The rating is noted, the request answered (rated once), and a comment asked for once. */
function rate(d: Draft, reservationId: string, rating: number): Step {
  const { feedbackAsked: _answered, ...rest } = d.state;
  d.state = rest;
  return d
    .note({ kind: 'feedback.given', reservationId, rating })
    .phase({ kind: 'askingFeedbackComment', reservationId, rating })
    .say(d.cat.feedbackAskComment)
    .done();
}
