import { businessOfFlowToken } from '@reserveit/contracts';
import { describe, expect, it } from 'vitest';
import { type BusinessProfile, initialState, type Reply } from '../src/dialogue/index.js';
import {
  available,
  BUSINESS,
  bodies,
  buttonsOf,
  greeted,
  NOW,
  TOMORROW,
  tap,
  turn,
  when,
} from './dialogue-fixtures.js';

const FLOW_ID = '1187654321098765';
const WITH_FLOW: BusinessProfile = { ...BUSINESS, bookingFlowId: FLOW_ID };

function flowOf(reply: Reply | undefined): Extract<Reply, { kind: 'flow' }> {
  if (reply?.kind !== 'flow') throw new Error(`expected a flow message, got ${reply?.kind}`);
  return reply;
}

describe('the booking Flow offered when a booking starts', () => {
  it('answers "Book a table" with the Flow, its token naming the restaurant, and keeps asking for the day', async () => {
    const { replies, state } = await when(
      greeted(),
      tap('intent:book', 'Book a table', { business: WITH_FLOW }),
    );
    expect(replies).toHaveLength(1);
    const offer = flowOf(replies[0]);
    expect(offer).toMatchObject({ flowId: FLOW_ID, cta: 'Choose a time' });
    expect(offer.body).toContain('For which day would you like the table?');
    expect(offer.cta.length).toBeLessThanOrEqual(20);
    expect(offer.flowToken).toMatch(/^book\.bistro\.[A-Za-z0-9_-]{22}$/);
    expect(businessOfFlowToken(offer.flowToken)).toBe('bistro');
    expect(state.phase).toEqual({ kind: 'collecting', booking: {}, expecting: 'date' });
  });

  it('makes the same token for a redelivered message and another for the next one', async () => {
    const first = tap('intent:book', 'Book a table', { business: WITH_FLOW });
    const once = flowOf((await when(greeted(), first)).replies[0]);
    const again = flowOf((await when(greeted(), first)).replies[0]);
    const other = flowOf(
      (await when(greeted(), tap('intent:book', 'Book a table', { business: WITH_FLOW }))).replies[0],
    );
    expect(again.flowToken).toBe(once.flowToken);
    expect(other.flowToken).not.toBe(once.flowToken);
  });

  it('lets the guest type instead: the day typed after the offer is taken, and the Flow is not offered again', async () => {
    const offered = await when(
      greeted(),
      turn('I want to book', { intent: 'BOOK' }, { business: WITH_FLOW }),
    );
    flowOf(offered.replies[0]);
    const typed = await when(
      offered.state,
      turn('tomorrow', { intent: 'OTHER', entities: { date: TOMORROW } }, { business: WITH_FLOW }),
    );
    expect(bodies(typed.replies)).toEqual(['At what time?']);
    const muddled = await when(offered.state, turn('hmm', { intent: 'OTHER' }, { business: WITH_FLOW }));
    expect(muddled.replies.map((reply) => reply.kind)).toEqual(['text', 'text']);
    expect(bodies(muddled.replies)[1]).toBe('For which day would you like the table?');
  });

  it('takes the completed Flow (a booking with every detail) to the availability check and the summary', async () => {
    const offered = await when(greeted(), tap('intent:book', 'Book a table', { business: WITH_FLOW }));
    const completed = await when(
      offered.state,
      turn(
        '',
        { intent: 'BOOK', entities: { date: TOMORROW, time: '20:00', partySize: 4, guestName: 'Sarah' } },
        { business: WITH_FLOW },
      ),
      [available],
    );
    expect(completed.calls).toEqual([
      { kind: 'checkAvailability', partySize: 4, date: TOMORROW, time: '20:00' },
    ]);
    expect(buttonsOf(completed.replies[0]).map((b) => b.id)).toEqual([
      'confirm:yes',
      'confirm:change',
      'confirm:cancel',
    ]);
    expect(completed.state.phase).toMatchObject({ kind: 'confirming', booking: { name: 'Sarah' } });
  });

  it('asks in text when the restaurant has no Flow, or when the guest already gave details', async () => {
    const plain = await when(greeted(), tap('intent:book', 'Book a table'));
    expect(plain.replies.map((reply) => reply.kind)).toEqual(['text']);
    expect(bodies(plain.replies)).toEqual(['For which day would you like the table?']);
    const detailed = await when(
      greeted(),
      turn('table for 4', { intent: 'BOOK', entities: { partySize: 4 } }, { business: WITH_FLOW }),
    );
    expect(detailed.replies.map((reply) => reply.kind)).toEqual(['text']);
  });

  it('puts the greeting owed to a new guest in the Flow message', async () => {
    const { replies } = await when(
      initialState(NOW),
      turn('table please', { intent: 'BOOK' }, { business: WITH_FLOW }),
    );
    const offer = flowOf(replies[0]);
    expect(offer.body).toMatch(/^Welcome to Bistro Dubai, the best grill in town!\n/);
    expect(replies).toHaveLength(1);
  });

  it('offers it in Arabic to an Arabic guest, and asks in Arabic text when there is no Flow', async () => {
    const arabic = await when(
      greeted('ar'),
      turn('أبغى أحجز طاولة', { intent: 'BOOK', language: 'ar' }, { business: WITH_FLOW }),
    );
    const offer = flowOf(arabic.replies[0]);
    expect(offer.cta).toBe('اختر موعدًا');
    expect(offer.body).toContain('في أي يوم تود الحجز؟');
    const plain = await when(greeted('ar'), turn('أبغى أحجز طاولة', { intent: 'BOOK', language: 'ar' }));
    expect(bodies(plain.replies)).toEqual(['في أي يوم تود الحجز؟']);
    expect(plain.replies[0]?.kind).toBe('text');
  });

  it('takes a completed Flow as a booking only when its token names this restaurant', async () => {
    const complete = (flowToken: string) =>
      turn(
        'Sent',
        { intent: 'BOOK', entities: { date: TOMORROW, time: '20:00', partySize: 2, guestName: 'Sam' } },
        {
          business: WITH_FLOW,
          interactive: {
            kind: 'nfm_reply',
            id: JSON.stringify({
              flow_token: flowToken,
              date: TOMORROW,
              time: '20:00',
              party_size: '2',
              name: 'Sam',
            }),
            title: 'Sent',
          },
        },
      );
    const ours = await when(greeted(), complete('book.bistro.n1'), [available]);
    expect(ours.calls).toHaveLength(1);
    for (const token of ['book.other-bistro.n1', 'something-else']) {
      const elsewhere = await when(greeted(), complete(token));
      expect(elsewhere.calls, token).toEqual([]);
      expect(elsewhere.state.phase, token).toEqual({ kind: 'idle' });
      expect(bodies(elsewhere.replies)[0], token).toMatch(/^Sorry, I did not get that\./);
    }
  });
});
