import { bookingReference } from '@reserveit/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { button, printOutputOnFailure, type SystemUnderTest, systemUnderTest } from './system-under-test.js';

/**
 * Issue 17's dialogue dead ends and the small things a guest notices, through all five services
 * with the rules intent and the seeded demo restaurant (deploy/local/seed.json: 10 people online at
 * most, closed between lunch and dinner, display number 15550001111). The pure dialogue tests
 * (services/conversation/test/dialogue-dead-ends.test.ts) cover the same in more detail.
 */

let sut: SystemUnderTest;
beforeAll(async () => {
  sut = await systemUnderTest();
}, 120_000);
afterAll(async () => {
  await sut?.stop();
});
printOutputOnFailure(() => sut);

const REFERENCE = /[3479ACDEFHJKMNPRTUVWXY]{6}/;

const languages = [
  {
    language: 'en',
    welcome:
      'Welcome to Al Fanar Demo Kitchen! I can book, change or cancel a table, or show you the menu and our hours.',
    closedTime: 'table for 2 tomorrow at 4:30pm',
    closed: /^Sorry, we are not open for bookings on .* at 16:30\.\n/,
    askName: 'Under which name should I book it?',
    bookTomorrow: 'book a table tomorrow',
    threePeople: '3 people',
    three: /^Good news: there is a table for 3 guests on .* at 20:00\.\nUnder which name/,
    largeParty: 'a table for 12 tomorrow at 8pm',
    askPartySize: 'For how many people?',
    team: 'Talk to our team',
    handoff: 'A member of our team will reply to you here shortly.',
    book: 'Book a table for 2 tomorrow at 7pm, my name is Alex',
    confirm: 'Confirm',
    booked: /^You're booked: .* Reference ([3479ACDEFHJKMNPRTUVWXY]{6})\. See you then!$/,
    moveClosed: 'can you move my booking to 4:30pm',
    closedChange: /^Sorry, we are closed then\.\nThese are the nearest free times:$/,
    move: 'can you move my booking to 9pm',
    changeQuestion: /^Change your table for 2 guests on .* at 19:00 to 2 guests on .* at 21:00\?$/,
    changeButtons: ['Yes, change it', 'Keep it'],
    changed: /^Done: your table for 2 guests is now on .* at 21:00\.$/,
    menu: 'menu',
  },
  {
    language: 'ar',
    welcome:
      'أهلاً بكم في مطبخ الفنار التجريبي! يمكنني حجز طاولة أو تعديل الحجز أو إلغاؤه، أو عرض القائمة ومواعيد العمل.',
    closedTime: 'بدي احجز طاولة لشخصين بكرة الساعة ٤:٣٠ العصر',
    closed: /^عذرًا، لا نستقبل حجوزات يوم .* الساعة 16:30\.\n/,
    askName: 'باسم من أسجل الحجز؟',
    bookTomorrow: 'بدي احجز طاولة بكرة',
    threePeople: '٣ أشخاص',
    three: /^خبر سار: تتوفر طاولة لعدد 3 أشخاص يوم .* الساعة 20:00\.\nباسم من أسجل الحجز؟/,
    largeParty: 'بدي احجز طاولة لـ 12 شخص بكرة الساعة ٨ مساء',
    askPartySize: 'لكم شخص؟',
    team: 'التحدث مع فريقنا',
    handoff: 'سيرد عليك أحد أفراد فريقنا هنا قريبًا.',
    book: 'احجز طاولة لشخصين بكرة الساعة ٧ مساء باسم علي',
    confirm: 'تأكيد',
    booked: /^تم الحجز: طاولة لشخصين .* رقم الحجز ([3479ACDEFHJKMNPRTUVWXY]{6})\. بانتظارك!$/,
    moveClosed: 'ممكن أغير الحجز للساعة ٤:٣٠ العصر',
    closedChange: /^عذرًا، نحن مغلقون في هذا الوقت\.\nهذه أقرب الأوقات المتاحة:$/,
    move: 'ممكن أغير الحجز للساعة ٩ مساء',
    changeQuestion: /^هل تود تغيير حجزك \(شخصين يوم .* الساعة 19:00\) إلى شخصين يوم .* الساعة 21:00؟$/,
    changeButtons: ['نعم، عدّل الحجز', 'أبقِ الحجز'],
    changed: /^تم: طاولتك لشخصين أصبحت يوم .* الساعة 21:00\.$/,
    menu: 'المنيو',
  },
];

