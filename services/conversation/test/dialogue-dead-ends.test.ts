import { bookingReference, REFERENCE_ALPHABET } from '@reserveit/contracts';
import { describe, expect, it } from 'vitest';
import {
  type CallResult,
  type ConversationState,
  catalogueFor,
  initialState,
  type Language,
  type MenuCategory,
} from '../src/dialogue/index.js';
import {
  available,
  BUSINESS,
  bodies,
  buttonsOf,
  created,
  greeted,
  listed,
  NOW,
  reservation,
  rowsOf,
  TOMORROW,
  tap,
  turn,
  when,
} from './dialogue-fixtures.js';

/**
 * Issue 17's dead ends and the small things a guest notices, each in English, Arabic, Spanish and
 * French: what the guest used to get, and what they get now.
 */

/** The demo restaurant with the number guests can call. */
const CALLABLE = { ...BUSINESS, phone: '+97145550100' };

const closed: CallResult = {
  kind: 'availability',
  result: { ok: true, preferredAvailable: false, alternatives: [], closedReason: 'CLOSED' },
};

/** A round trip through JSON: what the projection and the stream keep between two messages. */
const restarted = (state: ConversationState): ConversationState => JSON.parse(JSON.stringify(state));

const say = (language: Language) => (text: string, understood: Parameters<typeof turn>[1]) =>
  turn(text, understood ? { ...understood, language } : understood);

