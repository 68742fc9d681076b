import { describe, expect, it } from 'vitest';
import { findGuestName } from '../src/nlu/guest-name.js';
import { type Entities, type InterpretInput, interpretWithRules } from '../src/nlu/index.js';
import { decideIntent } from '../src/nlu/model/decide-intent.js';
import type { IntentModel, ModelGuess } from '../src/nlu/model/intent-model.js';

/** Monday 23 November 2026, 19:00 in Dubai: tomorrow is the 24th, Friday the 27th. */
const NOW = new Date('2026-11-23T15:00:00Z');
const entities = (text: string): Entities => {
  const input: InterpretInput = {
    text,
    localeHint: '',
    conversationId: '',
    timeZone: 'Asia/Dubai',
    now: NOW,
  };
  return interpretWithRules(input).entities;
};

/** Entity gaps that cross-validation on the grown training corpus showed (pnpm corpus:cv). */
describe('entity gaps found by cross-validating the grown corpus', () => {
  it.each<[string, Entities]>([
    // Colloquial "for" before a count, "table of 8", and one guest after "for".
    ['mesa pa 2 hoy', { partySize: 2, date: '2026-11-23' }],
    ["¿me reservas una mesa pa' cuatro?", { partySize: 4 }],
    ['reservation pr 2 ce soir', { partySize: 2, date: '2026-11-23' }],
    ['vous pouvez nous mettre à une table de 8 ?', { partySize: 8 }],
    ['table pour une personne ce soir', { partySize: 1, date: '2026-11-23' }],
    ['mesa para una persona', { partySize: 1 }],
    // An article before the count ("pour un anniversaire") no longer hides the count after it.
    ["c'est pour un anniversaire, une table pour 2 samedi ?", { partySize: 2, date: '2026-11-28' }],
    ['al final vamos a ser 3', { partySize: 3 }],
    ['صرنا ستة بدال اربعة', { partySize: 6 }],
    ['need to change the number of guests to 7', { partySize: 7 }],
    ['je dois changer le nombre de personnes à 7', { partySize: 7 }],
    ['hola, somos un grupo de 15, ¿podemos reservar el viernes?', { partySize: 15, date: '2026-11-27' }],
    ['on sera moins nombreux, juste 2', { partySize: 2 }],
    ['mi reserva es para 4 pero seremos 5', { partySize: 5 }],
    [
      'for Lina, table of 2 friday at 9',
      { partySize: 2, date: '2026-11-27', time: '21:00', guestName: 'Lina' },
    ],
  ])('"%s" gives its party size', (text, expected) => {
    expect(entities(text)).toEqual(expected);
  });

  it.each([
    'on sera deux de plus',
    'vous pouvez ajouter deux personnes à ma réservation ?',
    '¿podrían agregar dos personas a mi reserva?',
    'can you add 2 more people to my reservation',
    'بنزيد شخصين على الحجز',
    "we're one person short now",
  ])('"%s" adds guests to a booking: no party size (the new total is unknown)', (text) => {
    expect(entities(text).partySize).toBeUndefined();
  });

  it.each<[string, Entities]>([
    ['ya no somos 6, somos 4', { partySize: 4 }],
    ["on n'est plus 6, on sera 4", { partySize: 4 }],
    ['la reserva a las 9 no, mejor a las 8 por favor', { time: '20:00' }],
    ['perdón, la reserva a las 9 y no 8', { time: '21:00' }],
    ['la reserva, pas 20h, 21h', { time: '21:00' }],
    ['en lugar del viernes, el sábado', { date: '2026-11-28' }],
    ['au lieu de vendredi, samedi', { date: '2026-11-28' }],
    ['بدل يوم الجمعة خلوه السبت', { date: '2026-11-28' }],
    ['مو الجمعة، السبت', { date: '2026-11-28' }],
  ])('"%s": the value taken back is not the one read', (text, expected) => {
    expect(entities(text)).toEqual(expected);
  });

  it.each<[string, Entities]>([
    ['pasado mañana a las 9', { date: '2026-11-25', time: '21:00' }],
    ['après-demain à 20h', { date: '2026-11-25', time: '20:00' }],
    ['a las 8 y media', { time: '20:30' }],
    ['8 menos cuarto', { time: '19:45' }],
    ['9h et demie', { time: '21:30' }],
    ['à 8h et quart', { time: '20:15' }],
    ['une table à soir', { date: '2026-11-23' }],
    ['ahorita queremos una mesa', { date: '2026-11-23' }],
    ['حجز عشا الساعة الثامنة والنص', { time: '20:30' }],
    ['can we move our table from 8 to 9', { time: '21:00' }],
    ['¿podemos cambiar la reserva de las 8 a las 9?', { time: '21:00' }],
    ['on peut passer la réservation de 20h à 21h ?', { time: '21:00' }],
    ['بدي غير الساعة لتسعة ونص', { time: '21:30' }],
    ['¿podemos pasar la reserva de mañana al miércoles?', { date: '2026-11-25' }],
    ['¿la mesa de las 8 la pueden pasar a las 9?', { time: '21:00' }],
    ['cancela la reserva de mañana', { date: '2026-11-24' }],
    ['¿la mesa de mañana puede ser a las 10?', { date: '2026-11-24', time: '22:00' }],
  ])('"%s" reads the day or the half and quarter hours', (text, expected) => {
    expect(entities(text)).toEqual(expected);
  });

  it.each<[string, Entities]>([
    ['¿se puede mover mi reserva una hora más tarde?', {}],
    ['not cancelling, I want a second booking for friday', { date: '2026-11-27' }],
    ['vamos a llegar 20 minutos tarde, ¿nos esperan?', {}],
    ['غلطت باليوم، قصدي الخميس', { date: '2026-11-26' }],
    ['ما ابي الغي، ابي اغير اليوم للجمعة', { date: '2026-11-27' }],
  ])('"%s": "an hour later", "a second", "the day" are no date or time', (text, expected) => {
    expect(entities(text)).toEqual(expected);
  });

  it('reads a name after "تحت اسم" (under the name)', () => {
    expect(findGuestName('تحت اسم نورة')).toBe('نورة');
  });

  it('ends a capitalized name at the first lower-case word, accented ones too', () => {
    expect(findGuestName('déplacez la réservation au nom de Pierre à vendredi')).toBe('Pierre');
    expect(findGuestName('a nombre de Lucía para el sábado')).toBe('Lucía');
  });
});

