import { sendRequestedSchema } from '@reserveit/contracts';
import { describe, expect, it } from 'vitest';
import {
  type Conversation,
  type DecideContext,
  type Decision,
  decide,
  decisionIds,
  type FeedbackWork,
  newConversation,
} from '../src/decider/index.js';
import { DEFAULT_SETTINGS, type Language } from '../src/dialogue/index.js';
import { BUSINESS, NOW } from './dialogue-fixtures.js';

const ID = 'c_feedback';
const PNID = 'pnid-1';
const HOUR = 3_600_000;
const TEMPLATES = [
  { name: 'booking_reminder', language: 'en', bodyParameters: 2, category: 'UTILITY', purpose: 'reminder' },
  { name: 'visit_feedback', language: 'en_US', bodyParameters: 1, category: 'UTILITY', purpose: 'feedback' },
  { name: 'visit_feedback', language: 'ar', bodyParameters: 0, category: 'UTILITY', purpose: 'feedback' },
];
const work: FeedbackWork = {
  kind: 'feedback_request',
  reservationId: 'r-1',
  businessId: 'bistro',
  serviceDate: '2026-11-22',
  startsAt: '2026-11-22T16:00:00.000Z',
  guestId: '971500000001',
};
const WORK_ID = 'feedback:r-1@2026-11-22T19:00:00.000Z';

const context = (): DecideContext => {
  const cause = { kind: 'work' as const, workId: WORK_ID };
  return { now: NOW, settings: DEFAULT_SETTINGS, cause, ids: decisionIds(ID, cause) };
};

/** A conversation in `language` whose guest last wrote `hoursAgo` hours before NOW (never: undefined). */
function conversation(language: Language, hoursAgo?: number): Conversation {
  const fresh = newConversation(ID, NOW);
  const lastInboundAt =
    hoursAgo === undefined ? undefined : new Date(Date.parse(NOW) - hoursAgo * HOUR).toISOString();
  return {
    ...fresh,
    dialogue: { ...fresh.dialogue, language, ...(lastInboundAt ? { lastInboundAt } : {}) },
  };
}

function ask(state: Conversation, templates = TEMPLATES) {
  const business = { ...BUSINESS, templates };
  const decision: Decision = decide(
    { type: 'feedbackDue', feedback: work, business, phoneNumberId: PNID },
    state,
    context(),
  );
  if (decision.outcome !== 'decided') throw new Error(`expected a decision, got ${JSON.stringify(decision)}`);
  for (const send of decision.sends) sendRequestedSchema.parse(send);
  const notes = decision.events.flatMap((event) =>
    event.type === 'conversation.dialogue.noted' ? [[event.note, event.detail]] : [],
  );
  const stateEvent = decision.events.find((event) => event.type === 'conversation.state.changed');
  return { sends: decision.sends, notes, stateEvent };
}

describe('a feedback request that came due', () => {
  it('asks "How was your visit?" with a list of five ratings inside the 24-hour window', () => {
    const { sends, notes, stateEvent } = ask(conversation('en', 3));
    expect(sends.map((send) => [send.id, send.to, send.phoneNumberId])).toEqual([
      [`${ID}:work:${WORK_ID}:1`, work.guestId, PNID],
    ]);
    expect(sends[0]?.message).toMatchObject({
      kind: 'list',
      body: 'How was your visit? Tap to rate it from 1 to 5.',
      button: 'Rate your visit',
      sections: [
        {
          rows: [
            { id: 'feedback:1:r-1', title: '1 – Poor' },
            { id: 'feedback:2:r-1' },
            { id: 'feedback:3:r-1' },
            { id: 'feedback:4:r-1' },
            { id: 'feedback:5:r-1', title: '5 – Excellent' },
          ],
        },
      ],
    });
    expect(notes).toEqual([['feedback.asked', { reservationId: 'r-1', via: 'list' }]]);
    expect(stateEvent).toMatchObject({ state: { feedbackAsked: { reservationId: 'r-1', at: NOW } } });
  });

  it('asks in Arabic in an Arabic conversation', () => {
    const { sends } = ask(conversation('ar', 1));
    expect(sends[0]?.message).toMatchObject({
      kind: 'list',
      body: 'كيف كانت زيارتك؟ اختر تقييمًا من 1 إلى 5.',
      sections: [{ rows: expect.arrayContaining([{ id: 'feedback:5:r-1', title: '5 – ممتازة' }]) }],
    });
  });

  it('sends the feedback template once the window closed: the restaurant’s name, five quick replies', () => {
    const { sends, notes } = ask(conversation('en', 25));
    expect(sends[0]?.message).toMatchObject({
      kind: 'template',
      name: 'visit_feedback',
      language: 'en_US',
      components: [
        { type: 'body', parameters: [{ type: 'text', text: BUSINESS.name }] },
        ...[1, 2, 3, 4, 5].map((rating, index) => ({
          type: 'button',
          sub_type: 'quick_reply',
          index: String(index),
          parameters: [{ type: 'payload', payload: `feedback:${rating}:r-1` }],
        })),
      ],
    });
    expect(notes).toEqual([
      ['feedback.asked', { reservationId: 'r-1', via: 'template', template: 'visit_feedback' }],
    ]);
    const arabic = ask(conversation('ar'));
    expect(arabic.sends[0]?.message).toMatchObject({ kind: 'template', language: 'ar' });
  });

  it('sends nothing outside the window without a feedback template: staff are told instead', () => {
    const { sends, notes, stateEvent } = ask(
      conversation('en', 30),
      TEMPLATES.filter((template) => template.purpose !== 'feedback'),
    );
    expect(sends).toEqual([]);
    expect(notes).toEqual([['feedback.undeliverable', { reservationId: 'r-1', reason: 'no_template' }]]);
    expect(stateEvent).not.toMatchObject({ state: { feedbackAsked: expect.anything() } });
  });
});
