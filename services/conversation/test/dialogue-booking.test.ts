import { describe, expect, it } from 'vitest';
import { bookingSoFar, merge, offer } from '../src/dialogue/booking.js';
import { catalogueFor, initialState } from '../src/dialogue/index.js';
import {
  available,
  bodies,
  buttonsOf,
  created,
  greeted,
  NOW,
  TODAY,
  TOMORROW,
  tap,
  turn,
  when,
} from './dialogue-fixtures.js';

describe('greeting', () => {
  it('greets a new guest with the branded greeting and the main choices, once per conversation', async () => {
    // given a conversation that never started
    const first = await when(initialState(NOW), turn('hi', { intent: 'GREETING' }));
    // then the branded greeting comes with Book / Menu / Hours buttons
    expect(first.replies).toHaveLength(1);
    expect(first.replies[0]?.body).toContain('Welcome to Bistro Dubai, the best grill in town!');
    expect(buttonsOf(first.replies[0]).map((b) => b.id)).toEqual([
      'intent:book',
      'intent:menu',
      'intent:hours',
    ]);
    expect(first.state.greeted).toBe(true);
    // when the guest says hello again
    const second = await when(first.state, turn('hello', { intent: 'GREETING' }));
    // then no second greeting
    expect(second.replies[0]?.body).not.toContain('Welcome to Bistro Dubai');
    expect(second.replies[0]?.body).toBe('How can I help you today?');
  });

  it('puts the greeting and the answer in one message when the first message already asks for something', async () => {
    const { replies, state } = await when(initialState(NOW), turn('table please', { intent: 'BOOK' }));
    expect(bodies(replies)).toEqual([
      'Welcome to Bistro Dubai, the best grill in town!\nFor which day would you like the table?',
    ]);
    expect(state.opening).toBeUndefined();
  });

  it('keeps the greeting for the answer that waits on a call, still one message', async () => {
    // given a first message with everything: the answer comes only after the availability check
    const { replies, calls, state } = await when(
      initialState(NOW),
      turn('table for 2 tomorrow at 8pm for Ali', {
        intent: 'BOOK',
        entities: { partySize: 2, date: TOMORROW, time: '20:00', guestName: 'Ali' },
      }),
      [available],
    );
    expect(calls.map((call) => call.kind)).toEqual(['checkAvailability']);
    expect(replies).toHaveLength(1);
    expect(replies[0]?.body).toBe(
      'Welcome to Bistro Dubai, the best grill in town!\nA table for 2 guests on Tue 24 Nov at 20:00, under the name Ali. Shall I book it?',
    );
    expect(buttonsOf(replies[0]).map((b) => b.title)).toEqual(['Confirm', 'Change', 'Cancel']);
    expect(state.opening).toBeUndefined();
  });

  it('greets with the business name when the business has no greeting in the guest language', async () => {
    const { replies } = await when(initialState(NOW), turn('مرحبا', { intent: 'GREETING', language: 'ar' }));
    expect(replies[0]?.body).toContain('أهلًا بك في Bistro Dubai!');
  });

  it('answers a message it cannot read (an image) with what it can do, never silence', async () => {
    const { replies } = await when(greeted(), turn('', null));
    expect(replies).toHaveLength(1);
    expect(replies[0]?.body).toContain('I can only read text messages');
  });
});

