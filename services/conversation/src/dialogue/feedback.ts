import { type Choice, typedAnswer } from './choices.js';
import { type Draft, isTransient } from './draft.js';
import { ratingIn } from './feedback-words.js';
import type { CallResult, GuestTurn, Step } from './types.js';

/** Ratings at or below this flag the conversation for staff. */
const LOW_RATING = 2;
/** Words rate the visit for a day after the request was sent, like its list rows do. */
const RATES_FEEDBACK_MS = 24 * 60 * 60_000;
/** What the reservation service keeps of a comment (GiveFeedback). */
const COMMENT_MAX = 1000;

type FeedbackChoice = Extract<Choice, { kind: 'feedback' }>;

/**
 * A tap on a feedback request's row (or its template's quick reply). A visit is rated once: a tap
 * on a request already answered (an older message, a second tap) only thanks the guest, and the
 * reservation service refuses a second rating too (ALREADY_RATED).
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
    const comment = turn.text.trim().slice(0, COMMENT_MAX);
    if (!comment || typedAnswer(comment) === 'no')
      return d.phase({ kind: 'idle' }).say(d.cat.feedbackThanks).done();
    return d
      .phase({ kind: 'givingFeedback', reservationId: phase.reservationId, step: 'comment' })
      .call({ kind: 'giveFeedback', reservationId: phase.reservationId, comment })
      .done();
  }
  if (!feedbackAsked || phase.kind !== 'idle') return undefined;
  if (Date.parse(turn.now) - Date.parse(feedbackAsked.at) > RATES_FEEDBACK_MS) return undefined;
  const rating = ratingIn(turn.text);
  return rating === undefined ? undefined : rate(d, feedbackAsked.reservationId, rating);
}

/** The request is answered (rated once) and the rating recorded on the booking. */
function rate(d: Draft, reservationId: string, rating: number): Step {
  const { feedbackAsked: _answered, ...rest } = d.state;
  d.state = rest;
  return d
    .phase({ kind: 'givingFeedback', reservationId, step: 'rating' })
    .call({ kind: 'giveFeedback', reservationId, rating })
    .done();
}

/**
 * GiveFeedback answered: after a rating a comment is asked for once; after the comment, thanks.
 * A visit rated already is thanked all the same.
 */
export function onFeedbackGiven(
  d: Draft,
  result: Extract<CallResult, { kind: 'feedbackGiven' }>['result'],
): Step {
  const phase = d.state.phase;
  if (phase.kind !== 'givingFeedback') return d.done();
  d.phase({ kind: 'idle' });
  const { reservationId } = phase;
  if (!result.ok) {
    if (isTransient(result.code)) return d.say(d.cat.checkFailed).done();
    return d.say(d.cat.feedbackThanks).done();
  }
  if (phase.step === 'comment')
    return d.note({ kind: 'feedback.commented', reservationId }).say(d.cat.feedbackThanks).done();
  if (result.rating <= LOW_RATING)
    d.state = { ...d.state, lowRating: { reservationId, rating: result.rating, at: d.now } };
  return d
    .note({ kind: 'feedback.given', reservationId, rating: result.rating })
    .phase({ kind: 'askingFeedbackComment', reservationId })
    .say(d.cat.feedbackAskComment)
    .done();
}