describe('who decides: an explicit cue to change, cancel or reach a person', () => {
  const guess = (intent: ModelGuess['intent'], negated: boolean): ModelGuess => ({
    intent,
    confidence: 0.9,
    known: 3,
    language: 'fr',
    negated,
  });
  const cancel = { intent: 'CANCEL', confidence: 0.95 } as const;

  it("outweighs the model's BOOK or OTHER when nothing is negated ('supprimez ma réservation')", () => {
    expect(decideIntent('supprimez ma réservation', cancel, guess('BOOK', false))).toEqual(cancel);
    expect(decideIntent('supprimez ma réservation', cancel, guess('OTHER', false))).toEqual(cancel);
  });

  it('yields to the model when the message negates ("not a cancellation, a new booking")', () => {
    expect(decideIntent('not a cancellation, a new booking', cancel, guess('BOOK', true))).toEqual({
      intent: 'BOOK',
      confidence: 0.9,
    });
  });

  it("lets any request outweigh the model's greeting or thanks, and an hours cue its MENU", () => {
    const book = { intent: 'BOOK', confidence: 0.95 } as const;
    expect(decideIntent('hola, quiero reservar', book, guess('GREETING', false))).toEqual(book);
    const hours = { intent: 'HOURS', confidence: 0.8 } as const;
    expect(decideIntent('until when do you serve food', hours, guess('MENU', false))).toEqual(hours);
  });

  it("lets an unrivalled Arabic hours cue outweigh the model's OTHER, not a French one", () => {
    const hours = { intent: 'HOURS', confidence: 0.95 } as const;
    expect(decideIntent('شن الاوقات متاعكم يوم الجمعه?', hours, guess('OTHER', false))).toEqual(hours);
    expect(decideIntent('vous ouvrez le dimanche ?', hours, guess('OTHER', false))).toEqual({
      confidence: 0,
    });
  });

  it("outweighs the model's MODIFY with a cue to cancel, unless the message negates", () => {
    const arabic = (negated: boolean): ModelGuess => ({ ...guess('MODIFY', negated), language: 'ar' });
    expect(decideIntent('الحجز باسم حسن الغيه', cancel, arabic(false))).toEqual(cancel);
    expect(
      decideIntent('retirer notre réservation de vendredi', cancel, {
        ...guess('MODIFY', false),
        language: 'fr',
      }),
    ).toEqual(cancel);
    expect(decideIntent('لا تلغيه، اخره ساعة', cancel, arabic(true))).toEqual({
      intent: 'MODIFY',
      confidence: 0.9,
    });
  });

  it('yields to the model when it reads another request, or when the cue has a rival', () => {
    expect(decideIntent('x y', cancel, guess('HOURS', false))).toEqual({
      intent: 'HOURS',
      confidence: 0.9,
    });
    expect(decideIntent('x y', { intent: 'CANCEL', confidence: 0.8 }, guess('BOOK', false))).toEqual({
      intent: 'BOOK',
      confidence: 0.9,
    });
  });
});

