import { localParts } from '@reserveit/time';
import { describe, expect, it } from 'vitest';
import { arabicWhen, dinnerHour } from '../src/nlu/arabic-when.js';
import { type InterpretInput, interpretWithRules } from '../src/nlu/index.js';
import { normalize } from '../src/nlu/normalize.js';
import { bareNumber, findPartySize } from '../src/nlu/party-size.js';

/** Monday 23 November 2026, 19:00 in Dubai. */
const NOW = new Date('2026-11-23T15:00:00Z');
const input = (text: string, extra: Partial<InterpretInput> = {}): InterpretInput => ({
  text,
  localeHint: '',
  conversationId: '',
  timeZone: 'Asia/Dubai',
  now: NOW,
  ...extra,
});

describe('business timezone', () => {
  it('reads "tomorrow" in the restaurant\'s zone, not the server\'s: 22:30 UTC is already Tuesday in Dubai', () => {
    const lateUtc = new Date('2026-11-23T22:30:00Z');
    expect(interpretWithRules(input('table for 2 tomorrow', { now: lateUtc })).entities.date).toBe(
      '2026-11-25',
    );
    expect(
      interpretWithRules(input('table for 2 tomorrow', { now: lateUtc, timeZone: 'America/New_York' }))
        .entities.date,
    ).toBe('2026-11-24');
  });
});

describe('Arabic dates and times (table driven)', () => {
  const today = localParts(NOW, 'Asia/Dubai');
  const cases: [string, { date?: string; time?: string }][] = [
    ['بكرة', { date: '2026-11-24' }],
    ['بعد بكرة', { date: '2026-11-25' }],
    ['الليلة الساعة ٩', { date: '2026-11-23', time: '21:00' }],
    ['يوم الجمعة', { date: '2026-11-27' }],
    ['الاثنين الجاي', { date: '2026-11-30' }],
    ['الساعة ٨ ونص', { time: '20:30' }],
    ['٩ الا ربع', { time: '20:45' }],
    ['الساعة ١٠ صباحا', { time: '10:00' }],
    ['الساعة تمانية', { time: '20:00' }],
    ['٧:١٥ مساء', { time: '19:15' }],
    ['٣/١٢', { date: '2026-12-03' }],
    ['٥ يناير', { date: '2027-01-05' }],
    // A day of the month alone: the 15th has passed in November, so the next one is in December.
    ['يوم ١٥', { date: '2026-12-15' }],
    ['بتاريخ 28', { date: '2026-11-28' }],
    ['٢٠ الشهر', { date: '2026-12-20' }],
    // Moved from one weekday to another: the day it goes to.
    ['من الجمعة للسبت', { date: '2026-11-28' }],
    ['الساعة الحادية عشرة ليلا', { time: '23:00' }],
    ['الساعة العاشرة صباحا', { time: '10:00' }],
    ['السابعة إلا ثلث', { time: '18:40' }],
    ['العاشرة إلا ربعاً', { time: '21:45' }],
    // "to the ninth": "ل" swallows the article's alef.
    ['نغير الساعة للتاسعة', { time: '21:00' }],
    ['يوم الحد', { date: '2026-11-29' }],
    ['الساعة ٨ و ٤٥', { time: '20:45' }],
    ['بعد يومين', { date: '2026-11-25' }],
    ['بعد ٣ أيام', { date: '2026-11-26' }],
    ['تأجيل ليوم ١٠', { date: '2026-12-10' }],
    // Of several hours, the last one not replaced; a bare hour after the one replaced.
    ['عندي حجز الساعة ٨، نخليه الساعة ٩', { time: '21:00' }],
    ['الساعة ٩ بدل الساعة ٨', { time: '21:00' }],
    ['بدل الساعة تسعة خليها عشرة', { time: '22:00' }],
    ['ما راح نوصل الساعة ٨، ممكن نخليها ٩', { time: '21:00' }],
    // Of several days, the last one not replaced; a day inside a longer one is none of its own.
    ['الحجز بكرة، نبي نخليه بعد بكرة', { date: '2026-11-25' }],
    ['نقدم الحجز لليوم بدل بكرة', { date: '2026-11-23' }],
    ['حجزي الخميس، ممكن يصير الجمعة؟', { date: '2026-11-27' }],
    ['بدل بكرة خليه الخميس', { date: '2026-11-26' }],
    ['غلطت في اليوم، قصدي الأحد', { date: '2026-11-29' }],
    // An hour moved from one to another beside a word of time.
    ['نقدم الموعد من ٩ لـ ٨', { time: '20:00' }],
    // English days in an Arabic message.
    ['ممكن table لشخصين tonight', { date: '2026-11-23' }],
    // Levantine and Maghrebi month names.
    ['١٥ كانون الأول', { date: '2026-12-15' }],
    ['٥ جانفي', { date: '2027-01-05' }],
    // A weekday of next week, as the English corpus reads "next friday" (2026-12-04); the coming
    // one without "week".
    ['السبت الاسبوع الجاي', { date: '2026-12-05' }],
    ['الخميس من الأسبوع القادم الساعة الثامنة مساءً', { date: '2026-12-03', time: '20:00' }],
    ['الجمعة يلي بعد الجاية', { date: '2026-12-04' }],
    ['booking next Friday الساعة 8', { date: '2026-12-04', time: '20:00' }],
    ['الجمعة الجاية', { date: '2026-11-27' }],
    // Maghrebi "at eight in the evening".
    ['غدوة مع الثمنية ديال الليل', { date: '2026-11-24', time: '20:00' }],
    // An hour the booking is moved to, beside the hour it had.
    ['الساعه ٩، نبي نقدمه لـ ٨', { time: '20:00' }],
  ];
  it.each(cases)('%s', (text, expected) => {
    const found = arabicWhen(normalize(text), today);
    expect({ date: found.date, time: found.time }).toEqual({ date: undefined, time: undefined, ...expected });
  });

  it('does not read a bare number as a time (it is a party size or an answer)', () => {
    expect(arabicWhen(normalize('٤'), today).time).toBeUndefined();
  });

  it('reads a relative day only as a whole word: "غداء" (lunch) is not "غدا" (tomorrow)', () => {
    expect(arabicWhen(normalize('حجز غداء يوم الجمعة'), today).date).toBe('2026-11-27');
    expect(arabicWhen(normalize('حجز الغداء'), today).date).toBeUndefined();
    expect(arabicWhen(normalize('نحجز ليوم الاحد على الغدا'), today).date).toBe('2026-11-29');
  });

  it('reads a day number only after "يوم"/"بتاريخ" or before "الشهر", never at a clock ("يوم ١٥:٣٠" is no date)', () => {
    expect(arabicWhen(normalize('١٥ شخص'), today).date).toBeUndefined();
    expect(arabicWhen(normalize('يوم ١٥:٣٠'), today).date).toBeUndefined();
  });

  it('keeps the morning of an hour written with its leading zero ("٠٣:٠٠"), not of "٣:٠٠"', () => {
    expect(arabicWhen(normalize('الساعة ٠٣:٠٠'), today).time).toBe('03:00');
    expect(arabicWhen(normalize('الساعة ٣:٠٠'), today).time).toBe('15:00');
  });
});

