import { bookingReference } from '@reserveit/contracts';
import { describe, expect, it } from 'vitest';
import { button, useSystem } from './system-under-test.js';

const sut = useSystem();

describe('a guest books a table over WhatsApp through all five services', () => {
  it('in English over five turns, tapping the buttons: the replies are the expected ones and the reservation exists', async () => {
    const { whatsapp } = sut();
    const guest = { waId: '971500000101', name: 'Emma' };

    const hello = await whatsapp.answerTo(await whatsapp.text(guest, 'Hi'));
    expect(hello.map((r) => r.text)).toEqual([
      'Welcome to Al Fanar Demo Kitchen! I can book, change or cancel a table, or show you the menu and our hours.\nHow can I help you today?',
    ]);
    expect(hello[0]?.buttons.map((b) => b.title)).toEqual(['Book a table', 'Menu', 'Opening hours']);

    const day = await whatsapp.answerTo(
      await whatsapp.tap(guest, button(hello[0], 'Book a table'), hello[0]),
    );
    expect(day.map((r) => r.text)).toEqual(['For which day would you like the table?']);

    const time = await whatsapp.answerTo(await whatsapp.text(guest, 'tomorrow for 2 people'));
    expect(time.map((r) => r.text)).toEqual(['For 2 guests, noted. At what time?']);

    // Day, time and party known: the table is checked before the name is asked.
    const name = await whatsapp.answerTo(await whatsapp.text(guest, '8pm'));
    expect(name.map((r) => r.text)).toEqual([
      expect.stringMatching(
        /^Good news: there is a table for 2 guests on \w{3} \d{1,2} \w{3} at 20:00\.\nUnder which name should I book it\?\nOr tap to use "Emma"\.$/,
      ),
    ]);

    const summary = await whatsapp.answerTo(await whatsapp.tap(guest, button(name[0], 'Emma'), name[0]));
    expect(summary).toHaveLength(1);
    expect(summary[0]?.text).toMatch(
      /^A table for 2 guests on \w{3} \d{1,2} \w{3} at 20:00, under the name Emma\. Shall I book it\?$/,
    );
    expect(summary[0]?.buttons.map((b) => b.title)).toEqual(['Confirm', 'Change', 'Cancel']);

    const booked = await whatsapp.answerTo(
      await whatsapp.tap(guest, button(summary[0], 'Confirm'), summary[0]),
    );
    expect(booked).toHaveLength(1);
    const reference = /Reference ([3479ACDEFHJKMNPRTUVWXY]{6})\. See you then!$/.exec(
      booked[0]?.text ?? '',
    )?.[1];
    expect(booked[0]?.text).toMatch(/^You're booked: a table for 2 guests on .* at 20:00, under Emma\./);

    const reservations = await sut().reservations.list({ guestWaId: guest.waId });
    expect(reservations).toHaveLength(1);
    expect(reservations[0]).toMatchObject({ partySize: 2, time: '20:00', guestName: 'Emma' });
    expect(reference).toBe(bookingReference(reservations[0]?.id ?? ''));

    // Every reply quotes the message it answers, goes to the guest, and each guest message was read.
    const all = whatsapp.replies().filter((r) => r.to === guest.waId);
    expect(all).toHaveLength(6);
    expect(new Set(all.map((r) => r.key)).size).toBe(6);
    expect(whatsapp.reads().length).toBeGreaterThanOrEqual(6);
  });

  it('in Arabic: the greeting, the questions, the summary and the confirmation are in Arabic', async () => {
    const { whatsapp } = sut();
    // A profile name over 20 characters cannot be a button: the name is asked in plain text.
    const guest = { waId: '971500000102', name: 'Mohammed Al Falasi the Second' };

    const hello = await whatsapp.answerTo(await whatsapp.text(guest, 'السلام عليكم'));
    expect(hello[0]?.text).toBe(
      'أهلاً بكم في مطبخ الفنار التجريبي! يمكنني حجز طاولة أو تعديل الحجز أو إلغاؤه، أو عرض القائمة ومواعيد العمل.\nكيف يمكنني مساعدتك اليوم؟',
    );
    expect(hello[0]?.buttons.map((b) => b.title)).toEqual(['حجز طاولة', 'المنيو', 'مواعيد العمل']);

    const ask = await whatsapp.answerTo(
      await whatsapp.text(guest, 'بدي احجز طاولة لأربعة أشخاص بكرة الساعة ٨ مساء'),
    );
    // The table is checked first, then the name asked in plain text.
    expect(ask.map((r) => r.text)).toEqual([
      expect.stringMatching(/^خبر سار: تتوفر طاولة لعدد 4 أشخاص يوم .* الساعة 20:00\.\nباسم من أسجل الحجز؟$/),
    ]);

    const summary = await whatsapp.answerTo(await whatsapp.text(guest, 'محمد'));
    expect(summary[0]?.text).toMatch(/^طاولة لعدد 4 أشخاص يوم .* الساعة 20:00 باسم محمد\. هل أؤكد الحجز؟$/);
    expect(summary[0]?.buttons.map((b) => b.title)).toEqual(['تأكيد', 'تعديل', 'إلغاء']);

    const booked = await whatsapp.answerTo(
      await whatsapp.tap(guest, button(summary[0], 'تأكيد'), summary[0]),
    );
    expect(booked.map((r) => r.text)).toEqual([
      expect.stringMatching(
        /^تم الحجز: طاولة لعدد 4 أشخاص يوم .* باسم محمد\. رقم الحجز [3479ACDEFHJKMNPRTUVWXY]{6}\./,
      ),
    ]);

    const reservations = await sut().reservations.list({ guestWaId: guest.waId });
    expect(reservations).toHaveLength(1);
    expect(reservations[0]).toMatchObject({ partySize: 4, time: '20:00', guestName: 'محمد' });
  });

  it('ran every service as its own NATS user, and NATS refused none of them anything', async () => {
    expect(await sut().nats.violations()).toEqual([]);
  });
});
