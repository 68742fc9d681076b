import { sendRequestedSchema } from '@reserveit/contracts';
import { describe, expect, it } from 'vitest';
import {
  type Conversation,
  type DecideContext,
  type Decision,
  decide,
  decisionIds,
  newConversation,
  type OfferTemplate,
} from '../src/decider/index.js';
import { DEFAULT_SETTINGS, type Language } from '../src/dialogue/index.js';
import { NOW } from './dialogue-fixtures.js';

const ID = 'c_no_show';
const HOUR = 3_600_000;
const party = { businessId: 'bistro', phoneNumberId: 'pnid-1', guestId: '971500000001' };
const noShow = { reservationId: 'r-1', date: '2026-11-23', time: '13:00' };
const templates: OfferTemplate[] = [
  { name: 'missed_you', language: 'en_US', bodyParameters: 1 },
  { name: 'missed_you', language: 'ar', bodyParameters: 0 },
];
// The no-show event's id names the decision: a redelivery is the same cause.
const cause = { kind: 'staff' as const, actionId: '8f0c2a56-0d7e-4b1b-9a51-3f6f2d1c7e90' };
const context = (): DecideContext => ({
  now: NOW,
  settings: DEFAULT_SETTINGS,
  cause,
  ids: decisionIds(ID, cause),
});

/** A conversation in `language` whose guest last wrote `hoursAgo` hours before NOW (never: undefined). */
function conversation(language: Language, hoursAgo?: number): Conversation {
  const fresh = newConversation(ID, NOW);
  const lastInboundAt =
    hoursAgo === undefined ? undefined : new Date(Date.parse(NOW) - hoursAgo * HOUR).toISOString();
  return {
    ...fresh,
    party: hoursAgo === undefined ? undefined : party,
    dialogue: { ...fresh.dialogue, language, ...(lastInboundAt ? { lastInboundAt } : {}) },
  };
}

function markNoShow(state: Conversation, approved: OfferTemplate[] = templates) {
  const decision: Decision = decide(
    { type: 'noShowMessage', noShow, templates: approved, party },
    state,
    context(),
  );
  if (decision.outcome !== 'decided') throw new Error(`expected a decision, got ${JSON.stringify(decision)}`);
  for (const send of decision.sends) sendRequestedSchema.parse(send);
  const notes = decision.events.flatMap((event) =>
    event.type === 'conversation.dialogue.noted' ? [[event.note, event.detail]] : [],
  );
  return { sends: decision.sends, notes, events: decision.events };
}

describe('a guest marked no-show, when the restaurant asked for a word to them', () => {
  it('gets one polite text inside the 24-hour window, in English', () => {
    const { sends, notes } = markNoShow(conversation('en', 5));
    expect(sends.map((send) => [send.id, send.to, send.phoneNumberId])).toEqual([
      [`${ID}:staff:${cause.actionId}:1`, party.guestId, party.phoneNumberId],
    ]);
    expect(sends[0]?.message).toMatchObject({
      kind: 'text',
      body: expect.stringMatching(/^We missed you today.*13:00.*book another time/),
    });
    expect(notes).toEqual([['no_show.messaged', { reservationId: 'r-1', via: 'text' }]]);
  });

  it('is written in the conversation’s language (Arabic, Spanish, French)', () => {
    const bodies = (['ar', 'es', 'fr'] as const).map((language) => {
      const message = markNoShow(conversation(language, 1)).sends[0]?.message;
      return message?.kind === 'text' ? message.body : undefined;
    });
    expect(bodies[0]).toContain('افتقدناك');
    expect(bodies[1]).toContain('le echamos de menos');
    expect(bodies[2]).toContain('Vous nous avez manqué');
  });

  it('gets the restaurant’s no-show template in its language once the window closed, its parameters cut to the body’s', () => {
    const english = markNoShow(conversation('en', 30));
    expect(english.sends[0]?.message).toEqual({
      kind: 'template',
      name: 'missed_you',
      language: 'en_US',
      components: [{ type: 'body', parameters: [{ type: 'text', text: expect.stringContaining('13:00') }] }],
    });
    expect(english.notes).toEqual([
      ['no_show.messaged', { reservationId: 'r-1', via: 'template', template: 'missed_you' }],
    ]);
    const arabic = markNoShow(conversation('ar', 30));
    expect(arabic.sends[0]?.message).toEqual({
      kind: 'template',
      name: 'missed_you',
      language: 'ar',
      components: [],
    });
  });

  it('reaches a guest who never wrote (a booking taken by phone) only by template, addressed from the booking', () => {
    const { sends, events } = markNoShow(conversation('en'));
    expect(sends.map((send) => [send.to, send.phoneNumberId, send.message.kind])).toEqual([
      [party.guestId, party.phoneNumberId, 'template'],
    ]);
    expect(events.find((event) => event.type === 'conversation.state.changed')).toMatchObject(party);
  });

  it('sends no free text outside the window: without a no-show template staff are told instead', () => {
    const { sends, notes } = markNoShow(conversation('en', 30), []);
    expect(sends).toEqual([]);
    expect(notes).toEqual([['no_show.undeliverable', { reservationId: 'r-1', reason: 'no_template' }]]);
  });
});