describe('dinner context', () => {
  it('reads a bare hour from 1 to 10 as evening, keeps 11 and 12, and obeys am/pm', () => {
    expect([dinnerHour(8, false, false), dinnerHour(11, false, false), dinnerHour(12, false, false)]).toEqual(
      [20, 11, 12],
    );
    expect([dinnerHour(9, true, false), dinnerHour(12, true, false), dinnerHour(12, false, true)]).toEqual([
      9, 0, 12,
    ]);
  });

  it('keeps a morning hour when the guest talks about breakfast', () => {
    expect(interpretWithRules(input('breakfast for 2 tomorrow at 9')).entities.time).toBe('09:00');
  });
});

describe('party sizes', () => {
  it.each([
    ['table for four', 4],
    ['a party of twelve', 12],
    ['2 adults and 2 kids', 4],
    ['٤ أشخاص', 4],
    ['لشخصين', 2],
    ['somos cinco', 5],
    ['nous sommes 3', 3],
    // Dialect forms of "we are" and of the numbers.
    ['نحنا اربعة', 4],
    ['حنا ٤', 4],
    ['بنكون ٥', 5],
    ['عدد الاشخاص صار ٧', 7],
    ['طاولة لتنين', 2],
    ['لربعة', 4],
    ['لعشرين شخص', 20],
    ['طاولة لزوز', 2],
    ['حنا جوج', 2],
    ['لعدد ٤', 4],
    ['مجموعة من ١٠', 10],
    ['جلسة لعائلة من ٧', 7],
    ['بنكون تقريبا ٨', 8],
    // Minutes after "و" are two digits: a single one is a count.
    ['الساعة ٨ و ٤ أشخاص', 4],
    ['طلعنا خمسة', 5],
    ['ترابيزة اتنين', 2],
    ['٣ كبار وطفلين', 5],
    ['٤ أشخاص وطفل', 5],
    ['١٠ اطفال و٤ كبار', 14],
    ['2 kids and 2 adults', 4],
    ['طاولة لشخص واحد', 1],
    ['انا وزوجتي بس', 2],
    // An MSA teen is read whole, not as its unit ("خمسة عشر" is 15, not 5).
    ['نحن خمسة عشر شخص', 15],
    ['لخمستاشر', 15],
    ['٤ ناس', 4],
    ['٦ بنات', 6],
    ['شخص واحد بس', 1],
  ])('%s → %d', (text, size) => {
    expect(findPartySize(normalize(text)).partySize).toBe(size);
  });

  it('reads a bare count with "only" after it ("ثنين بس") as the answer it is', () => {
    expect(bareNumber(normalize('ثنين بس'))).toBe(2);
    expect(bareNumber(normalize('٣ فقط'))).toBe(3);
  });

  it('takes no count from an hour moved ("الموعد من ٩ لـ ٨"), but one from a count moved ("العدد من ٤ لـ ٦")', () => {
    expect(findPartySize(normalize('ممكن نقدم الموعد من ٩ لـ ٨؟')).partySize).toBeUndefined();
    expect(findPartySize(normalize('نغير العدد من ٤ لـ ٦')).partySize).toBe(6);
  });

  it('takes no count from a date, one fewer, or a couple with more after it', () => {
    expect(findPartySize(normalize('طاولة ٢٥/١١')).partySize).toBeUndefined();
    expect(findPartySize(normalize('نقص الحجز شخص واحد')).partySize).toBeUndefined();
    expect(findPartySize(normalize('انا وزوجتي والاولاد')).partySize).toBeUndefined();
  });

  it('takes back a count after an Arabic "not" ("لخمسة مش لأربعة": five, and no 4 o\'clock)', () => {
    const found = findPartySize(normalize('الحجز لازم يكون لخمسة مش لأربعة'));
    expect(found).toMatchObject({ partySize: 5, corrected: true });
    expect(arabicWhen(found.rest, localParts(NOW, 'Asia/Dubai')).time).toBeUndefined();
  });

  it('drops a corrected count from what the date and time readers see ("لاربعة بس صرنا ستة" is no 4 o\'clock)', () => {
    const found = findPartySize(normalize('حجزت لاربعة بس صرنا ستة'));
    expect(found.partySize).toBe(6);
    expect(arabicWhen(found.rest, localParts(NOW, 'Asia/Dubai')).time).toBeUndefined();
  });

  it('does not take a time for a head count ("book for 8pm", "for 7:30")', () => {
    expect(findPartySize(normalize('book for 8pm')).partySize).toBeUndefined();
    expect(findPartySize(normalize('for 7:30')).partySize).toBeUndefined();
  });
});

describe('Arabic names, out-of-domain questions and bringing food', () => {
  it('ends an Arabic name at punctuation or at the words of a booking', () => {
    expect(interpretWithRules(input('حجزي باسم منى، بدنا نصير خمسة')).entities.guestName).toBe('منى');
    expect(interpretWithRules(input('الغوا الحجز اللي باسم أحمد؟')).entities.guestName).toBe('أحمد');
    expect(interpretWithRules(input('اسم الحجز: ليلى')).entities.guestName).toBe('ليلى');
    expect(interpretWithRules(input('حجز باسم د. سامر لأربعة')).entities.guestName).toBe('سامر');
    expect(interpretWithRules(input('الحجز اللي باسم فهد لبكرة، الغوه')).entities.guestName).toBe('فهد');
    // "على" (on) ends a name; "علي" (Ali) is one.
    expect(interpretWithRules(input('ممكن تعدلون الاسم على الحجز؟')).entities.guestName).toBeUndefined();
    expect(interpretWithRules(input('الحجز باسم علي')).entities.guestName).toBe('علي');
    expect(interpretWithRules(input('الحجز يكون باسم رهف مو باسمي')).entities.guestName).toBe('رهف');
    expect(interpretWithRules(input('سجله باسمي، رامي', { expecting: 'name' })).entities.guestName).toBe(
      'رامي',
    );
    expect(interpretWithRules(input('سجلوه على اسمي: فيصل')).entities.guestName).toBe('فيصل');
    expect(interpretWithRules(input('باسم ريم الساعة ٨')).entities).toEqual({
      guestName: 'ريم',
      time: '20:00',
    });
  });

  it('hears "room for four" as a booking but a place to smoke or pray as no booking', () => {
    expect(interpretWithRules(input('فيه مكان لأربعة الليلة؟')).intent).toBe('BOOK');
    expect(interpretWithRules(input('فيه مكان للتدخين؟')).intent).not.toBe('BOOK');
    expect(interpretWithRules(input('عندكم مكان للصلاة؟')).intent).not.toBe('BOOK');
    expect(interpretWithRules(input('فيه مكان أصلي فيه؟')).intent).not.toBe('BOOK');
    // A restaurant's name holds a dish: the guest asks whom they write to.
    expect(interpretWithRules(input('هل انتم فرع مطعم بيت الشاورما؟')).intent).toBe('OTHER');
  });

  it('reads a name given with thanks as the answer to "what name?"', () => {
    expect(interpretWithRules(input('اسمي علي، شكرا'))).toMatchObject({
      intent: 'OTHER',
      answer: true,
      entities: { guestName: 'علي' },
    });
  });

  it('hears "الغي" as a cancellation but not "لغير" (for non-)', () => {
    expect(interpretWithRules(input('ممكن تلغي الحجز؟')).intent).toBe('CANCEL');
    expect(interpretWithRules(input('عندكم قسم لغير المدخنين؟')).intent).not.toBe('CANCEL');
  });

  it('does not take a cake the guest brings for a menu question', () => {
    expect(interpretWithRules(input('ممكن نجيب كيكة معنا؟')).intent).toBe('OTHER');
    expect(interpretWithRules(input('عندكم كيكة؟')).intent).toBe('MENU');
  });
});

