import { describe, expect, it } from 'vitest';
import {
  type CallResult,
  DEFAULT_SETTINGS,
  initialState,
  type MenuCategory,
  next,
} from '../src/dialogue/index.js';
import {
  at,
  bodies,
  buttonsOf,
  greeted,
  NOW,
  reservation,
  rowsOf,
  TOMORROW,
  tap,
  turn,
  when,
} from './dialogue-fixtures.js';

const listed = (...reservations: ReturnType<typeof reservation>[]): CallResult => ({
  kind: 'listed',
  result: { ok: true, reservations },
});

describe('cancelling', () => {
  it('finds the one upcoming reservation, asks to confirm, and cancels it', async () => {
    const s1 = await when(greeted(), turn('cancel my booking', { intent: 'CANCEL' }), [
      listed(reservation()),
    ]);
    expect(s1.calls).toEqual([{ kind: 'listReservations' }]);
    expect(s1.replies[0]?.body).toBe('Cancel your table for 4 guests on Tue 24 Nov at 20:00?');
    expect(buttonsOf(s1.replies[0])).toEqual([
      { id: 'cancel:yes', title: 'Yes, cancel it' },
      { id: 'cancel:no', title: 'Keep it' },
    ]);
    const s2 = await when(s1.state, tap('cancel:yes', 'Yes, cancel it'), [
      { kind: 'cancelled', result: { ok: true, reservation: reservation() } },
    ]);
    expect(s2.calls).toEqual([{ kind: 'cancelReservation', reservationId: 'r_abcdefghijklmnop' }]);
    expect(bodies(s2.replies)).toEqual([
      'Your reservation on Tue 24 Nov at 20:00 is cancelled. We hope to see you another time.',
    ]);
    expect(s2.notes).toContainEqual({ kind: 'reservation.cancelled', reservationId: 'r_abcdefghijklmnop' });
  });

  it('lists the upcoming reservations, soonest first, when there are several, and ignores past ones', async () => {
    const later = reservation({
      id: 'r_later',
      date: '2026-11-28',
      time: '19:00',
      startsAt: '2026-11-28T15:00:00.000Z',
    });
    const past = reservation({ id: 'r_past', date: '2026-11-20', startsAt: '2026-11-20T16:00:00.000Z' });
    const s1 = await when(greeted(), turn('cancel', { intent: 'CANCEL' }), [
      listed(later, past, reservation()),
    ]);
    expect(s1.replies[0]?.body).toBe('Which reservation do you want to cancel?');
    expect(rowsOf(s1.replies[0])).toEqual([
      { id: 'rsv:r_abcdefghijklmnop', title: 'Tue 24 Nov 20:00', description: '4 guests, Sarah' },
      { id: 'rsv:r_later', title: 'Sat 28 Nov 19:00', description: '4 guests, Sarah' },
    ]);
    const s2 = await when(s1.state, tap('rsv:r_later', 'Sat 28 Nov 19:00'));
    expect(s2.state.phase).toMatchObject({ kind: 'confirmingCancel', reservation: { id: 'r_later' } });
  });

  it('keeps the reservation when the guest says no', async () => {
    const s1 = await when(greeted(), turn('cancel', { intent: 'CANCEL' }), [listed(reservation())]);
    const s2 = await when(s1.state, turn('no', { intent: 'OTHER' }));
    expect(s2.calls).toEqual([]);
    expect(bodies(s2.replies)).toEqual(['Alright, your reservation stays as it is.']);
  });

  it('says so when the guest has no upcoming reservation', async () => {
    const { replies } = await when(greeted(), turn('cancel', { intent: 'CANCEL' }), [listed()]);
    expect(bodies(replies)).toEqual(['I could not find an upcoming reservation for this number.']);
  });

  it('explains a refusal past the cancellation cutoff', async () => {
    const s1 = await when(greeted(), turn('cancel', { intent: 'CANCEL' }), [listed(reservation())]);
    const s2 = await when(s1.state, tap('cancel:yes', 'Yes'), [
      { kind: 'cancelled', result: { ok: false, code: 'TOO_LATE' } },
    ]);
    expect(bodies(s2.replies)[0]).toContain('too late to change this reservation online');
  });
});