describe('booking', () => {
  it('collects day, time, party size and name in any order, asking only for what is missing, then books on Confirm', async () => {
    // given a greeted guest who gives party size and day first
    const s1 = await when(
      greeted(),
      turn('table for 4 tomorrow', { intent: 'BOOK', entities: { partySize: 4, date: TOMORROW } }),
    );
    expect(bodies(s1.replies)).toEqual(['For 4 guests, noted. At what time?']);
    expect(s1.state.phase).toMatchObject({ kind: 'collecting', expecting: 'time' });
    // when they answer the time: day, time and party are known, so availability is checked now
    const s2 = await when(
      s1.state,
      turn('8pm', { intent: 'OTHER', entities: { time: '20:00' } }, { profileName: 'Sarah' }),
      [available],
    );
    expect(s2.calls).toEqual([{ kind: 'checkAvailability', partySize: 4, date: TOMORROW, time: '20:00' }]);
    // then the free table is confirmed and the name asked, with their WhatsApp name as a button
    expect(s2.replies[0]?.body).toBe(
      'Good news: there is a table for 4 guests on Tue 24 Nov at 20:00.\nUnder which name should I book it?\nOr tap to use "Sarah".',
    );
    expect(buttonsOf(s2.replies[0])).toEqual([{ id: 'name:Sarah', title: 'Sarah' }]);
    // when they tap it: the summary with Confirm / Change / Cancel, without asking again
    const s3 = await when(s2.state, tap('name:Sarah', 'Sarah'));
    expect(s3.calls).toEqual([]);
    expect(s3.replies[0]?.body).toBe(
      'A table for 4 guests on Tue 24 Nov at 20:00, under the name Sarah. Shall I book it?',
    );
    expect(buttonsOf(s3.replies[0]).map((b) => b.title)).toEqual(['Confirm', 'Change', 'Cancel']);
    // when they confirm
    const confirm = tap('confirm:yes', 'Confirm');
    const s4 = await when(s3.state, confirm, [created()]);
    // then the reservation is created with an idempotency key of this conversation and message
    expect(s4.calls).toEqual([
      {
        kind: 'createReservation',
        idempotencyKey: `c_test:${confirm.messageId}`,
        partySize: 4,
        date: TOMORROW,
        time: '20:00',
        name: 'Sarah',
      },
    ]);
    expect(bodies(s4.replies)).toEqual([
      "You're booked: a table for 4 guests on Tue 24 Nov at 20:00, under Sarah. Reference 44CVMT. See you then!",
    ]);
    expect(s4.notes).toContainEqual({ kind: 'reservation.booked', reservationId: 'r_abcdefghijklmnop' });
    expect(s4.state.phase).toEqual({ kind: 'idle' });
    expect(s4.state.guestName).toBe('Sarah');
  });

  it('checks availability at once when the first message has everything', async () => {
    const { calls, replies } = await when(
      greeted(),
      turn('table for 2 tomorrow at 19:00 for Ali', {
        intent: 'BOOK',
        entities: { partySize: 2, date: TOMORROW, time: '19:00', guestName: 'Ali' },
      }),
      [available],
    );
    expect(calls).toEqual([{ kind: 'checkAvailability', partySize: 2, date: TOMORROW, time: '19:00' }]);
    expect(buttonsOf(replies[0])).toHaveLength(3);
  });

  it('asks the name as a plain question when no name is known yet', async () => {
    const s1 = await when(
      greeted(),
      turn('book', { intent: 'BOOK', entities: { date: TODAY, time: '20:00', partySize: 2 } }),
      [available],
    );
    expect(s1.replies).toEqual([
      {
        kind: 'text',
        body: 'Good news: there is a table for 2 guests on Mon 23 Nov at 20:00.\nUnder which name should I book it?',
      },
    ]);
    expect(s1.state.phase).toMatchObject({
      kind: 'collecting',
      expecting: 'name',
      checked: `${TODAY}T20:00/2`,
    });
  });

  it('offers the nearest free times as at most three buttons when the time is full, and books the one picked', async () => {
    const s1 = await when(
      greeted(),
      turn('4 tomorrow 20:00 Sarah', {
        intent: 'BOOK',
        entities: { partySize: 4, date: TOMORROW, time: '20:00', guestName: 'Sarah' },
      }),
      [
        {
          kind: 'availability',
          result: {
            ok: true,
            preferredAvailable: false,
            alternatives: [
              { date: TOMORROW, time: '19:30' },
              { date: TOMORROW, time: '21:00' },
              { date: '2026-11-25', time: '20:00' },
              { date: '2026-11-25', time: '20:15' },
            ],
          },
        },
      ],
    );
    expect(s1.replies[0]?.body).toBe(
      'Sorry, Tue 24 Nov at 20:00 is fully booked.\nThese are the nearest free times:',
    );
    expect(buttonsOf(s1.replies[0])).toEqual([
      { id: `slot:${TOMORROW}T19:30`, title: '19:30' },
      { id: `slot:${TOMORROW}T21:00`, title: '21:00' },
      { id: 'slot:2026-11-25T20:00', title: 'Wed 25 Nov 20:00' },
    ]);
    expect(s1.state.phase.kind).toBe('offering');
    const s2 = await when(s1.state, tap(`slot:${TOMORROW}T21:00`, '21:00'), [available]);
    expect(s2.calls).toEqual([{ kind: 'checkAvailability', partySize: 4, date: TOMORROW, time: '21:00' }]);
    expect(s2.state.phase).toMatchObject({ kind: 'confirming', booking: { time: '21:00', date: TOMORROW } });
  });

  it('says the restaurant is closed and asks for another day when no slot is near', async () => {
    const { replies, state } = await when(
      greeted(),
      turn('sunday', {
        intent: 'BOOK',
        entities: { partySize: 2, date: '2026-11-29', time: '20:00', guestName: 'Ali' },
      }),
      [
        {
          kind: 'availability',
          result: { ok: true, preferredAvailable: false, alternatives: [], closedReason: 'CLOSED' },
        },
      ],
    );
    expect(bodies(replies)).toEqual([
      'Sorry, we are not open for bookings on Sun 29 Nov at 20:00.\nFor which day would you like the table?',
    ]);
    expect(state.phase).toEqual({
      kind: 'collecting',
      booking: { partySize: 2, name: 'Ali' },
      expecting: 'date',
    });
  });

  it('offers the team for a party larger than the restaurant books online, without asking the same question', async () => {
    const { replies, calls, state } = await when(
      greeted(),
      turn('table for 12', { intent: 'BOOK', entities: { partySize: 12 } }),
    );
    expect(calls).toEqual([]);
    expect(bodies(replies)).toEqual([
      'Online I can book up to 8 people. For a larger group our team will gladly help: tap below and a person will answer you here. Or tell me a smaller number of people.',
    ]);
    expect(buttonsOf(replies[0])).toEqual([{ id: 'intent:human', title: 'Talk to our team' }]);
    expect(state.phase).toMatchObject({ kind: 'collecting', expecting: 'party_size' });
  });

  it('refuses a day that has passed', async () => {
    const { replies } = await when(
      greeted(),
      turn('yesterday', { intent: 'BOOK', entities: { date: '2026-11-22' } }),
    );
    expect(bodies(replies)).toEqual(['That day has already passed. Which day would you like?']);
  });

  it('lets the guest change the booking from the summary and checks the new details', async () => {
    const s1 = await when(
      greeted(),
      turn('x', {
        intent: 'BOOK',
        entities: { partySize: 4, date: TOMORROW, time: '20:00', guestName: 'Sarah' },
      }),
      [available],
    );
    const s2 = await when(s1.state, tap('confirm:change', 'Change'));
    expect(bodies(s2.replies)).toEqual(['Sure. Send me the new day, time or number of people.']);
    const s3 = await when(s2.state, turn('make it 5', { intent: 'OTHER', entities: { partySize: 5 } }), [
      available,
    ]);
    expect(s3.calls).toEqual([{ kind: 'checkAvailability', partySize: 5, date: TOMORROW, time: '20:00' }]);
  });

  it('drops the booking on Cancel, and a typed "yes" confirms like the button', async () => {
    const s1 = await when(
      greeted(),
      turn('x', {
        intent: 'BOOK',
        entities: { partySize: 4, date: TOMORROW, time: '20:00', guestName: 'Sarah' },
      }),
      [available],
    );
    const cancelled = await when(s1.state, tap('confirm:cancel', 'Cancel'));
    expect(bodies(cancelled.replies)).toEqual(['No problem, I have not booked anything.']);
    expect(cancelled.state.phase).toEqual({ kind: 'idle' });
    const typed = await when(s1.state, turn('yes', { intent: 'OTHER' }), [created()]);
    expect(typed.calls[0]?.kind).toBe('createReservation');
  });

  it('offers other times when the table was taken between the summary and the confirmation', async () => {
    const s1 = await when(
      greeted(),
      turn('x', {
        intent: 'BOOK',
        entities: { partySize: 4, date: TOMORROW, time: '20:00', guestName: 'Sarah' },
      }),
      [available],
    );
    const s2 = await when(s1.state, tap('confirm:yes', 'Confirm'), [
      {
        kind: 'created',
        result: { ok: false, code: 'NO_CAPACITY', alternatives: [{ date: TOMORROW, time: '20:30' }] },
      },
    ]);
    expect(buttonsOf(s2.replies[0])).toEqual([{ id: `slot:${TOMORROW}T20:30`, title: '20:30' }]);
    expect(s2.notes).toContainEqual({ kind: 'call.failed', call: 'created', code: 'NO_CAPACITY' });
  });

  it('keeps the summary when the reservation service is down, so Confirm can be tapped again', async () => {
    const s1 = await when(
      greeted(),
      turn('x', {
        intent: 'BOOK',
        entities: { partySize: 4, date: TOMORROW, time: '20:00', guestName: 'Sarah' },
      }),
      [available],
    );
    const s2 = await when(s1.state, tap('confirm:yes', 'Confirm'), [
      { kind: 'created', result: { ok: false, code: 'UNAVAILABLE' } },
    ]);
    expect(bodies(s2.replies)[0]).toContain('cannot check our bookings right now');
    expect(s2.state.phase.kind).toBe('confirming');
  });

  it('answers a stale Confirm tap (nothing to confirm) with the main choices', async () => {
    const { replies, calls } = await when(greeted(), tap('confirm:yes', 'Confirm'));
    expect(calls).toEqual([]);
    expect(buttonsOf(replies[0]).map((b) => b.id)).toContain('intent:book');
  });

  it('stops a booking in progress when the guest says cancel', async () => {
    const s1 = await when(greeted(), turn('book', { intent: 'BOOK', entities: { date: TOMORROW } }));
    const s2 = await when(s1.state, turn('cancel', { intent: 'CANCEL' }));
    expect(s2.calls).toEqual([]);
    expect(bodies(s2.replies)).toEqual(['No problem, I have not booked anything.']);
  });

  it('starts a booking from a bare answer with booking details', async () => {
    const { replies, state } = await when(
      greeted(),
      turn('tomorrow', { intent: 'OTHER', entities: { date: TOMORROW } }),
    );
    expect(bodies(replies)).toEqual(['At what time?']);
    expect(state.phase).toMatchObject({ kind: 'collecting', booking: { date: TOMORROW } });
  });

  it('re-asks the open question after something it did not understand', async () => {
    const s1 = await when(greeted(), turn('book', { intent: 'BOOK', entities: { date: TOMORROW } }));
    const s2 = await when(s1.state, turn('purple', { intent: 'OTHER' }));
    expect(bodies(s2.replies)).toEqual([
      'Sorry, I did not get that. I can book, change or cancel a table, or show the menu and opening hours.',
      'At what time?',
    ]);
  });
});

describe('a booking’s details', () => {
  it('adds what the guest just said to the booking in progress, and starts from nothing outside one', () => {
    const collecting = { kind: 'collecting' as const, booking: { date: TOMORROW, partySize: 2 } };
    expect(merge(bookingSoFar(collecting), { time: '20:00', guestName: 'Sarah', menuItem: 'x' })).toEqual({
      date: TOMORROW,
      partySize: 2,
      time: '20:00',
      name: 'Sarah',
    });
    expect(bookingSoFar({ kind: 'browsingMenu', categories: [] })).toEqual({});
  });

  it('offers slots on the day asked by their time alone, others with their day', () => {
    const reply = offer(
      catalogueFor('en'),
      'Taken.',
      [
        { date: TOMORROW, time: '21:00' },
        { date: '2026-11-25', time: '20:00' },
      ],
      TOMORROW,
    );
    expect(buttonsOf(reply)).toEqual([
      { id: `slot:${TOMORROW}T21:00`, title: '21:00' },
      { id: 'slot:2026-11-25T20:00', title: 'Wed 25 Nov 20:00' },
    ]);
  });
});