describe('Arabizi (Arabic in Latin letters)', () => {
  it('reads a booking, a cancellation and thanks written in Arabizi as the Arabic ones', () => {
    expect(interpretWithRules(input('baddi e7jez tawle la 4 bukra'))).toMatchObject({
      intent: 'BOOK',
      language: 'ar',
      entities: { partySize: 4, date: '2026-11-24' },
    });
    expect(interpretWithRules(input('momken sa3a 9 w nos el leila')).entities).toEqual({
      date: '2026-11-23',
      time: '21:30',
    });
    expect(interpretWithRules(input('3ayez alghi el 7agz')).intent).toBe('CANCEL');
    expect(interpretWithRules(input('shukran kteer')).intent).toBe('THANKS');
  });

  it('leaves English, Spanish and French alone, whatever short words they share ("la", "mesh", "4pax")', () => {
    for (const text of ['mesa para 4 a la noche', 'is the mesh wifi free', 'table 4pax tmrw', 'il fait beau'])
      expect(normalize(text)).not.toMatch(/[\u0600-\u06ff]/);
  });
});

describe('bare answers', () => {
  it('marks a message that only answers a question as OTHER with answer=true', () => {
    expect(interpretWithRules(input('4'))).toMatchObject({
      intent: 'OTHER',
      answer: true,
      entities: { partySize: 4 },
    });
    expect(interpretWithRules(input('8pm'))).toMatchObject({
      intent: 'OTHER',
      answer: true,
      entities: { time: '20:00' },
    });
    expect(interpretWithRules(input('Sarah'))).toMatchObject({
      intent: 'OTHER',
      answer: true,
      entities: { guestName: 'Sarah' },
    });
  });

  it('fills the slot the dialogue asked for: "8" is a time when a time was asked', () => {
    expect(interpretWithRules(input('8', { expecting: 'time' })).entities).toEqual({ time: '20:00' });
    expect(interpretWithRules(input('8')).entities).toEqual({ partySize: 8 });
  });

  it('gives a message with nothing in it OTHER, answer=false and low confidence', () => {
    const result = interpretWithRules(input('lol'));
    expect(result).toMatchObject({ intent: 'OTHER', answer: false, entities: {} });
    expect(result.confidence).toBeLessThan(0.5);
  });
});

describe('interactive replies', () => {
  it('reads button and list ids: intents and slot values', () => {
    const reply = (id: string) => input('', { interactive: { kind: 'button_reply', id, title: 'whatever' } });
    expect(interpretWithRules(reply('cancel'))).toMatchObject({ intent: 'CANCEL', confidence: 1 });
    expect(interpretWithRules(reply('slot:2026-11-24T20:30'))).toMatchObject({
      intent: 'OTHER',
      answer: true,
      entities: { date: '2026-11-24', time: '20:30' },
    });
    expect(interpretWithRules(reply('party:6')).entities).toEqual({ partySize: 6 });
  });

  it('falls back to the title of a row whose id it does not know', () => {
    const result = interpretWithRules(
      input('', { interactive: { kind: 'list_reply', id: 'row-17', title: 'See the menu' } }),
    );
    expect(result.intent).toBe('MENU');
  });
});

describe('normalization', () => {
  it('separates the Arabic article from an English word ("الmenu")', () => {
    expect(normalize('ابي اشوف الmenu')).toBe('ابي اشوف ال menu');
  });

  it('folds Arabic-Indic digits, hamza forms and chat spellings', () => {
    expect(normalize('أحجز ٤ ppl 2moro')).toBe('احجز 4 people tomorrow');
  });
});