describe('modifying', () => {
  it('applies the change the guest gave at once when there is one upcoming reservation', async () => {
    const moved = reservation({ time: '21:00' });
    const { calls, replies, notes } = await when(
      greeted(),
      turn('move my booking to 9pm', { intent: 'MODIFY', entities: { time: '21:00' } }),
      [listed(reservation()), { kind: 'modified', result: { ok: true, reservation: moved } }],
    );
    expect(calls).toEqual([
      { kind: 'listReservations' },
      { kind: 'modifyReservation', reservationId: 'r_abcdefghijklmnop', time: '21:00' },
    ]);
    expect(bodies(replies)).toEqual(['Done: your table for 4 guests is now on Tue 24 Nov at 21:00.']);
    expect(notes).toContainEqual({ kind: 'reservation.modified', reservationId: 'r_abcdefghijklmnop' });
  });

  it('asks what to change when the guest did not say, then applies the answer', async () => {
    const s1 = await when(greeted(), turn('change my reservation', { intent: 'MODIFY' }), [
      listed(reservation()),
    ]);
    expect(bodies(s1.replies)).toEqual([
      'Your reservation is on Tue 24 Nov at 20:00. What would you like instead: a new day, time or number of people?',
    ]);
    const s2 = await when(s1.state, turn('6 people', { intent: 'OTHER', entities: { partySize: 6 } }), [
      { kind: 'modified', result: { ok: true, reservation: reservation({ partySize: 6 }) } },
    ]);
    expect(s2.calls).toEqual([
      { kind: 'modifyReservation', reservationId: 'r_abcdefghijklmnop', partySize: 6 },
    ]);
  });

  it('offers nearby times when the new time is full, and moves to the one picked', async () => {
    const s1 = await when(greeted(), turn('move to 9pm', { intent: 'MODIFY', entities: { time: '21:00' } }), [
      listed(reservation()),
      {
        kind: 'modified',
        result: { ok: false, code: 'NO_CAPACITY', alternatives: [{ date: TOMORROW, time: '21:30' }] },
      },
    ]);
    expect(buttonsOf(s1.replies[0])).toEqual([{ id: `slot:${TOMORROW}T21:30`, title: '21:30' }]);
    const s2 = await when(s1.state, tap(`slot:${TOMORROW}T21:30`, '21:30'), [
      { kind: 'modified', result: { ok: true, reservation: reservation({ time: '21:30' }) } },
    ]);
    expect(s2.calls).toEqual([
      { kind: 'modifyReservation', reservationId: 'r_abcdefghijklmnop', date: TOMORROW, time: '21:30' },
    ]);
  });
});

const MENU: MenuCategory[] = [
  {
    name: 'Starters',
    items: [
      {
        id: 'hummus',
        name: 'Hummus',
        description: 'Chickpeas, tahini',
        priceMinor: 2800,
        currency: 'AED',
        available: true,
      },
      {
        id: 'gone',
        name: 'Sold out soup',
        description: '',
        priceMinor: 1000,
        currency: 'AED',
        available: false,
      },
    ],
  },
  {
    name: 'Mains',
    items: [
      {
        id: 'mixed-grill',
        name: 'Mixed grill',
        description: 'Lamb, chicken, kofta',
        priceMinor: 9500,
        currency: 'AED',
        available: true,
      },
    ],
  },
];

