import { sendRequestedSchema } from '@reserveit/contracts';
import { describe, expect, it } from 'vitest';
import {
  type Conversation,
  type DecideContext,
  type Decision,
  decide,
  decisionIds,
  newConversation,
  type ReminderWork,
} from '../src/decider/index.js';
import { DEFAULT_SETTINGS, type Language } from '../src/dialogue/index.js';
import { BUSINESS, NOW } from './dialogue-fixtures.js';

const ID = 'c_reminder';
const PNID = 'pnid-1';
const HOUR = 3_600_000;
const business = {
  ...BUSINESS,
  templates: [
    { name: 'booking_reminder', language: 'en_US', bodyParameters: 2, category: 'UTILITY' },
    { name: 'booking_reminder', language: 'ar', bodyParameters: 3, category: 'UTILITY' },
  ],
};
const work: ReminderWork = {
  kind: 'reminder',
  reservationId: 'r-1',
  businessId: 'bistro',
  serviceDate: '2026-11-24',
  // 20:00 in Dubai.
  startsAt: '2026-11-24T16:00:00.000Z',
  offsetMinutes: 1440,
  guestId: '971500000001',
  partySize: 4,
  templateName: 'booking_reminder',
};

const context = (): DecideContext => {
  const cause = { kind: 'work' as const, workId: 'reminder:r-1:0@2026-11-23T16:00:00.000Z' };
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

function remind(state: Conversation, reminder: ReminderWork = work) {
  const decision: Decision = decide(
    { type: 'reminderDue', reminder, business, phoneNumberId: PNID },
    state,
    context(),
  );
  if (decision.outcome !== 'decided') throw new Error(`expected a decision, got ${JSON.stringify(decision)}`);
  for (const send of decision.sends) sendRequestedSchema.parse(send);
  const notes = decision.events.flatMap((event) =>
    event.type === 'conversation.dialogue.noted' ? [[event.note, event.detail]] : [],
  );
  return { sends: decision.sends, notes };
}

describe('a reminder that came due', () => {
  it('asks with Confirm / Cancel / Running late buttons inside the 24-hour window, in English', () => {
    const { sends, notes } = remind(conversation('en', 3));
    expect(sends.map((send) => [send.id, send.to, send.phoneNumberId])).toEqual([
      [`${ID}:work:reminder:r-1:0@2026-11-23T16:00:00.000Z:1`, work.guestId, PNID],
    ]);
    expect(sends[0]?.message).toMatchObject({
      kind: 'buttons',
      body: expect.stringContaining('20:00'),
      buttons: [
        { id: 'reminder:confirm:r-1', title: 'Confirm' },
        { id: 'reminder:cancel:r-1', title: 'Cancel' },
        { id: 'reminder:late:r-1', title: 'Running late' },
      ],
    });
    expect(notes).toEqual([['reminder.sent', { reservationId: 'r-1', via: 'buttons' }]]);
  });

  it('asks in Arabic, with Arabic buttons, in an Arabic conversation', () => {
    const { sends } = remind(conversation('ar', 1));
    expect(sends[0]?.message).toMatchObject({
      kind: 'buttons',
      buttons: [
        { id: 'reminder:confirm:r-1', title: 'تأكيد' },
        { id: 'reminder:cancel:r-1', title: 'إلغاء' },
        { id: 'reminder:late:r-1', title: 'سأتأخر قليلًا' },
      ],
    });
  });

  it('sends the template in the conversation’s language once the window closed, its parameters cut to the body’s', () => {
    const english = remind(conversation('en', 25));
    expect(english.sends[0]?.message).toMatchObject({
      kind: 'template',
      name: 'booking_reminder',
      language: 'en_US',
      components: [
        { type: 'body', parameters: [{ type: 'text' }, { type: 'text', text: '20:00' }] },
        { type: 'button', sub_type: 'quick_reply', index: '0' },
        { type: 'button', sub_type: 'quick_reply', index: '1' },
        { type: 'button', sub_type: 'quick_reply', index: '2' },
      ],
    });
    expect(english.notes).toEqual([
      ['reminder.sent', { reservationId: 'r-1', via: 'template', template: 'booking_reminder' }],
    ]);
    const arabic = remind(conversation('ar'));
    expect(arabic.sends[0]?.message).toMatchObject({ kind: 'template', language: 'ar' });
  });

  it('sends no free text outside the window: without a template staff are told instead', () => {
    const { sends, notes } = remind(conversation('en', 30), { ...work, templateName: null });
    expect(sends).toEqual([]);
    expect(notes).toEqual([['reminder.undeliverable', { reservationId: 'r-1', reason: 'no_template' }]]);
    const unknownName = remind(conversation('en', 30), { ...work, templateName: 'not_approved' });
    expect(unknownName.sends).toEqual([]);
  });
});