/** Forms a second round of Arabic dev sets (Gulf, Levantine, Egyptian, Maghrebi) found missing. */
describe('Arabic dialect cues, round 2', () => {
  it.each<[string, string]>([
    // Not coming, told with the dialect's negation, future and "can" before the verb.
    ['ما رح نقدر نجي الليلة', 'CANCEL'],
    ['للاسف ما غاديش نجيو', 'CANCEL'],
    ['صار عندنا ظرف فما بنقدر نوصل', 'CANCEL'],
    ['مافي داعي للحجز', 'CANCEL'],
    ['انسوا الحجز لو سمحتوا', 'CANCEL'],
    ['حدث الحجز لخمسة', 'MODIFY'],
    ['اخرو الموعد ساعة', 'MODIFY'],
    ['لحد كم المطبخ شغال؟', 'HOURS'],
    ['واش حالين اليوم؟', 'HOURS'],
    ['عندكم دوام الجمعة؟', 'HOURS'],
    ['الله يحفظك', 'THANKS'],
    ['يعطيك الصحة', 'THANKS'],
    ['شلونكم', 'GREETING'],
    ['بغيت نهدر مع شي واحد', 'HUMAN'],
    ['وريني المينيو', 'MENU'],
    // A place to park is no table.
    ['فيه مكان تركن فيه السيارة؟', 'OTHER'],
    ['احنا ما نقدروش نجيو غدا', 'CANCEL'],
    ['عافاك نأنولي الريزرفاسيون', 'CANCEL'],
    ['غيرلي التاريخ للسبت', 'MODIFY'],
    ['واش كتحلو فالصباح؟', 'HOURS'],
    ['مساء الفل عليكم', 'GREETING'],
    ['ابي احد يحكي معي', 'HUMAN'],
    ['قديش سعر المنسف؟', 'MENU'],
    ['ماعاد نقدر نجي', 'CANCEL'],
    ['بلاها الحجز الله يخليكم', 'CANCEL'],
    ['بطلنا نيجي خلاص', 'CANCEL'],
    ['ممكن تنقلوا حجزنا للسبت؟', 'MODIFY'],
    ['ريزرفيشن لشخصين لو سمحت', 'BOOK'],
    ['شو في بالبوفيه', 'MENU'],
    ['عاشت ايدك', 'THANKS'],
    ['كانسل لو سمحت', 'CANCEL'],
    ['سلامات', 'GREETING'],
    // Guests added to or gone from the booking held.
    ['ابي ازيد ٣ على الحجز', 'MODIFY'],
    ['نقصنا اثنين', 'MODIFY'],
    ['الغداء لحد الساعة كم؟', 'HOURS'],
    ['اوقات المطبخ؟', 'HOURS'],
    ['ابي اأخر حجز بكرة ساعة', 'MODIFY'],
    ['فيه احد يساعدني؟', 'HUMAN'],
    ['ما عدنا نحتاج الطاولة', 'CANCEL'],
    ['لن نستطيع القدوم', 'CANCEL'],
    // Round 3 (Gulf, Levantine, Egyptian, Maghrebi, MSA, Arabizi dev sets).
    // A complaint names the food without asking about the menu.
    ['طلبنا امس وكان الاكل بارد والخدمه سيئه جدا', 'OTHER'],
    // Halal is a question about the food, as in the English, Spanish and French corpus.
    ['الاكل حلال؟', 'MENU'],
    // Cancelled and booked again or moved: a change.
    ['ألغي الحجز تبع الليلة وخليه الخميس', 'MODIFY'],
    ['بدي الغي واحجز من جديد لشخصين', 'MODIFY'],
    ['في حدا من الاستقبال يحكيني؟', 'HUMAN'],
    // A word-final "ئ" typed for "ي".
    ['بدي الغئ الحجز', 'CANCEL'],
    // The menu asked first, the booking after.
    ['بدي اعرف شو في عالمنيو وبعدين بحجز', 'MENU'],
    // A booking ruled out in Arabic: what the rest asks.
    ['ما ابي احجز، بس كم سعر البوفيه؟', 'MENU'],
    // A restaurant's name holds a keyword ("Book"): the rest asks about the hours.
    ['Book & Bite مفتوحين الحين؟', 'HOURS'],
    ['الغوا حجز الجمعه واحجزوا لنا السبت بداله', 'MODIFY'],
    // A place to hang coats is no table.
    ['عندكم مكان نعلق فيه الجاكيتات؟', 'OTHER'],
  ])('"%s" is %s', (text, intent) => {
    expect(interpretWithRules(input(text)).intent).toBe(intent);
  });

  it('reads not coming on one day but on another as a change', () => {
    expect(interpretWithRules(input('مش هنقدر نيجي الخميس، ممكن نخليها الجمعة؟'))).toMatchObject({
      intent: 'MODIFY',
      entities: { date: '2026-11-27' },
    });
    expect(interpretWithRules(input('مش هنقدر نيجي الخميس')).intent).toBe('CANCEL');
  });

  it('reads a count after a bare "حجز" and an approximate bare count', () => {
    expect(interpretWithRules(input('حجز ٣ ٩:٣٠')).entities).toEqual({ partySize: 3, time: '21:30' });
    expect(interpretWithRules(input('الحجز ٩:٣٠')).entities.partySize).toBeUndefined();
    expect(bareNumber(normalize('حوالي ٧'))).toBe(7);
    expect(interpretWithRules(input('طاولة لتمن اشخاص')).entities.partySize).toBe(8);
  });

  it('reads a booking the guest has and the value wanted instead as a change', () => {
    expect(interpretWithRules(input('عندي حجز الجمعة، ابغاه السبت'))).toMatchObject({
      intent: 'MODIFY',
      entities: { date: '2026-11-28' },
    });
    expect(interpretWithRules(input('عندي حجز الجمعة، ابي اسأل عن المواقف')).intent).not.toBe('MODIFY');
  });

  it('reads a count taken back on the booking held as a change', () => {
    expect(interpretWithRules(input('الحجز مو لخمسة، لستة'))).toMatchObject({
      intent: 'MODIFY',
      entities: { partySize: 6 },
    });
    expect(interpretWithRules(input('حجزي الساعة ٨، ممكن تخلونه ٩؟')).entities).toEqual({ time: '21:00' });
  });

  it('reads an hour after a word of time and "to", never a count there', () => {
    expect(interpretWithRules(input('غير الوقت ل 8 لو سمحت')).entities).toEqual({ time: '20:00' });
    expect(interpretWithRules(input('نبدل الساعة ديال الحجز لـ ٩')).entities).toEqual({ time: '21:00' });
    expect(interpretWithRules(input('الموعد بكرة ل ٤ اشخاص')).entities).toEqual({
      date: '2026-11-24',
      partySize: 4,
    });
  });

  it('ends an Arabic name at a word asking to cancel or change the booking', () => {
    expect(interpretWithRules(input('الحجز باسم سامي الغوه')).entities.guestName).toBe('سامي');
    expect(interpretWithRules(input('الحجز باسم ليلى نخليه لخمسة')).entities).toMatchObject({
      guestName: 'ليلى',
      partySize: 5,
    });
  });

  it('folds WhatsApp elongation of an Arabic letter', () => {
    expect(normalize('مشكوووور')).toBe(normalize('مشكور'));
    expect(interpretWithRules(input('شكرااااا')).intent).toBe('THANKS');
  });
});

/** Forms a third round of Arabic dev sets (Gulf, Levantine and Egyptian, Maghrebi, MSA, Arabizi) found missing. */
describe('Arabic, round 3', () => {
  it('reads counts said with "ع", after an ordinal hour, and the count a change makes', () => {
    expect(findPartySize(normalize('طاولة الأربعا الجاي عشخصين')).partySize).toBe(2);
    expect(interpretWithRules(input('اريد حجز يوم ٢٠ الشهر الساعة السابعة والنصف لأربعة')).entities).toEqual({
      date: '2026-12-20',
      time: '19:30',
      partySize: 4,
    });
    expect(findPartySize(normalize('ابغى اغير العدد من ٤ الى ٧')).partySize).toBe(7);
    expect(findPartySize(normalize('الحجز الساعة ٩، نبي نقدمه لـ ٨')).partySize).toBeUndefined();
    expect(findPartySize(normalize('الموعد بكرة، خليه لاربعة اشخاص')).partySize).toBe(4);
    expect(findPartySize(normalize('3ayez a7gez l 5 ba3d bukra')).partySize).toBe(5);
  });

  it('takes a name in Latin letters or Arabizi after an Arabic or Arabizi cue', () => {
    expect(interpretWithRules(input('بدي احجز عاسم Rami لأربعة الجمعة')).entities.guestName).toBe('Rami');
    expect(interpretWithRules(input('baddi e7jez 3la esm omar bukra')).entities.guestName).toBe('Omar');
    expect(interpretWithRules(input('ممكن تحطوا الحجز عاسمي؟ اسمي Lina Haddad')).entities.guestName).toBe(
      'Lina Haddad',
    );
    expect(interpretWithRules(input('الحجز باسمي لكن اختي بتجي')).entities.guestName).toBeUndefined();
  });

  it('reads Iraqi "ميز" (table) and "باچر" (tomorrow)', () => {
    expect(interpretWithRules(input('اريد احجز ميز لخمس اشخاص باچر الساعه ثمانيه بالليل'))).toMatchObject({
      intent: 'BOOK',
      entities: { partySize: 5, date: '2026-11-24', time: '20:00' },
    });
    expect(interpretWithRules(input('عندكم طبق مميز؟')).intent).not.toBe('BOOK');
  });

  it('keeps a question asked beside a booking held a question, not a value wanted instead', () => {
    expect(interpretWithRules(input('عندي حجز الليلة، بس بدي اعرف فيه باركينغ؟')).intent).not.toBe('MODIFY');
    expect(interpretWithRules(input('عندي حجز السبت، بس ودي الاحد')).intent).toBe('MODIFY');
  });
});