describe.each(languages)('the dialogue without dead ends, in $language, through all five services', (l) => {
  const guest = (n: number) => ({
    waId: `97150000${l.language === 'en' ? 4 : 5}${String(n).padStart(2, '0')}`,
    name: 'Sam',
  });

  it('says a closed time at once, in the same message as the welcome, before asking for a name', async () => {
    const { whatsapp } = sut;
    const replies = await whatsapp.answerTo(await whatsapp.text(guest(1), l.closedTime));
    expect(replies).toHaveLength(1);
    const [welcome, ...answer] = (replies[0]?.text ?? '').split('\n');
    expect(welcome).toBe(l.welcome);
    expect(answer.join('\n')).toMatch(l.closed);
    expect(replies[0]?.text).not.toContain(l.askName);
  });

  it('acknowledges a bare party size in its answer', async () => {
    const { whatsapp } = sut;
    const g = guest(2);
    await whatsapp.answerTo(await whatsapp.text(g, l.bookTomorrow));
    await whatsapp.answerTo(await whatsapp.text(g, l.language === 'en' ? '8pm' : 'الساعة ٨ مساء'));
    const replies = await whatsapp.answerTo(await whatsapp.text(g, l.threePeople));
    expect(replies.map((r) => r.text)).toEqual([expect.stringMatching(l.three)]);
  });

  it('offers the team and the phone to a party above the online maximum, and hands the guest over on a tap', async () => {
    const { whatsapp } = sut;
    const g = guest(3);
    const offer = await whatsapp.answerTo(await whatsapp.text(g, l.largeParty));
    expect(offer).toHaveLength(1);
    expect(offer[0]?.text).toContain('+15550001111');
    expect(offer[0]?.text).not.toContain(l.askPartySize);
    expect(offer[0]?.buttons.map((b) => b.title)).toEqual([l.team]);
    const handoff = await whatsapp.answerTo(await whatsapp.tap(g, button(offer[0], l.team), offer[0]));
    expect(handoff.map((r) => r.text)).toEqual([l.handoff]);
  });

  it('quotes a six-character reference, and changes a booking only once the guest confirmed the change, across a restart', async () => {
    const { whatsapp } = sut;
    const g = guest(4);
    const summary = await whatsapp.answerTo(await whatsapp.text(g, l.book));
    const booked = await whatsapp.answerTo(await whatsapp.tap(g, button(summary[0], l.confirm), summary[0]));
    const quoted = l.booked.exec(booked[0]?.text ?? '')?.[1];
    const [reservation] = await sut.reservations.list({ guestWaId: g.waId });
    expect(quoted).toMatch(REFERENCE);
    expect(quoted).toBe(bookingReference(reservation?.id ?? ''));

    // A closed new time is said at once, with the nearest free times, not after a confirmation.
    const closed = await whatsapp.answerTo(await whatsapp.text(g, l.moveClosed));
    expect(closed.map((r) => r.text)).toEqual([expect.stringMatching(l.closedChange)]);
    expect(closed[0]?.buttons.length).toBeGreaterThan(0);

    const question = await whatsapp.answerTo(await whatsapp.text(g, l.move));
    expect(question.map((r) => r.text)).toEqual([expect.stringMatching(l.changeQuestion)]);
    expect(question[0]?.buttons.map((b) => b.title)).toEqual(l.changeButtons);
    // Nothing is changed until the guest says yes, and the question outlives the process asking it.
    expect(await sut.reservations.list({ guestWaId: g.waId })).toMatchObject([{ time: '19:00' }]);
    await sut.system.kill('conversation');
    await sut.system.restart('conversation');

    const done = await whatsapp.answerTo(
      await whatsapp.tap(g, button(question[0], l.changeButtons[0] ?? ''), question[0]),
    );
    expect(done.map((r) => r.text)).toEqual([expect.stringMatching(l.changed)]);
    await expect
      .poll(async () => (await sut.reservations.list({ guestWaId: g.waId })).map((r) => r.time))
      .toEqual(['21:00']);
  });

  it("lists the menu's sections in the restaurant's order, with their dishes", async () => {
    const { whatsapp } = sut;
    const replies = await whatsapp.answerTo(await whatsapp.text(guest(5), l.menu));
    expect(replies).toHaveLength(1);
    expect(replies[0]?.text.startsWith(`${l.welcome}\n`)).toBe(true);
    expect(replies[0]?.rows.map((row) => [row.title, row.description])).toEqual([
      ['Starters', 'Hummus, Fattoush'],
      ['Mains', 'Lamb Ouzi, Grilled Hammour, Falafel Plate'],
      // Kunafa is in the seed but not available: it is not offered.
      ['Desserts', 'Umm Ali'],
      ['Drinks', 'Karak Chai, Lemon Mint'],
    ]);
  });
});

describe('a booking reference quoted by a guest with several bookings', () => {
  it('picks the booking it names, today’s six characters as well as in lower case', async () => {
    const { whatsapp } = sut;
    const g = { waId: '971500000601', name: 'Lina' };
    const references: string[] = [];
    for (const time of ['7pm', '9pm']) {
      const summary = await whatsapp.answerTo(
        await whatsapp.text(g, `Book a table for 2 tomorrow at ${time}, my name is Lina`),
      );
      const booked = await whatsapp.answerTo(
        await whatsapp.tap(g, button(summary.at(-1), 'Confirm'), summary.at(-1)),
      );
      references.push(/Reference ([3479ACDEFHJKMNPRTUVWXY]{6})\./.exec(booked[0]?.text ?? '')?.[1] ?? '');
    }
    const ask = await whatsapp.answerTo(await whatsapp.text(g, `cancel ${references[1]?.toLowerCase()}`));
    expect(ask.map((r) => r.text)).toEqual([
      expect.stringMatching(/^Cancel your table for 2 guests on .* at 21:00\?$/),
    ]);
  });
});
