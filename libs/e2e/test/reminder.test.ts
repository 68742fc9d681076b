import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_BUSINESS_ID } from '../src/index.js';
import { DemoStaff } from './demo-staff.js';
import { button, eventually, useSystem } from './system-under-test.js';

const ZONE = 'Asia/Dubai';
const SLOT_MS = 5 * 60_000;
/** The first slot 17 minutes ahead or later: its reminder (15 minutes before) is due 2 to 7 minutes from then. */
const firstSlotAfter = (now: number) => Math.ceil((now + 17 * 60_000) / SLOT_MS) * SLOT_MS;

/**
 * Where the restaurant's 24 hours of service begin: an hour before the booking's hour (midnight at
 * the earliest), so the 90-minute seating of a booking made late in the evening still fits inside
 * the service of its own calendar date (opening-slots.ts: a service runs past midnight).
 */
function serviceStart(slotTime: string): string {
  const hour = Math.max(0, Number(slotTime.slice(0, 2)) - 1);
  return `${String(hour).padStart(2, '0')}:00`;
}

/** The restaurant's wall clock (date, HH:MM) at an instant. */
function wallClock(at: number): { date: string; time: string } {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', {
      timeZone: ZONE,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(new Date(at))
      .map((part) => [part.type, part.value]),
  );
  return { date: `${parts.year}-${parts.month}-${parts.day}`, time: `${parts.hour}:${parts.minute}` };
}

const sut = useSystem();
let staff: DemoStaff;

beforeAll(async () => {
  staff = new DemoStaff(sut());
  const rules = await staff.rules();
  // Settings an owner may choose, the tightest the validation allows, so a reminder comes due
  // within minutes on the real clock: 5-minute slots, bookings from 15 minutes ahead, one reminder
  // 15 minutes before, no quiet hours; open around the clock from just before the booking's hour,
  // so the test runs at any hour.
  const opens = serviceStart(wallClock(firstSlotAfter(Date.now())).time);
  await staff.call(staff.client.setOpeningHours, {
    businessId: DEMO_BUSINESS_ID,
    hours: {
      weekly: [1, 2, 3, 4, 5, 6, 7].map((isoWeekday) => ({
        isoWeekday,
        intervals: [{ start: opens, end: opens }],
      })),
      closedDates: [],
      specialHours: [],
    },
  });
  await staff.call(staff.client.updateBusinessSettings, {
    businessId: DEMO_BUSINESS_ID,
    greetings: {},
    hasGreetings: false,
    rules: { ...rules, slotMinutes: 5, minLeadMinutes: 15 },
    followUps: {
      reminders: { enabled: true, offsetsMinutes: [15], templateName: '' },
      noShow: { enabled: false, graceMinutes: 20, autoMark: false, messageGuest: false },
      feedback: { enabled: false, delayMinutes: 180 },
    },
  });
  await eventually('the settings read back', async () => {
    const read = await staff.call(staff.client.getBusiness, { businessId: DEMO_BUSINESS_ID });
    return read?.business?.rules?.slotMinutes === 5 && read.business.followUps?.reminders?.enabled
      ? true
      : undefined;
  });
}, 120_000);
afterAll(() => {
  staff?.close();
});

describe('the scheduler among the other services, on the real clock', () => {
  it(
    'sends the reminder of a booking made over WhatsApp when it comes due, and records the guest’s Confirm tap on the booking',
    async () => {
      const { whatsapp } = sut();
      const startsAt = firstSlotAfter(Date.now());
      const slot = wallClock(startsAt);
      const day = slot.date === wallClock(Date.now()).date ? 'today' : 'tomorrow';
      const guest = { waId: '971500000301', name: 'Omar' };
      await whatsapp.answerTo(await whatsapp.text(guest, 'Hi'));
      const name = await whatsapp.answerTo(
        await whatsapp.text(guest, `a table ${day} at ${slot.time} for 2 people`),
      );
      const summary = await whatsapp.answerTo(await whatsapp.tap(guest, button(name[0], 'Omar'), name[0]));
      const booked = await whatsapp.answerTo(
        await whatsapp.tap(guest, button(summary[0], 'Confirm'), summary[0]),
      );
      expect(booked[0]?.text).toMatch(
        new RegExp(`^You're booked: a table for 2 guests on .* at ${slot.time}, under Omar\\.`),
      );
      const [booking] = await sut().reservations.list({ guestWaId: guest.waId });
      expect(booking).toMatchObject({ serviceDate: slot.date, time: slot.time, guestConfirmedAt: '' });

      // Inside the 24-hour window (the guest just wrote): the reminder with its three buttons.
      const reminder = await eventually(
        'the reminder',
        () =>
          whatsapp
            .replies()
            .find(
              (reply) => reply.to === guest.waId && reply.buttons.some((b) => b.id.startsWith('reminder:')),
            ),
        8 * 60_000,
      );
      expect(reminder.text).toMatch(
        new RegExp(`^A reminder of your table for 2 on .* at ${slot.time}\\. Will you be there\\?$`),
      );
      expect(reminder.buttons.map((b) => b.title)).toEqual(['Confirm', 'Cancel', 'Running late']);

      await whatsapp.answerTo(await whatsapp.tap(guest, button(reminder, 'Confirm'), reminder));
      const confirmed = await eventually('the guest’s confirmation on the booking', async () => {
        const [now] = await sut().reservations.list({ guestWaId: guest.waId });
        return now?.guestConfirmedAt ? now : undefined;
      });
      expect(confirmed).toMatchObject({
        id: booking?.id,
        guestConfirmedAt: expect.stringMatching(/^\d{4}-/),
      });
      // Exactly one reminder reached the guest.
      expect(
        whatsapp
          .replies()
          .filter(
            (reply) => reply.to === guest.waId && reply.buttons.some((b) => b.id.startsWith('reminder:')),
          ),
      ).toHaveLength(1);
    },
    10 * 60_000,
  );
});