describe('Arabic, round 4', () => {
  it('reads a booking the guest holds beside a service request or question as that, not a booking', () => {
    expect(interpretWithRules(input('عندي حجز الخميس، تقدرون تجهزون كيكة عيد ميلاد؟'))).toMatchObject({
      intent: 'OTHER',
      entities: { date: '2026-11-26' },
      answer: false,
    });
    expect(interpretWithRules(input('حجزنا بكرة، في موقف سيارات قريب؟')).intent).toBe('OTHER');
    expect(interpretWithRules(input('حاجزين عندكم الجمعة، شو في منيو للأطفال؟')).intent).toBe('MENU');
    expect(interpretWithRules(input('عندنا حجز الساعة ٩، لحد كم تفتحون؟')).intent).toBe('HOURS');
  });

  it('reads a booking held and a seat, an arrival or a new value asked for as a change', () => {
    expect(interpretWithRules(input('حجزي بكرا، بس ممكن نيجي الساعة عشرة؟')).intent).toBe('MODIFY');
    expect(interpretWithRules(input('ممكن الطاولة تكون بعيدة عن المكيف؟ حجزنا باسم فهد')).intent).toBe(
      'MODIFY',
    );
    expect(interpretWithRules(input('عندي reservation الساعة ٨، can we make it 8:30?')).intent).toBe(
      'MODIFY',
    );
    expect(interpretWithRules(input('عندي حجز الخميس وبدي احجز كمان واحد للجمعة')).intent).toBe('BOOK');
  });

  it('reads an hour offered instead of one the guest cannot keep as the change', () => {
    expect(interpretWithRules(input('ما نقدر نجي الساعة ٨، نقدر نجي ٩؟'))).toMatchObject({
      intent: 'MODIFY',
      entities: { time: '21:00' },
    });
    expect(interpretWithRules(input('ماعاد نقدر نجي بكرة')).intent).toBe('CANCEL');
  });

  it('reads thanks for a booking as thanks, the name a booking is changed to, and two people added as no count', () => {
    expect(interpretWithRules(input('مساء النور، شكرا على الحجز')).intent).toBe('THANKS');
    expect(interpretWithRules(input('شكرا على الحجز، بس ممكن نغير الساعة؟')).intent).toBe('MODIFY');
    expect(interpretWithRules(input('بدي غير الاسم عالحجز لاسم رامي'))).toMatchObject({
      intent: 'MODIFY',
      entities: { guestName: 'رامي' },
    });
    expect(interpretWithRules(input('الحجز باسم اخوي، ممكن تغيرونه لاسمي انا منى؟')).entities.guestName).toBe(
      'منى',
    );
    const added = interpretWithRules(input('أود إضافة شخصين إلى حجزي'));
    expect(added.intent).toBe('MODIFY');
    expect(added.entities).toEqual({});
  });

  it('counts "لي ولزوجتي" (for me and my wife) two, as "انا وزوجتي", unless others follow', () => {
    expect(findPartySize(normalize('حاب احجز لي ولزوجتي يوم الجمعة')).partySize).toBe(2);
    expect(findPartySize(normalize('ابي احجز لي ولخويي بكره العصر')).partySize).toBe(2);
    expect(findPartySize(normalize('طاوله لي ولزوجتي وعيالنا بكره')).partySize).toBeUndefined();
  });

  it('reads home dishes asked for by name as a menu question, and Arabizi changes', () => {
    expect(interpretWithRules(input('عندكم مقلوبة ولا منسف؟')).intent).toBe('MENU');
    expect(interpretWithRules(input('واش عندكم الكسكس نهار الجمعة؟')).intent).toBe('MENU');
    expect(normalize('mmkn n2a5er el 7ajez la se3a 10?')).toBe('ممكن ناخر الحجز ل الساعه 10?');
    expect(interpretWithRules(input('salam, bghit nbeddel l7ajz l sebt'))).toMatchObject({
      intent: 'MODIFY',
      entities: { date: '2026-11-28' },
    });
  });

  it('reads a seat asked for or guests added to a booking held as a change, Iraqi "گ" as "ق"', () => {
    expect(interpretWithRules(input('الطاولة اللي حجزتها، ممكن تكون على التراس؟')).intent).toBe('MODIFY');
    expect(interpretWithRules(input('عندي حجز بكرة وبدي ضيف عليه شخصين'))).toMatchObject({
      intent: 'MODIFY',
      entities: { date: '2026-11-24' },
    });
    expect(interpretWithRules(input('عندي حجز بكرة وبدي ضيف عليه شخصين')).entities.partySize).toBeUndefined();
    expect(normalize('تگدرون')).toBe(normalize('تقدرون'));
    expect(interpretWithRules(input('hello, bghit n7jez tabla l 3 ghedda')).entities).toEqual({
      partySize: 3,
      date: '2026-11-24',
    });
  });

  it('reads thanks for a visit praised as thanks, and an allergy told with "is that ok?" as no menu question', () => {
    expect(interpretWithRules(input('مشكورين على الاستقبال امس، الاكل كان روعة')).intent).toBe('THANKS');
    expect(interpretWithRules(input('ابني عندو حساسية من الجلوتين، عادي؟')).intent).toBe('OTHER');
    expect(interpretWithRules(input('بنتي عندها حساسية بيض، في شي يناسبها؟')).intent).toBe('MENU');
  });

  it('reads a dish asked about beside a booking word as a menu question, and "فاتح" as hours', () => {
    expect(interpretWithRules(input('عندكم مشاوي مشكلة؟ نبي نطلب للطاولة'))).toMatchObject({
      intent: 'MENU',
      entities: { menuCategory: 'grills' },
    });
    expect(interpretWithRules(input('ممكن تكتبون عيد ميلاد سعيد على الحلى؟ حجزنا اليوم')).intent).toBe(
      'OTHER',
    );
    expect(interpretWithRules(input('صباح الورد، المطعم فاتح وقت الغدا؟')).intent).toBe('HOURS');
    expect(interpretWithRules(input('كاين شي حريرة ولا غير الطواجن؟')).intent).toBe('MENU');
  });

  it('reads one guest dropping out as a change, an hour offered with "ينفع" as the change, a greeting beside a question as none', () => {
    expect(interpretWithRules(input('واحد من الشباب اعتذر، شيلوا كرسي من الطاولة')).intent).toBe('MODIFY');
    expect(interpretWithRules(input('الجماعة اعتذروا فالغوا الطاولة')).intent).toBe('CANCEL');
    expect(interpretWithRules(input('ما حنقدر نيجي ٧، ينفع ٨؟'))).toMatchObject({
      intent: 'MODIFY',
      entities: { time: '20:00' },
    });
    expect(interpretWithRules(input('مرحبا، عندكم high chair للبيبي؟')).intent).toBe('OTHER');
    expect(interpretWithRules(input('مرحبا، كيفكم؟')).intent).toBe('GREETING');
  });

  it('reads thanks for a confirmation received as thanks, and the name a booking is changed to after "الى"', () => {
    expect(interpretWithRules(input('تسلمون، وصلنا تأكيد الحجز')).intent).toBe('THANKS');
    expect(interpretWithRules(input('ابي اغير اسم الحجز الى نورة')).entities.guestName).toBe('نورة');
    expect(interpretWithRules(input('عندكم فتة؟')).intent).toBe('MENU');
  });
});