describe('a slot beside a booking cue', () => {
  it('is a booking even when the model reads nothing in the message', () => {
    const input: InterpretInput = {
      text: 'vous avez de la disponibilité vendredi ?',
      localeHint: '',
      conversationId: '',
      timeZone: 'Asia/Dubai',
      now: NOW,
    };
    const nothing: IntentModel = {
      classify: () => ({
        intent: 'OTHER',
        confidence: 1,
        known: 2,
        language: 'fr',
        negated: false,
      }),
    };
    expect(interpretWithRules(input, nothing)).toMatchObject({
      intent: 'BOOK',
      entities: { date: '2026-11-27' },
    });
    expect(interpretWithRules({ ...input, text: 'vous avez le wifi vendredi ?' }, nothing)).toMatchObject({
      intent: 'OTHER',
      answer: true,
    });
  });
});

describe('explicit handling where the model is weak', () => {
  const read = (text: string, guess: Partial<ModelGuess> = {}) => {
    const model: IntentModel = {
      classify: () => ({
        intent: 'CANCEL',
        confidence: 0.9,
        known: 3,
        language: 'en',
        negated: false,
        ...guess,
      }),
    };
    const input: InterpretInput = {
      text,
      localeHint: '',
      conversationId: '',
      timeZone: 'Asia/Dubai',
      now: NOW,
    };
    return interpretWithRules(input, model).intent;
  };

  it.each([
    ['no need to cancel, just push it to 9', 'MODIFY'],
    ['no la cancelen, solo llegamos tarde', 'MODIFY'],
    ["pas d'annulation, juste un autre horaire", 'MODIFY'],
    ['لا تلغون الحجز، اخروه ساعة بس', 'MODIFY'],
    ["don't cancel anything, I want a new booking for friday", 'BOOK'],
  ])('"%s" rules out a cancellation: %s', (text, intent) => {
    expect(read(text)).toBe(intent);
  });

  it.each([
    'oops, 8 not 7',
    'sorry, saturday not friday',
    'plutôt 21h que 20h',
    'ya no somos 6, somos 4',
    'عفوا، الثامنة مو السابعة',
    'بدل يوم الجمعة خلوه السبت',
  ])('"%s" gives a value in place of one taken back: a change, though no verb says so', (text) => {
    expect(read(text, { intent: 'OTHER', confidence: 0.9 })).toBe('MODIFY');
  });

  it('leaves a bare answer with nothing taken back an answer', () => {
    expect(read('saturday', { intent: 'OTHER', confidence: 0.9 })).toBe('OTHER');
    expect(read('we are 4', { intent: 'OTHER', confidence: 0.9 })).toBe('OTHER');
  });

  it('keeps a cancellation whose negation belongs to another clause (the Arabic comma ends it)', () => {
    expect(read('مو جايين الليلة، الغوه')).toBe('CANCEL');
    expect(read('we are not coming, cancel it')).toBe('CANCEL');
  });

  it('reads a dish or menu section the model did not place as a menu question, unless it is brought', () => {
    expect(read('¿tienen pasta?', { intent: 'OTHER', confidence: 0.9 })).toBe('MENU');
    expect(read('can we bring our own cake', { intent: 'OTHER', confidence: 0.9 })).toBe('OTHER');
  });

  it('knows more conjugations and misspellings of the change and booking words', () => {
    expect(read('ممكن تغيرون الحجز لستة اشخاص؟', { intent: 'BOOK', confidence: 0.9 })).toBe('MODIFY');
    expect(read('puedo canbiar la hora?', { intent: 'OTHER', confidence: 0.5 })).toBe('MODIFY');
    expect(read('jveux anuler ma résa', { intent: 'OTHER', confidence: 0.5 })).toBe('CANCEL');
  });

  it('reads a name given as an answer, though "llamar"/"appeler" also mean "call me"', () => {
    expect(read('me llamo Lucía', { intent: 'HUMAN', confidence: 0.9 })).toBe('OTHER');
    expect(read("je m'appelle Claire", { intent: 'HUMAN', confidence: 0.9 })).toBe('OTHER');
    expect(read('que me llame el gerente', { intent: 'HUMAN', confidence: 0.9 })).toBe('HUMAN');
  });

  it('asks for a staff member with "موظف", not with "موظفين" (are you hiring staff?)', () => {
    const sure = { intent: 'OTHER', confidence: 0.5 } as const;
    expect(read('تبون موظفين؟', sure)).toBe('OTHER');
    expect(read('ابي اكلم موظف', sure)).toBe('HUMAN');
  });

  it('has no menu cue in a bare "عندكم" (do you have) or in "la carte bancaire"', () => {
    const sure = { intent: 'OTHER', confidence: 0.5 } as const;
    expect(read('عندكم مصلى؟', sure)).toBe('OTHER');
    expect(read('عندكم توصيل؟', sure)).toBe('OTHER');
    expect(read('وش عندكم؟', sure)).toBe('MENU');
    expect(read('vous prenez la carte bancaire ?', sure)).toBe('OTHER');
    expect(read('la carte svp', sure)).toBe('MENU');
  });
});