describe('menu and hours', () => {
  it('shows the menu as a list of sections, then a section as a list of dishes, then one dish', async () => {
    const s1 = await when(greeted(), turn('menu', { intent: 'MENU' }), [
      { kind: 'menu', result: { ok: true, categories: MENU } },
    ]);
    expect(s1.calls).toEqual([{ kind: 'fetchMenu' }]);
    expect(rowsOf(s1.replies[0])).toEqual([
      { id: 'menu:Starters', title: 'Starters' },
      { id: 'menu:Mains', title: 'Mains' },
    ]);
    const s2 = await when(s1.state, tap('menu:Starters', 'Starters'), [
      { kind: 'menu', result: { ok: true, categories: MENU, category: 'Starters' } },
    ]);
    expect(s2.calls).toEqual([{ kind: 'fetchMenu', category: 'Starters' }]);
    expect(rowsOf(s2.replies[0])).toEqual([
      { id: 'item:hummus', title: 'Hummus', description: '28.00 AED · Chickpeas, tahini' },
    ]);
    const s3 = await when(s2.state, tap('item:hummus', 'Hummus'), [
      { kind: 'menu', result: { ok: true, categories: MENU, item: 'hummus' } },
    ]);
    expect(bodies(s3.replies)).toEqual(['Hummus – 28.00 AED\nChickpeas, tahini']);
  });

  it('keeps a big menu within WhatsApp list limits (10 rows, 24-character titles)', async () => {
    const big: MenuCategory[] = Array.from({ length: 14 }, (_, i) => ({
      name: `A very long section name number ${i}`,
      items: [{ id: `i${i}`, name: 'x', description: '', priceMinor: 100, currency: 'AED', available: true }],
    }));
    const { replies } = await when(greeted(), turn('menu', { intent: 'MENU' }), [
      { kind: 'menu', result: { ok: true, categories: big } },
    ]);
    const rows = rowsOf(replies[0]);
    expect(rows).toHaveLength(10);
    for (const row of rows) expect(row.title.length).toBeLessThanOrEqual(24);
  });

  it('says the menu is not available when the business has none, and apologises when the call fails', async () => {
    const empty = await when(greeted(), turn('menu', { intent: 'MENU' }), [
      { kind: 'menu', result: { ok: true, categories: [] } },
    ]);
    expect(bodies(empty.replies)).toEqual(['Sorry, our menu is not available here yet.']);
    const failed = await when(greeted(), turn('menu', { intent: 'MENU' }), [
      { kind: 'menu', result: { ok: false, code: 'UNAVAILABLE' } },
    ]);
    expect(bodies(failed.replies)).toEqual([
      'Sorry, I cannot fetch that right now. Please try again in a minute.',
    ]);
  });

  it('answers opening hours from the business settings, grouping days and naming closed ones', async () => {
    const { replies, calls } = await when(greeted(), turn('when are you open', { intent: 'HOURS' }));
    expect(calls).toEqual([]);
    expect(bodies(replies)).toEqual([
      'Our opening hours:\nMonday–Thursday: 12:00–15:00, 18:00–23:30\nFriday–Saturday: 18:00–01:00\nSunday: closed',
    ]);
  });

  it('answers hours without losing a booking in progress', async () => {
    const s1 = await when(greeted(), turn('book', { intent: 'BOOK', entities: { date: TOMORROW } }));
    const s2 = await when(s1.state, turn('hours?', { intent: 'HOURS' }));
    expect(s2.state.phase).toEqual(s1.state.phase);
  });
});