describe('Arabic, round 5', () => {
  const today = localParts(NOW, 'Asia/Dubai');
  it('reads an hour told roughly beside a day or a verb of coming, or with "ع"; alone a rough number stays a count', () => {
    expect(arabicWhen(normalize('الخميس تقريبا ٨'), today)).toMatchObject({
      date: '2026-11-26',
      time: '20:00',
    });
    expect(arabicWhen(normalize('بنجي حوالي ٦'), today).time).toBe('18:00');
    expect(arabicWhen(normalize('بكرا المسا عالتمانة'), today).time).toBe('20:00');
    expect(arabicWhen(normalize('نجي ع ٩'), today).time).toBe('21:00');
    expect(arabicWhen(normalize('احجزولي بكرة على ٩'), today).time).toBeUndefined();
    expect(arabicWhen(normalize('تقريبا ٦'), today).time).toBeUndefined();
    expect(interpretWithRules(input('حوالي ٦', { expecting: 'party_size' })).entities).toEqual({
      partySize: 6,
    });
  });

  it('reads "نفس اليوم" (the same day) as no new day: the booking held keeps its own', () => {
    expect(arabicWhen(normalize('نفس اليوم بس الساعة ٩'), today)).toEqual(
      expect.not.objectContaining({ date: expect.anything() }),
    );
    expect(arabicWhen(normalize('عندي حجز بكرة، نخليه نفس اليوم بس الساعة ١٠'), today)).toMatchObject({
      date: '2026-11-24',
      time: '22:00',
    });
  });

  it('reads the bare hour kept where another is taken back as the time', () => {
    expect(interpretWithRules(input('لا قصدي ٩ مش ٨'))).toMatchObject({
      intent: 'MODIFY',
      entities: { time: '21:00' },
    });
    expect(arabicWhen(normalize('يعني بدل ٩ نخليه ٨'), today).time).toBe('20:00');
    expect(interpretWithRules(input('احنا ٥ مو ٤')).entities).toEqual({ partySize: 5 });
  });

  it('drops a relation before a name and a blessing after it; whose the booking is alone is an answer', () => {
    expect(interpretWithRules(input('الحجز باسم زوجي حسن', { expecting: 'name' }))).toMatchObject({
      intent: 'OTHER',
      entities: { guestName: 'حسن' },
      answer: true,
    });
    expect(interpretWithRules(input('سجلوه باسم اخوي فهد')).entities.guestName).toBe('فهد');
    expect(interpretWithRules(input('الغوا حجز الساعة ٨ باسم منى الله يعافيكم')).entities.guestName).toBe(
      'منى',
    );
    expect(interpretWithRules(input('باسم عبد الله', { expecting: 'name' })).entities.guestName).toBe(
      'عبد الله',
    );
    expect(interpretWithRules(input('احجز باسم حسن')).intent).toBe('BOOK');
  });

  it('reads a menu question asked without a question mark beside a booking as the question', () => {
    expect(interpretWithRules(input('بدي احجز بس ما بعرف اذا عندكم اكل نباتي')).intent).toBe('MENU');
  });
});

describe('Arabic, round 5: counts, a negation joined to "و", praise of the welcome', () => {
  it('counts adults and children in words after "ل", the relatives named after "لي و…", a count moved "من ٤ الى ٦"', () => {
    expect(findPartySize(normalize('بدنا طاولة لتلاتة كبار وولدين')).partySize).toBe(5);
    expect(findPartySize(normalize('بدي احجز لي ولمرتي وبنتي السبت')).partySize).toBe(3);
    expect(findPartySize(normalize('انا وزوجتي')).partySize).toBe(2);
    expect(findPartySize(normalize('نبي نزيد العدد من ٤ الى ٦')).partySize).toBe(6);
  });

  it('reads "وما رح نقدر نجي" as not coming, so no hour offered instead', () => {
    expect(interpretWithRules(input('كنت حاجز بكرا وما رح نقدر نجي فبدي الغي')).intent).toBe('CANCEL');
  });

  it('reads thanks for a welcome praised as thanks, not a call for the reception', () => {
    expect(interpretWithRules(input('يعطيكم العافية على الاستقبال الحلو')).intent).toBe('THANKS');
  });
});

describe('Arabic, round 5: a count made, a booking not wanted, an arrival offered, an hour wondered about', () => {
  it('reads "للعدد ٥" as the count, "نخليهم خمسة" as the count that replaces the booking\'s, "نزيد ٢" as none', () => {
    expect(findPartySize(normalize('ابي احجز يوم 27 الساعة 9 للعدد 5')).partySize).toBe(5);
    expect(findPartySize(normalize('حجزت للسبت لاربعة شخاص ممكن نخليهم خمسة'))).toMatchObject({
      partySize: 5,
      corrected: true,
    });
    expect(findPartySize(normalize('نزيد ٢')).partySize).toBeUndefined();
  });

  it('reads the booking "ما نبيه" (we do not want it) as a cancellation', () => {
    expect(interpretWithRules(input('الحجز تبع بكرة باسم ابو سعود ما نبيه')).intent).toBe('CANCEL');
  });

  it('reads an arrival at another hour ("منوصل الساعة ١٠") beside not making it on time as a change', () => {
    expect(
      interpretWithRules(
        input('احنا ما رح نقدر نوصل على الموعد بس بدنا نضل محافظين على الطاولة، منوصل الساعة ١٠'),
      ),
    ).toMatchObject({ intent: 'MODIFY', entities: { time: '22:00' } });
  });

  it('reads "ما بعرف لاي ساعة بتضلو فاتحين" beside a booking as the hours asked', () => {
    expect(
      interpretWithRules(input('مرحبا كنت بدي احجز لبكرا بس ما بعرف لاي ساعة بتضلو فاتحين')).intent,
    ).toBe('HOURS');
  });
});

