import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_BUSINESS_ID } from '../src/index.js';
import { DemoStaff } from './demo-staff.js';
import { button, eventually, useSystem } from './system-under-test.js';

/** Tomorrow in the demo restaurant's zone (Asia/Dubai). */
const tomorrow = (): string => {
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Dubai' }).format(new Date());
  return new Date(Date.parse(`${today}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
};

const sut = useSystem();
let staff: DemoStaff;

beforeAll(async () => {
  staff = new DemoStaff(sut());
  const rules = await staff.rules();
  // A small room that keeps a waitlist, as an owner would set it in the console.
  await staff.call(staff.client.updateBusinessSettings, {
    businessId: DEMO_BUSINESS_ID,
    greetings: {},
    hasGreetings: false,
    rules: { ...rules, capacityCovers: 4 },
    waitlist: { enabled: true, holdMinutes: 10 },
  });
}, 120_000);
afterAll(() => {
  staff?.close();
});

describe('a guest waits for a full seating over WhatsApp through all five services', () => {
  it('joins the waitlist, is offered the table a cancellation frees, and confirms it into a booking', async () => {
    const { whatsapp } = sut();
    const date = tomorrow();
    const taken = await staff.call(staff.client.createReservation, {
      businessId: DEMO_BUSINESS_ID,
      idempotencyKey: 'e2e-waitlist-full',
      guestWaId: '971500000900',
      guestName: 'Full House',
      partySize: 4,
      date,
      time: '20:00',
      notes: '',
      source: 2,
    });
    const guest = { waId: '971500000201', name: 'Nadia' };
    await whatsapp.answerTo(await whatsapp.text(guest, 'Hi'));
    const full = await whatsapp.answerTo(await whatsapp.text(guest, 'a table tomorrow at 8pm for 2 people'));
    expect(full[0]?.text).toContain('fully booked');
    const joined = await whatsapp.answerTo(
      await whatsapp.tap(guest, button(full[0], 'Join the waitlist'), full[0]),
    );
    expect(joined[0]?.text).toMatch(/^You're on the waitlist for 2 guests on .* at 20:00\./);

    const before = whatsapp.replies().length;
    await staff.call(staff.client.cancelReservation, {
      reservationId: taken?.reservation?.id ?? '',
      reason: 'called',
      byStaff: true,
      businessId: DEMO_BUSINESS_ID,
    });
    const offer = await eventually('the waitlist offer', () =>
      whatsapp
        .replies()
        .slice(before)
        .find((reply) => reply.to === guest.waId && reply.buttons.some((b) => b.title === 'Confirm')),
    );
    expect(offer.text).toMatch(
      /^A table for 2 guests on .* at 20:00 has just freed up\. It is held for you until \d\d:\d\d/,
    );

    const booked = await whatsapp.answerTo(await whatsapp.tap(guest, button(offer, 'Confirm'), offer));
    expect(booked[0]?.text).toMatch(/^You're booked: a table for 2 guests on .* at 20:00, under Nadia\./);
    const reservations = await sut().reservations.list({ guestWaId: guest.waId });
    expect(reservations).toMatchObject([{ partySize: 2, time: '20:00', guestName: 'Nadia' }]);
  });
});
