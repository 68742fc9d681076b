import { describe, expect, it } from 'vitest';
import { ratingIn } from '../src/dialogue/feedback-words.js';
import {
  answeredByStaff,
  type CallResult,
  type ConversationState,
  type Language,
} from '../src/dialogue/index.js';
import { at, bodies, greeted, tap, turn, when } from './dialogue-fixtures.js';

const RSV = 'r_abcdefghijklmnop';
/** A conversation the feedback request of booking RSV was sent into an hour before NOW. */
const asked = (language: Language = 'en'): ConversationState => ({
  ...greeted(language),
  feedbackAsked: { reservationId: RSV, at: at(-3_600_000) },
});
const given = (rating: number): CallResult => ({ kind: 'feedbackGiven', result: { ok: true, rating } });
const refused = (code: string): CallResult => ({ kind: 'feedbackGiven', result: { ok: false, code } });

describe('a rating after a feedback request', () => {
  it('records a tap on a row on the booking, asks once for a comment, and records the next text as it (English)', async () => {
    const s1 = await when(asked(), tap(`feedback:4:${RSV}`, '4 – Very good'), [given(4)]);
    expect(s1.calls).toEqual([{ kind: 'giveFeedback', reservationId: RSV, rating: 4 }]);
    expect(s1.notes).toEqual([{ kind: 'feedback.given', reservationId: RSV, rating: 4 }]);
    expect(bodies(s1.replies)).toEqual(['Thank you! Anything you\'d like to tell us? (or "no")']);
    expect(s1.state.phase).toEqual({ kind: 'askingFeedbackComment', reservationId: RSV });
    expect(s1.state.feedbackAsked).toBeUndefined();

    const s2 = await when(s1.state, turn('The lamb was cold', { intent: 'OTHER' }), [given(4)]);
    expect(s2.calls).toEqual([{ kind: 'giveFeedback', reservationId: RSV, comment: 'The lamb was cold' }]);
    expect(s2.notes).toEqual([{ kind: 'feedback.commented', reservationId: RSV }]);
    expect(bodies(s2.replies)).toEqual(['Thank you for your feedback!']);
    expect(s2.state.phase).toEqual({ kind: 'idle' });
  });

  it('flags a rating of 2 or less for staff, and a staff reply clears the flag', async () => {
    const low = await when(asked(), tap(`feedback:2:${RSV}`, '2 – Fair'), [given(2)]);
    expect(low.state.lowRating).toEqual({ reservationId: RSV, rating: 2, at: at(0) });
    expect(answeredByStaff(low.state, 'Hana').lowRating).toBeUndefined();
    const high = await when(asked(), tap(`feedback:3:${RSV}`, '3 – Good'), [given(3)]);
    expect(high.state.lowRating).toBeUndefined();
  });

  it('takes "no" as no comment', async () => {
    const s1 = await when(asked(), tap(`feedback:5:${RSV}`, '5 – Excellent'), [given(5)]);
    const s2 = await when(s1.state, turn('no', { intent: 'OTHER' }));
    expect(s2.calls).toEqual([]);
    expect(s2.notes).toEqual([]);
    expect(bodies(s2.replies)).toEqual(['Thank you for your feedback!']);
  });

  it('understands words and digits: "ممتاز" and "5 stars" rate 5 (Arabic, English)', async () => {
    const ar = await when(asked('ar'), turn('ممتاز', { intent: 'OTHER', language: 'ar' }), [given(5)]);
    expect(ar.notes).toEqual([{ kind: 'feedback.given', reservationId: RSV, rating: 5 }]);
    expect(bodies(ar.replies)).toEqual(['شكرًا! هل تود أن تخبرنا بشيء؟ (أو "لا")']);
    const en = await when(asked(), turn('5 stars', { intent: 'OTHER' }), [given(5)]);
    expect(en.calls).toEqual([{ kind: 'giveFeedback', reservationId: RSV, rating: 5 }]);
  });

  it('rates once: a second tap on the request only thanks the guest', async () => {
    const s1 = await when(asked(), tap(`feedback:2:${RSV}`, '2 – Fair'), [given(2)]);
    const s2 = await when(await skipComment(s1.state), tap(`feedback:5:${RSV}`, '5 – Excellent'));
    expect(s2.calls).toEqual([]);
    expect(bodies(s2.replies)).toEqual(['Thank you for your feedback!']);
  });

  it('thanks a guest whose visit the reservation service finds rated already, and asks for no comment', async () => {
    const s = await when(asked(), turn('5', { intent: 'OTHER' }), [refused('ALREADY_RATED')]);
    expect(s.notes).toEqual([{ kind: 'call.failed', call: 'feedbackGiven', code: 'ALREADY_RATED' }]);
    expect(bodies(s.replies)).toEqual(['Thank you for your feedback!']);
    expect(s.state.phase).toEqual({ kind: 'idle' });
  });

  it('leaves words alone without a request, or a day after it', async () => {
    const none = await when(greeted(), turn('5', { intent: 'OTHER' }));
    expect(none.notes).not.toContainEqual(expect.objectContaining({ kind: 'feedback.given' }));
    const old = await when(
      { ...greeted(), feedbackAsked: { reservationId: RSV, at: at(-25 * 3_600_000) } },
      turn('5', { intent: 'OTHER' }),
    );
    expect(old.notes).not.toContainEqual(expect.objectContaining({ kind: 'feedback.given' }));
  });
});

describe('ratingIn', () => {
  it.each([
    ['5', 5],
    ['٣', 3],
    ['4/5', 4],
    ['2 stars', 2],
    ['٥ نجوم', 5],
    ['4 étoiles', 4],
    ['Excellent!', 5],
    ['muy bien', 4],
    ['سيء', 2],
    ['terrible', 1],
  ])('reads %s as %i', (text, rating) => {
    expect(ratingIn(text)).toBe(rating);
  });

  it.each(['table for 4', '6', '12', 'what time do you open'])('reads no rating in %s', (text) => {
    expect(ratingIn(text)).toBeUndefined();
  });
});

async function skipComment(state: ConversationState): Promise<ConversationState> {
  return (await when(state, turn('no', { intent: 'OTHER' }))).state;
}