describe('Arabic, round 5: a count taken back at once, a complaint of no answer, Maghrebi Arabizi, a question after "و"', () => {
  const today = localParts(NOW, 'Asia/Dubai');
  it('keeps the count said after "لا لا خليها" and no hour from it', () => {
    expect(
      interpretWithRules(input('بدي احجز طاولة بكرا الساعة ٩ لاربعة، لا لا خليها خمسة')).entities,
    ).toEqual({
      partySize: 5,
      date: '2026-11-24',
      time: '21:00',
    });
  });

  it('reads "بدل ٨ تصير ٩" (instead of 8 it becomes 9) as the hour 21:00', () => {
    expect(arabicWhen(normalize('نأخر الحجز ساعة؟ بدل ٨ تصير ٩'), today).time).toBe('21:00');
  });

  it('reads no one answering as a person wanted, Maghrebi Arabizi "lyouma m3a 9" as today at 21:00', () => {
    expect(interpretWithRules(input('ليش ما حد يرد علي؟؟ صارلي ساعة ناطر')).intent).toBe('HUMAN');
    expect(interpretWithRules(input('bghit nreservi tabla l 4 nas lyouma m3a 9')).entities).toEqual({
      partySize: 4,
      date: '2026-11-23',
      time: '21:00',
    });
  });

  it('reads a menu question opened by "و" after a formed booking as the question', () => {
    expect(interpretWithRules(input('ابغى احجز لخمسة بكرة الساعة ٨ وعندكم منيو اطفال؟')).intent).toBe('MENU');
    expect(interpretWithRules(input('مرحبا، عندكم واي فاي ومواقف؟ وبدي احجز لاربعة بكرا')).intent).toBe(
      'BOOK',
    );
  });
});

describe('Arabic, round 5: "على ٩" left unread, the hour or count meant, children after the family', () => {
  const today = localParts(NOW, 'Asia/Dubai');
  it('reads "مش ٨، قصدي ٩" and "٨ بدل ٧" as the hour meant; beside people, "٥ مش ٤" is a count', () => {
    expect(arabicWhen(normalize('مش ٨، قصدي ٩'), today).time).toBe('21:00');
    expect(arabicWhen(normalize('can we make it ٨ بدل ٧؟'), today).time).toBe('20:00');
    expect(interpretWithRules(input('نسيت اقول، بيكون معانا طفل، يعني ٥ مش ٤'))).toMatchObject({
      intent: 'MODIFY',
      entities: { partySize: 5 },
    });
  });

  it('counts the children named after the guest and a relative', () => {
    expect(findPartySize(normalize('انا وزوجتي و٢ عيال')).partySize).toBe(4);
    expect(findPartySize(normalize('ابي احجز طاوله لي ولزوجتي وعيالنا الثلاثه بكره')).partySize).toBe(5);
    expect(findPartySize(normalize('لي ولزوجتي بكرة لاربعة')).partySize).toBe(4);
  });
});

describe('Arabic, round 5: a question after "بس", "اخليه ٩" on a booking held, a relative\'s spouse', () => {
  it('reads a question of hours after "بس" beside a booking as the question; a facility question stays the booking', () => {
    expect(interpretWithRules(input('حابين نحجز الخميس بس وش اخر وقت تستقبلون فيه؟')).intent).toBe('HOURS');
    expect(interpretWithRules(input('ابي احجز بس قبل كذا فيه مواقف؟')).intent).toBe('BOOK');
  });

  it('reads "عندي حجز … ممكن اخليه ٩" as a change to 21:00', () => {
    expect(interpretWithRules(input('عندي حجز الليلة الساعة ٨ ممكن اخليه ٩'))).toMatchObject({
      intent: 'MODIFY',
      entities: { date: '2026-11-23', time: '21:00' },
    });
  });

  it("counts a relative's spouse named after them", () => {
    expect(findPartySize(normalize('ابا احجز طاوله بكره العصر لي ولاخوي وزوجته')).partySize).toBe(3);
  });
});

describe('Arabic: what "مو"/"مش"/"بدل" replace', () => {
  const today = localParts(NOW, 'Asia/Dubai');
  it('reads a day or an hour replaced as a correction ("بدل الجمعة", "مو السابعة", "بدال الساعة تسعة")', () => {
    for (const text of ['نخليها السبت بدل الجمعة', 'الساعة الثامنة مو السابعة', 'بكرة ٨ بدال الساعة تسعة'])
      expect(arabicWhen(normalize(text), today).corrected, text).toBe(true);
  });

  it('reads a new booking beside a cancellation ruled out ("مش الغاء، حجز جديد") as a booking, no change', () => {
    expect(arabicWhen(normalize('مش الغاء، بدي احجز حجز جديد يوم الخميس'), today).corrected).toBeUndefined();
    expect(interpretWithRules(input('مش الغاء، بدي احجز حجز جديد يوم الخميس'))).toMatchObject({
      intent: 'BOOK',
      entities: { date: '2026-11-26' },
    });
  });
});