describe('human handoff', () => {
  it('pauses the bot when the guest asks for a person, until the handoff times out', async () => {
    const s1 = await when(greeted(), turn('I want to talk to a human', { intent: 'HUMAN' }));
    expect(bodies(s1.replies)).toEqual(['A member of our team will reply to you here shortly.']);
    expect(s1.notes).toContainEqual({
      kind: 'handoff.started',
      by: 'guest',
      until: at(DEFAULT_SETTINGS.handoffTimeoutMs),
    });
    const paused = await when(s1.state, turn('hello?', { intent: 'GREETING' }, { now: at(60_000) }));
    expect(paused.replies).toEqual([]);
    expect(paused.notes).toEqual([{ kind: 'turn.ignored', reason: 'handoff' }]);
    const after = await when(
      paused.state,
      turn('hello?', { intent: 'GREETING' }, { now: at(DEFAULT_SETTINGS.handoffTimeoutMs + 1) }),
    );
    expect(after.notes).toContainEqual({ kind: 'handoff.released', by: 'timeout' });
    expect(bodies(after.replies)).toEqual(['How can I help you today?']);
  });

  it('pauses on a staff handoff and answers again after the staff release', () => {
    const taken = next(greeted(), { kind: 'staff', action: 'handoff', now: NOW });
    expect(taken.state.handoff?.by).toBe('staff');
    const silent = next(taken.state, turn('hi', { intent: 'GREETING' }, { now: at(1000) }));
    expect(silent.effects).toEqual([{ kind: 'note', note: { kind: 'turn.ignored', reason: 'handoff' } }]);
    const released = next(silent.state, { kind: 'staff', action: 'release', now: at(2000) });
    expect(released.effects).toEqual([{ kind: 'note', note: { kind: 'handoff.released', by: 'staff' } }]);
    const answered = next(released.state, turn('hi', { intent: 'GREETING' }, { now: at(3000) }));
    expect(answered.effects.some((effect) => effect.kind === 'reply')).toBe(true);
  });

  it('ignores a release of a conversation nobody took over', () => {
    expect(next(greeted(), { kind: 'staff', action: 'release', now: NOW }).effects).toEqual([]);
  });
});

describe('session and limits', () => {
  it('forgets a half-finished booking after 30 idle minutes but does not greet again', async () => {
    const s1 = await when(
      greeted(),
      turn('book for tomorrow', { intent: 'BOOK', entities: { date: TOMORROW } }),
    );
    const s2 = await when(
      s1.state,
      turn('8pm', { intent: 'OTHER', entities: { time: '20:00' } }, { now: at(31 * 60_000) }),
    );
    expect(s2.notes).toContainEqual({ kind: 'session.reset', idleMs: 31 * 60_000 });
    expect(s2.state.phase).toMatchObject({
      kind: 'collecting',
      booking: { time: '20:00' },
      expecting: 'date',
    });
    expect(bodies(s2.replies)).toEqual(['For which day would you like the table?']);
  });

  it('keeps the booking when the guest answers within 30 minutes', async () => {
    const s1 = await when(
      greeted(),
      turn('book for tomorrow', { intent: 'BOOK', entities: { date: TOMORROW } }),
    );
    const s2 = await when(
      s1.state,
      turn('8pm', { intent: 'OTHER', entities: { time: '20:00' } }, { now: at(29 * 60_000) }),
    );
    expect(s2.state.phase).toMatchObject({ booking: { date: TOMORROW, time: '20:00' } });
  });

  it('answers 20 messages a minute, sends one polite notice on the 21st, then stays quiet until the minute is over', async () => {
    let state = greeted();
    let replies = 0;
    for (let i = 0; i < 20; i += 1) {
      const step = await when(state, turn('thanks', { intent: 'THANKS' }, { now: at(i * 1000) }));
      replies += step.replies.length;
      state = step.state;
    }
    expect(replies).toBe(20);
    const notice = await when(state, turn('thanks', { intent: 'THANKS' }, { now: at(21_000) }));
    expect(bodies(notice.replies)).toEqual([
      'You are sending messages very quickly. I will answer again in a minute.',
    ]);
    const quiet = await when(notice.state, turn('thanks', { intent: 'THANKS' }, { now: at(22_000) }));
    expect(quiet.replies).toEqual([]);
    expect(quiet.notes).toEqual([{ kind: 'turn.ignored', reason: 'rate_limited' }]);
    const later = await when(quiet.state, turn('thanks', { intent: 'THANKS' }, { now: at(61_000) }));
    expect(bodies(later.replies)).toEqual(["You're welcome!"]);
  });
});