describe.each([
  {
    language: 'en' as const,
    askName: 'Under which name should I book it?',
    closedNear:
      'Sorry, we are not open for bookings on Sun 29 Nov at 20:00.\nFor which day would you like the table?',
    partyNoted: 'For 3 guests, noted. At what time?',
    askPartySize: 'For how many people?',
    team: 'Talk to our team',
    largeParty:
      'Online I can book up to 8 people. For a larger group our team will gladly help: tap below and a person will answer you here, or call us on +97145550100. Or tell me a smaller number of people.',
    handoff: 'A member of our team will reply to you here shortly.',
    changeQuestion:
      'Change your table for 4 guests on Tue 24 Nov at 20:00 to 4 guests on Tue 24 Nov at 21:00?',
    changeButtons: ['Yes, change it', 'Keep it'],
    kept: 'Alright, your reservation stays as it is.',
    closedChange: 'Sorry, we are closed then.\nThese are the nearest free times:',
    welcome: 'Welcome to Bistro Dubai, the best grill in town!\nFor which day would you like the table?',
    menuIntro: 'Here is our menu. Pick a section:',
    price: '28.00 AED',
    sixPm: '18:00',
  },
  {
    language: 'ar' as const,
    askName: 'باسم من أسجل الحجز؟',
    closedNear: 'عذرًا، لا نستقبل حجوزات يوم الأحد 29 نوفمبر الساعة 20:00.\nفي أي يوم تود الحجز؟',
    partyNoted: 'حسنًا، طاولة لعدد 3 أشخاص. في أي ساعة؟',
    askPartySize: 'لكم شخص؟',
    team: 'التحدث مع فريقنا',
    largeParty:
      'يمكنني الحجز عبر الإنترنت حتى 8 أشخاص. للمجموعات الأكبر يسعد فريقنا بمساعدتك: اضغط أدناه وسيرد عليك أحد الموظفين هنا، أو اتصل بنا على +97145550100. أو أخبرني بعدد أقل من الأشخاص.',
    handoff: 'سيرد عليك أحد أفراد فريقنا هنا قريبًا.',
    changeQuestion:
      'هل تود تغيير حجزك (4 أشخاص يوم الثلاثاء 24 نوفمبر الساعة 20:00) إلى 4 أشخاص يوم الثلاثاء 24 نوفمبر الساعة 21:00؟',
    changeButtons: ['نعم، عدّل الحجز', 'أبقِ الحجز'],
    kept: 'حسنًا، يبقى حجزك كما هو.',
    closedChange: 'عذرًا، نحن مغلقون في هذا الوقت.\nهذه أقرب الأوقات المتاحة:',
    welcome: 'أهلًا بك في Bistro Dubai!\nفي أي يوم تود الحجز؟',
    menuIntro: 'هذا منيو المطعم. اختر قسمًا:',
    price: '28.00 AED',
    sixPm: '18:00',
  },
  {
    language: 'es' as const,
    askName: '¿A nombre de quién hago la reserva?',
    closedNear: 'Lo sentimos, no aceptamos reservas el dom 29 nov a las 20:00.\n¿Para qué día desea la mesa?',
    partyNoted: 'Para 3 personas, anotado. ¿A qué hora?',
    askPartySize: '¿Para cuántas personas?',
    team: 'Hablar con el equipo',
    largeParty:
      'En línea puedo reservar para un máximo de 8 personas. Para un grupo más grande, nuestro equipo le ayudará con gusto: toque abajo y una persona le responderá aquí, o llámenos al +97145550100. También puede indicarme un número menor de personas.',
    handoff: 'Una persona de nuestro equipo le responderá aquí en breve.',
    changeQuestion:
      '¿Desea cambiar su mesa para 4 personas del mar 24 nov a las 20:00 por una mesa para 4 personas el mar 24 nov a las 21:00?',
    changeButtons: ['Sí, cambiarla', 'Mantenerla'],
    kept: 'De acuerdo, su reserva sigue como estaba.',
    closedChange: 'Lo sentimos, a esa hora estamos cerrados.\nEstas son las horas libres más cercanas:',
    // Bistro Dubai has no Spanish greeting: the catalogue's welcome, not its English one.
    welcome: '¡Le damos la bienvenida a Bistro Dubai!\n¿Para qué día desea la mesa?',
    menuIntro: 'Esta es nuestra carta. Elija una sección:',
    price: '28,00 AED',
    sixPm: '18:00',
  },
  // French: U+202F before ? and !, U+00A0 before : and inside "20 h" (catalogue-fr.ts).
  {
    language: 'fr' as const,
    askName: 'À quel nom dois-je réserver\u202f?',
    closedNear:
      'Malheureusement, nous ne prenons pas de réservations le dim. 29 nov. à 20\u00a0h.\nPour quel jour souhaitez-vous réserver\u202f?',
    partyNoted: "Pour 3 personnes, c'est noté. À quelle heure\u202f?",
    askPartySize: 'Pour combien de personnes\u202f?',
    team: "Parler à l'équipe",
    largeParty:
      "En ligne, je peux réserver pour 8 personnes au maximum. Pour un groupe plus nombreux, notre équipe vous aidera volontiers\u00a0: appuyez ci-dessous et quelqu'un vous répondra ici, ou appelez-nous au +97145550100. Vous pouvez aussi m'indiquer un nombre de personnes plus petit.",
    handoff: 'Un membre de notre équipe va vous répondre ici très bientôt.',
    changeQuestion:
      'Souhaitez-vous remplacer votre table pour 4 personnes le mar. 24 nov. à 20\u00a0h par une table pour 4 personnes le mar. 24 nov. à 21\u00a0h\u202f?',
    changeButtons: ['Oui, modifier', 'La garder'],
    kept: 'Très bien, votre réservation reste inchangée.',
    closedChange:
      'Malheureusement, nous sommes fermés à ce moment-là.\nVoici les créneaux libres les plus proches\u00a0:',
    welcome: 'Bienvenue chez Bistro Dubai\u202f!\nPour quel jour souhaitez-vous réserver\u202f?',
    menuIntro: 'Voici notre carte. Choisissez une rubrique\u00a0:',
    price: '28,00\u00a0AED',
    sixPm: '18\u00a0h',
  },
])('dead ends, in $language', (l) => {
  const says = say(l.language);

  it('says a closed time as soon as day, time and party size are known, before asking for a name', async () => {
    // given a guest who gives everything but their name, for a Sunday the restaurant is closed
    const s1 = await when(
      greeted(l.language),
      says('sunday 8pm for 2', {
        intent: 'BOOK',
        entities: { partySize: 2, date: '2026-11-29', time: '20:00' },
      }),
      [closed],
    );
    // then availability is asked at once and the guest hears it is closed, not "under which name?"
    expect(s1.calls).toEqual([
      { kind: 'checkAvailability', partySize: 2, date: '2026-11-29', time: '20:00' },
    ]);
    expect(bodies(s1.replies)).toEqual([l.closedNear]);
    expect(bodies(s1.replies)[0]).not.toContain(l.askName);
    expect(s1.state.phase).toEqual({ kind: 'collecting', booking: { partySize: 2 }, expecting: 'date' });
  });

  it('checks the table once: the name that follows a free slot goes straight to the summary', async () => {
    const s1 = await when(
      greeted(l.language),
      says('tomorrow 8pm for 2', {
        intent: 'BOOK',
        entities: { partySize: 2, date: TOMORROW, time: '20:00' },
      }),
      [available],
    );
    expect(bodies(s1.replies)[0]?.endsWith(`.\n${l.askName}`)).toBe(true);
    // the question survives a restart: it is in the state the events carry
    const s2 = await when(
      restarted(s1.state),
      says('Sara', { intent: 'OTHER', entities: { guestName: 'Sara' } }),
    );
    expect(s2.calls).toEqual([]);
    expect(s2.state.phase).toMatchObject({ kind: 'confirming', booking: { name: 'Sara', partySize: 2 } });
    expect(buttonsOf(s2.replies[0])).toHaveLength(3);
  });

  it('offers the team and the phone for a party above the online maximum, and never asks the same question again', async () => {
    const big = says('table for 12', { intent: 'BOOK', entities: { partySize: 12 } });
    const s1 = await when(greeted(l.language), { ...big, business: CALLABLE });
    expect(bodies(s1.replies)).toEqual([l.largeParty]);
    expect(bodies(s1.replies)[0]).not.toContain(l.askPartySize);
    expect(buttonsOf(s1.replies[0])).toEqual([{ id: 'intent:human', title: l.team }]);
    // when the guest insists on the same number, the team is offered again, not the question
    const again = says('12', { intent: 'OTHER', entities: { partySize: 12 } });
    const s2 = await when(s1.state, { ...again, business: CALLABLE });
    expect(bodies(s2.replies)).toEqual([l.largeParty]);
    // when they tap the team: a person is asked for and the assistant steps back
    const s3 = await when(s2.state, tap('intent:human', l.team, { business: CALLABLE }));
    expect(bodies(s3.replies)).toEqual([l.handoff]);
    expect(s3.notes).toContainEqual(expect.objectContaining({ kind: 'handoff.started', by: 'guest' }));
    // or, instead, a smaller party goes on with the booking
    const s4 = await when(s2.state, says('8', { intent: 'OTHER', entities: { partySize: 8 } }));
    expect(s4.state.phase).toMatchObject({
      kind: 'collecting',
      booking: { partySize: 8 },
      expecting: 'date',
    });
  });

  it('offers the team for a change to a party above the online maximum too', async () => {
    const { replies, calls } = await when(
      greeted(l.language),
      says('make it 15 people', { intent: 'MODIFY', entities: { partySize: 15 } }),
      [listed(reservation())],
    );
    expect(calls).toEqual([{ kind: 'listReservations' }]);
    expect(buttonsOf(replies[0])).toEqual([{ id: 'intent:human', title: l.team }]);
  });

  it('confirms a change with buttons before applying it, as a booking and a cancellation are', async () => {
    const s1 = await when(
      greeted(l.language),
      says('move my booking to 9pm', { intent: 'MODIFY', entities: { time: '21:00' } }),
      [listed(reservation()), available],
    );
    expect(s1.calls.map((call) => call.kind)).toEqual(['listReservations', 'checkAvailability']);
    expect(bodies(s1.replies)).toEqual([l.changeQuestion]);
    expect(buttonsOf(s1.replies[0]).map((b) => b.title)).toEqual(l.changeButtons);
    // "Keep it": nothing is changed
    const kept = await when(restarted(s1.state), tap('change:no', l.changeButtons[1] ?? ''));
    expect(kept.calls).toEqual([]);
    expect(bodies(kept.replies)).toEqual([l.kept]);
    // "Yes" (after a restart: the question is in the state): the change is applied
    const moved = reservation({ time: '21:00' });
    const yes = await when(restarted(s1.state), tap('change:yes', l.changeButtons[0] ?? ''), [
      { kind: 'modified', result: { ok: true, reservation: moved } },
    ]);
    expect(yes.calls).toEqual([{ kind: 'modifyReservation', reservationId: moved.id, time: '21:00' }]);
    expect(yes.notes).toContainEqual({ kind: 'reservation.modified', reservationId: moved.id });
  });

  it('says a closed new time for a booking at once too, before asking to confirm the change', async () => {
    const { replies, calls, state } = await when(
      greeted(l.language),
      says('move my booking to 4pm', { intent: 'MODIFY', entities: { time: '16:00' } }),
      [
        listed(reservation()),
        {
          kind: 'availability',
          result: {
            ok: true,
            preferredAvailable: false,
            closedReason: 'CLOSED',
            alternatives: [{ date: TOMORROW, time: '18:00' }],
          },
        },
      ],
    );
    expect(calls.map((call) => call.kind)).toEqual(['listReservations', 'checkAvailability']);
    expect(bodies(replies)).toEqual([l.closedChange]);
    expect(buttonsOf(replies[0])).toEqual([{ id: `slot:${TOMORROW}T18:00`, title: l.sixPm }]);
    expect(state.phase.kind).toBe('modifying');
  });

  it('amends a change awaiting confirmation with what the guest adds, still asking first', async () => {
    const s1 = await when(
      greeted(l.language),
      says('move my booking to 9pm', { intent: 'MODIFY', entities: { time: '21:00' } }),
      [listed(reservation()), available],
    );
    const s2 = await when(s1.state, says('and 5 people', { intent: 'OTHER', entities: { partySize: 5 } }), [
      available,
    ]);
    expect(s2.calls.map((call) => call.kind)).toEqual(['checkAvailability']);
    expect(s2.state.phase).toMatchObject({
      kind: 'confirmingChange',
      changes: { time: '21:00', partySize: 5 },
    });
  });

  it('acknowledges a bare party size before the next question', async () => {
    const s1 = await when(
      greeted(l.language),
      says('book tomorrow', { intent: 'BOOK', entities: { date: TOMORROW } }),
    );
    const s2 = await when(s1.state, says('3 people', { intent: 'OTHER', entities: { partySize: 3 } }));
    expect(bodies(s2.replies)).toEqual([l.partyNoted]);
  });

  it('sends the welcome and the first answer as one message', async () => {
    const first = says('table please', { intent: 'BOOK' });
    const { replies } = await when(initialState(NOW, l.language), first);
    expect(bodies(replies)).toEqual([l.welcome]);
  });

  it("lists the menu's sections in the restaurant's order, each with its dishes", async () => {
    const menu: MenuCategory[] = [
      {
        name: 'Starters',
        items: [dish('hummus', 'Hummus', 'Chickpeas, tahini'), dish('fattoush', 'Fattoush', 'Sumac')],
      },
      { name: 'Mains', items: [dish('ouzi', 'Lamb Ouzi', 'Spiced rice')] },
      { name: 'Desserts', items: [dish('umm-ali', 'Umm Ali', 'Bread pudding')] },
    ];
    const s1 = await when(greeted(l.language), says('menu', { intent: 'MENU' }), [
      { kind: 'menu', result: { ok: true, categories: menu } },
    ]);
    expect(s1.replies[0]?.body).toBe(l.menuIntro);
    expect(rowsOf(s1.replies[0])).toEqual([
      { id: 'menu:Starters', title: 'Starters', description: 'Hummus, Fattoush' },
      { id: 'menu:Mains', title: 'Mains', description: 'Lamb Ouzi' },
      { id: 'menu:Desserts', title: 'Desserts', description: 'Umm Ali' },
    ]);
    const s2 = await when(s1.state, tap('menu:Starters', 'Starters'), [
      { kind: 'menu', result: { ok: true, categories: menu, category: 'Starters' } },
    ]);
    expect(rowsOf(s2.replies[0]).map((row) => row.description)).toEqual([
      `${l.price} · Chickpeas, tahini`,
      `${l.price} · Sumac`,
    ]);
  });

  it('quotes a six-character reference without look-alikes, and finds a booking by it or by an old eight-character one', async () => {
    const booked = reservation({ id: 'r_Xy3kLm9QpRsTuVwXyZ0123' });
    const s1 = await when(
      greeted(l.language),
      says('x', {
        intent: 'BOOK',
        entities: { partySize: 4, date: TOMORROW, time: '20:00', guestName: 'Sarah' },
      }),
      [available],
    );
    const s2 = await when(s1.state, tap('confirm:yes', 'Confirm'), [created(booked)]);
    const quoted = bookingReference(booked.id);
    expect(quoted).toMatch(new RegExp(`^[${REFERENCE_ALPHABET}]{6}$`));
    expect(bodies(s2.replies)[0]).toContain(` ${quoted}.`);
    // a guest with two bookings names one by its reference, today's or an old one quoted before
    const other = reservation({ id: 'r_other', date: '2026-11-28', startsAt: '2026-11-28T16:00:00.000Z' });
    for (const words of [`cancel ${quoted.toLowerCase()}`, 'cancel booking Xy3kLm9Q', 'cancel xy3klm9q']) {
      const s3 = await when(s2.state, says(words, { intent: 'CANCEL' }), [listed(other, booked)]);
      expect(s3.state.phase).toMatchObject({ kind: 'confirmingCancel', reservation: { id: booked.id } });
    }
    // typed while the list is shown, it picks like a tap
    const list = await when(s2.state, says('cancel', { intent: 'CANCEL' }), [listed(other, booked)]);
    expect(list.state.phase.kind).toBe('choosing');
    const picked = await when(list.state, says(`it is ${quoted}`, { intent: 'OTHER' }));
    expect(picked.state.phase).toMatchObject({ kind: 'confirmingCancel', reservation: { id: booked.id } });
  });
});

describe('Arabic without a stray tatweel', () => {
  it('writes "for n people" without U+0640 for every party size, in every reply that says it', () => {
    const ar = catalogueFor('ar');
    const when = ar.when(TOMORROW, '20:00');
    for (let n = 1; n <= 20; n += 1) {
      const booking = { date: TOMORROW, time: '20:00', partySize: n, name: 'محمد' };
      const texts = [
        ar.summary(booking, when),
        ar.booked(booking, when, 'ACDEFH'),
        ar.modified(reservation({ partySize: n }), when),
        ar.partyNoted(n),
        ar.slotFree(n, when),
        ar.confirmChange(reservation({ partySize: n }), when, n, when),
        ar.confirmCancel(reservation({ partySize: n }), when),
        ar.partyTooLarge(n, '+97145550100'),
      ];
      for (const text of texts) expect(text).not.toContain('\u0640');
    }
    expect(ar.summary({ date: TOMORROW, time: '20:00', partySize: 2, name: 'محمد' }, when)).toContain(
      'طاولة لشخصين',
    );
  });
});

function dish(id: string, name: string, description: string) {
  return { id, name, description, priceMinor: 2800, currency: 'AED', available: true };
}