describe('Arabic, round 6', () => {
  const today = localParts(NOW, 'Asia/Dubai');
  it('reads "مش قبل ٩" as the hour to book, and two hours the guest is unsure between as none', () => {
    expect(arabicWhen(normalize('بدي طاولة لاربعة السبت بس مش قبل ٩'), today)).toMatchObject({
      date: '2026-11-28',
      time: '21:00',
    });
    expect(arabicWhen(normalize('حجزت عندكم الساعة ٧ ولا ٨ مش متذكر'), today).time).toBeUndefined();
    expect(arabicWhen(normalize('بنكون ٤ ولا ٥ اشخاص بكرة الساعة ٨'), today).time).toBe('20:00');
  });

  it('reads a count told roughly after the guest says they are unsure of it, a Gulf "حق ٤", a Sudanese "زول واحد"', () => {
    expect(findPartySize(normalize('ابغى احجز بس ما اعرف العدد بالضبط، تقريبا ٨')).partySize).toBe(8);
    expect(findPartySize(normalize('ما ندري كم بنكون بالضبط، يمكن ١٠')).partySize).toBe(10);
    expect(findPartySize(normalize('ابي طاولة حق ٤ باجر')).partySize).toBe(4);
    expect(findPartySize(normalize('زول واحد بس الليلة')).partySize).toBe(1);
    expect(arabicWhen(normalize('ابي احجز الخميس تقريبا ٨'), today).time).toBe('20:00');
  });

  it('reads "الحجز باسم اخوي" as whose the booking is, with no name', () => {
    expect(interpretWithRules(input('الحجز باسم اخوي'))).toMatchObject({ intent: 'OTHER', entities: {} });
    expect(interpretWithRules(input('سجلوه باسم اخوي فهد')).entities.guestName).toBe('فهد');
  });

  it('reads coming earlier as a change, a booking confirmed as no new one, the seafood with its article', () => {
    expect(interpretWithRules(input('ينفع نيجي بدري ساعة؟')).intent).toBe('MODIFY');
    expect(interpretWithRules(input('تمام اكدوا الحجز الله يعافيكم')).intent).toBe('OTHER');
    expect(interpretWithRules(input('ابي احجز لاربعة بكرة واكدوا الحجز')).intent).toBe('BOOK');
    expect(interpretWithRules(input('ايش عندكم من الاكل البحري؟')).entities.menuCategory).toBe('seafood');
  });

  it('reads "count day hour" with no verb as a booking, a bare hour after the day once the count is told, "لنا ٤" after a booking verb', () => {
    expect(interpretWithRules(input('ثلاثة بكرة ٩'))).toMatchObject({
      intent: 'BOOK',
      entities: { partySize: 3, date: '2026-11-24', time: '21:00' },
    });
    expect(interpretWithRules(input('نحجز لي ولزوجتي الخميس ٨')).entities).toEqual({
      partySize: 2,
      date: '2026-11-26',
      time: '20:00',
    });
    expect(interpretWithRules(input('بكرة ٩')).entities.time).toBeUndefined();
    expect(findPartySize(normalize('احجزوا لنا ٤ الخميس')).partySize).toBe(4);
  });

  it('reads thanks beside a booking found fine as thanks, a Libyan question of the hours as one', () => {
    expect(interpretWithRules(input('يسلمو، الحجز تمام')).intent).toBe('THANKS');
    expect(interpretWithRules(input('شن الاوقات متاعكم؟')).intent).toBe('HOURS');
    expect(interpretWithRules(input('شو الاوقات المتاحة بكرة؟')).intent).not.toBe('HOURS');
  });

  it('reads the number after "we want to come" as who comes, a rough one still an hour; "تم الحجز؟" a booking checked', () => {
    expect(findPartySize(normalize('نبي نجي اربعه الخميس الجاي')).partySize).toBe(4);
    expect(findPartySize(normalize('عاوزين نيجي ٤ يوم الجمعه الساعه ١٠ بالليل')).partySize).toBe(4);
    expect(findPartySize(normalize('نبي نجي حوالي ٦ بكرة')).partySize).toBeUndefined();
    expect(interpretWithRules(input('تم الحجز؟')).intent).toBe('OTHER');
  });

  it('reads "لطاولة ٣", "لليلة", "٧ المغرب", a count changed "في حجزي إلى ثمانية", "شو في حلو", a confirmation message received', () => {
    expect(findPartySize(normalize('فيه مجال لطاولة ٣ الليلة؟')).partySize).toBe(3);
    expect(findPartySize(normalize('تعديل عدد الأشخاص في حجزي إلى ثمانية')).partySize).toBe(8);
    expect(arabicWhen(normalize('ارجو الغاء حجزي لليله'), today).date).toBe('2026-11-23');
    expect(arabicWhen(normalize('٧ المغرب'), today).time).toBe('19:00');
    expect(interpretWithRules(input('شو في حلو عندكم؟')).entities.menuCategory).toBe('desserts');
    expect(interpretWithRules(input('الاكل عندكم حلو')).entities.menuCategory).toBeUndefined();
    expect(interpretWithRules(input('وصلت رسالة تأكيد الحجز، شكرا جزيلا')).intent).toBe('THANKS');
  });

  it('reads a change ruled out, a count word typed with "ت", someone who can help, a booking moved with "تحويل"', () => {
    expect(interpretWithRules(input('لا ما نبي نغير شي، كل شي تمام شكرا')).intent).toBe('THANKS');
    expect(interpretWithRules(input('ما ابي اغير شي بس ابي ازيد شخص')).intent).toBe('MODIFY');
    expect(findPartySize(normalize('عاوز احجز لستت اشخاص بكرة')).partySize).toBe(6);
    expect(findPartySize(normalize('خمست اشخاص')).partySize).toBe(5);
    expect(interpretWithRules(input('في احد ممكن يساعدني؟')).intent).toBe('HUMAN');
    expect(interpretWithRules(input('هل بالامكان تحويل الحجز ليوم الاحد؟')).intent).toBe('MODIFY');
  });

  it('reads two counts the guest is unsure between as none, Sudanese "زولين", Arabizi "bade el8i", "مين يرد" a person', () => {
    expect(findPartySize(normalize('ابي احجز بس مدري كم بنكون، يمكن ٦ او ٧')).partySize).toBeUndefined();
    expect(interpretWithRules(input('زولين بس، الليلة ٩')).entities).toEqual({
      partySize: 2,
      date: '2026-11-23',
      time: '21:00',
    });
    expect(interpretWithRules(input('bade el8i el 7ajez taba3 bokra')).intent).toBe('CANCEL');
    expect(interpretWithRules(input('مين يرد؟')).intent).toBe('HUMAN');
  });

  it('reads thanks for the welcome as thanks, not a call for the reception; Arabizi "l etnen" a count', () => {
    expect(interpretWithRules(input('مشكورين على الاستقبال')).intent).toBe('THANKS');
    expect(interpretWithRules(input('مشكورين، ابي اكلم الاستقبال')).intent).toBe('HUMAN');
    expect(interpretWithRules(input('3ayez a7gez l etnen el leila')).entities).toEqual({
      partySize: 2,
      date: '2026-11-23',
    });
  });

  it('reads an hour told roughly after the guest says they are unsure of it, and "صرنا" a count that replaces the one before', () => {
    expect(arabicWhen(normalize('ودي احجز بس مدري وش الوقت المناسب، يمكن ٨'), today).time).toBe('20:00');
    expect(arabicWhen(normalize('تقريبا ٦'), today).time).toBeUndefined();
    expect(findPartySize(normalize('الحجز كان لستة، صرنا اربعة بس')).partySize).toBe(4);
  });

  it('reads "count day الساعة hour" as a booking, two hours with a half between unsure, Arabizi "bt2felo" the hours', () => {
    expect(interpretWithRules(input('اربعه بكره الساعه ٨'))).toMatchObject({
      intent: 'BOOK',
      entities: { partySize: 4, date: '2026-11-24', time: '20:00' },
    });
    expect(arabicWhen(normalize('الساعة ٨ ونص ولا ٩ مو متأكد'), today).time).toBeUndefined();
    expect(interpretWithRules(input('kam el sa3a bt2felo el leila?')).intent).toBe('HOURS');
  });
});