describe('Arabic', () => {
  it('books in Arabic from greeting to confirmation, with Arabic questions and buttons', async () => {
    const s0 = await when(initialState(NOW), turn('السلام عليكم', { intent: 'GREETING', language: 'ar' }));
    expect(s0.replies[0]?.body).toContain('كيف يمكنني مساعدتك اليوم؟');
    expect(buttonsOf(s0.replies[0]).map((b) => b.title)).toEqual(['حجز طاولة', 'المنيو', 'مواعيد العمل']);
    const s1 = await when(
      s0.state,
      turn('أبغى أحجز طاولة لـ ٤ أشخاص بكرة', {
        intent: 'BOOK',
        entities: { partySize: 4, date: TOMORROW },
        language: 'ar',
      }),
    );
    expect(bodies(s1.replies)).toEqual(['في أي ساعة؟']);
    const s2 = await when(
      s1.state,
      turn('الساعة ٨ مساء', { intent: 'OTHER', entities: { time: '20:00' }, language: 'ar' }),
    );
    expect(bodies(s2.replies)).toEqual(['باسم من أسجل الحجز؟']);
    const s3 = await when(
      s2.state,
      turn('محمد', { intent: 'OTHER', entities: { guestName: 'محمد' }, language: 'ar' }),
      [available()],
    );
    expect(s3.replies[0]?.body).toBe(
      'طاولة لـ4 أشخاص يوم الثلاثاء 24 نوفمبر الساعة 20:00 باسم محمد. هل أؤكد الحجز؟',
    );
    expect(buttonsOf(s3.replies[0]).map((b) => b.title)).toEqual(['تأكيد', 'تعديل', 'إلغاء']);
    const s4 = await when(s3.state, tap('confirm:yes', 'تأكيد'), [
      { kind: 'created', result: { ok: true, reservation: reservation({ name: 'محمد' }) } },
    ]);
    expect(bodies(s4.replies)[0]).toMatch(
      /^تم الحجز: طاولة لـ4 أشخاص يوم الثلاثاء 24 نوفمبر الساعة 20:00 باسم محمد/,
    );
  });

  it('keeps Arabic slot buttons within 20 characters', async () => {
    const { replies } = await when(
      greeted('ar'),
      turn('x', {
        intent: 'BOOK',
        entities: { partySize: 2, date: TOMORROW, time: '20:00', guestName: 'علي' },
        language: 'ar',
      }),
      [
        {
          kind: 'availability',
          result: {
            ok: true,
            preferredAvailable: false,
            alternatives: [
              { date: '2026-11-25', time: '20:00' },
              { date: TOMORROW, time: '21:00' },
            ],
          },
        },
      ],
    );
    expect(buttonsOf(replies[0])).toEqual([
      { id: 'slot:2026-11-25T20:00', title: '25/11 20:00' },
      { id: `slot:${TOMORROW}T21:00`, title: '21:00' },
    ]);
    expect(replies[0]?.body).toContain('هذه أقرب الأوقات المتاحة');
  });

  it('answers opening hours and the handoff in Arabic', async () => {
    const hours = await when(greeted('ar'), turn('متى تفتحون', { intent: 'HOURS', language: 'ar' }));
    expect(bodies(hours.replies)[0]).toContain('الاثنين – الخميس: 12:00–15:00، 18:00–23:30');
    expect(bodies(hours.replies)[0]).toContain('الأحد: مغلق');
    const human = await when(greeted('ar'), turn('ابغى اكلم موظف', { intent: 'HUMAN', language: 'ar' }));
    expect(bodies(human.replies)).toEqual(['سيرد عليك أحد أفراد فريقنا هنا قريبًا.']);
  });

  it('keeps answering in Arabic when a message carries no language ("4")', async () => {
    const s1 = await when(
      greeted('ar'),
      turn('حجز', { intent: 'BOOK', entities: { date: TOMORROW, time: '20:00' }, language: 'ar' }),
    );
    const s2 = await when(s1.state, {
      ...turn('4', { intent: 'OTHER', entities: { partySize: 4 } }),
      understanding: { intent: 'OTHER', entities: { partySize: 4 }, source: 'rules' },
    });
    expect(s2.state.language).toBe('ar');
    expect(bodies(s2.replies)).toEqual(['باسم من أسجل الحجز؟']);
  });
});

function available(): CallResult {
  return { kind: 'availability', result: { ok: true, preferredAvailable: true, alternatives: [] } };
}
