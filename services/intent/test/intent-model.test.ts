import { describe, expect, it } from 'vitest';
import { type InterpretInput, interpretWithRules } from '../src/nlu/index.js';
import { features } from '../src/nlu/model/features.js';
import { trainIntentModel } from '../src/nlu/model/intent-model.js';
import { loadTrainingExamples } from '../src/nlu/model/training-corpus.js';
import { normalize } from '../src/nlu/normalize.js';

const NOW = new Date('2026-11-23T15:00:00Z');
const input = (text: string): InterpretInput => ({
  text,
  localeHint: '',
  conversationId: '',
  timeZone: 'Asia/Dubai',
  now: NOW,
});

describe('the trained intent model beside the rules: the failure kinds of issue 17, in its own examples', () => {
  const model = trainIntentModel(loadTrainingExamples(), normalize);
  const read = (text: string) => interpretWithRules(input(text), model);

  it('marks the words a negation reaches, up to the end of the clause or a "but"/"just"/"بس"', () => {
    expect(features(normalize('no need to cancel, can we move it?'), 'en')).toEqual([
      'no',
      '!need',
      '!to',
      '!cancel',
      'can',
      'we',
      'move',
      'it',
    ]);
    expect(features(normalize('we cannot come'), 'en')).toEqual(['we', 'can', 'not', '!come']);
    expect(features(normalize("je n'annule rien"), 'fr')).toContain('!annul');
    // An Arabic clock ordinal is a number to the model, like digits: not "الثانية" (the other one).
    expect(features(normalize('حجز الساعة الثانية عشرة'), 'ar')).toEqual(
      features(normalize('حجز الساعة 12'), 'ar'),
    );
    expect(features(normalize('الطاولة الثانية'), 'ar')).not.toContain('0');
    expect(features(normalize('لا تلغي بس غير الوقت'), 'ar').filter((f) => f.startsWith('!'))).toHaveLength(
      1,
    ); // The Arabic comma ends the clause as the Latin one does.
    expect(
      features(normalize('لا تلغي الحجز، ممكن نغيره'), 'ar').filter((f) => f.startsWith('!')),
    ).toHaveLength(2);
    // "and" glued to the negation ("وما نقدر نجي") negates as the bare one does; "ولا" (or) does not.
    expect(features(normalize('صار ظرف وما نقدر نجي'), 'ar').filter((f) => f.startsWith('!'))).toHaveLength(
      2,
    );
    expect(features(normalize('بكرة ولا بعده'), 'ar').filter((f) => f.startsWith('!'))).toHaveLength(0);
  });

  it.each([
    ['no need to cancel, can we move it later?', 'MODIFY'],
    ["not a cancellation — I'm booking a new one", 'BOOK'],
    ['could we shift our table a bit later?', 'MODIFY'],
    ['sorry, 9 instead of 8', 'MODIFY'],
    ['what is on your menu? I may book for saturday', 'MENU'],
    ['what are your opening hours? I want to make a reservation', 'HOURS'],
    ['لا ما نبي نلغي، نبي نأخر الموعد', 'MODIFY'],
    ['قبل ما نحجز، وش عندكم اكل؟', 'MENU'],
  ])('"%s" is %s, though the cue tables read a stronger keyword first', (text, intent) => {
    expect(read(text).intent).toBe(intent);
  });

  it.each(['is this Book & Bite?', 'عندكم واي فاي؟', 'فيه مواقف سيارات؟', 'وين المصلى؟'])(
    '"%s" (a brand name, or an out-of-domain question) is OTHER, not a booking or the menu',
    (text) => {
      expect(read(text).intent).toBe('OTHER');
    },
  );

  it('leaves to the rules what they do better: one-word commands, bare slot answers, interactive ids', () => {
    expect(read('cancel')).toMatchObject({ intent: 'CANCEL' });
    expect(read('Jonathan Price')).toMatchObject({
      intent: 'OTHER',
      answer: true,
      entities: { guestName: 'Jonathan Price' },
    });
    expect(read('4')).toMatchObject({ intent: 'OTHER', answer: true, entities: { partySize: 4 } });
    expect(
      interpretWithRules(
        { ...input('whatever'), interactive: { kind: 'button_reply', id: 'menu', title: 'x' } },
        model,
      ),
    ).toMatchObject({ intent: 'MENU', confidence: 1 });
  });

  it('reads the entities issue 17 found missing', () => {
    expect(read('بدي طاولة الساعة التاسعة').entities.time).toBe('21:00');
    expect(read('نوصل الحادية عشرة').entities.time).toBe('11:00');
    expect(read('الساعة السابعة والنصف').entities.time).toBe('19:30');
    expect(read('a table right now for two').entities.date).toBe('2026-11-23');
    expect(read('نبي طاولة الآن').entities.date).toBe('2026-11-23');
    expect(read('table for 4pax at 8').entities.partySize).toBe(4);
    expect(read('6ppl tomorrow').entities.partySize).toBe(6);
    expect(read('name: Ana').entities.guestName).toBe('Ana');
    expect(read('under Ana please').entities.guestName).toBe('Ana');
    expect(read('friday at 8 for Ana').entities).toMatchObject({ guestName: 'Ana', date: '2026-11-27' });
  });
});
