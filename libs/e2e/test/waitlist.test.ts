import { channelCredentials } from '@reserveit/rpc';
import { type Business, ReservationServiceClient } from '@reserveit/rpc/reservation/v1/reservation';
import { devCallerOptions } from '@reserveit/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_BUSINESS_ID } from '../src/index.js';
import {
  button,
  eventually,
  printOutputOnFailure,
  type SystemUnderTest,
  systemUnderTest,
} from './system-under-test.js';

/** Tomorrow in the demo restaurant's zone (Asia/Dubai). */
const tomorrow = (): string => {
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Dubai' }).format(new Date());
  return new Date(Date.parse(`${today}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
};

let sut: SystemUnderTest;
let staff: ReservationServiceClient;
const call = <Res>(
  run: (done: (error: Error | null, answer?: Res) => void) => void,
): Promise<Res | undefined> =>
  new Promise((resolve, reject) => run((error, answer) => (error ? reject(error) : resolve(answer))));

beforeAll(async () => {
  sut = await systemUnderTest();
  staff = new ReservationServiceClient(
    sut.system.grpc.reservation,
    channelCredentials(undefined),
    devCallerOptions({ staff: true, restaurants: [DEMO_BUSINESS_ID] }),
  );
  const found = await call<{ business?: Business }>((done) =>
    staff.getBusiness({ businessId: DEMO_BUSINESS_ID }, done),
  );
  const rules = found?.business?.rules;
  if (!rules) throw new Error('the demo restaurant has no rules');
  // A small room that keeps a waitlist, as an owner would set it in the console.
  await call((done) =>
    staff.updateBusinessSettings(
      {
        businessId: DEMO_BUSINESS_ID,
        greetings: {},
        hasGreetings: false,
        rules: { ...rules, capacityCovers: 4 },
        waitlist: { enabled: true, holdMinutes: 10 },
      },
      done,
    ),
  );
}, 120_000);
afterAll(async () => {
  staff?.close();
  await sut?.stop();
});
printOutputOnFailure(() => sut);

describe('a guest waits for a full seating over WhatsApp through all five services', () => {
  it('joins the waitlist, is offered the table a cancellation frees, and confirms it into a booking', async () => {
    const { whatsapp } = sut;
    const date = tomorrow();
    const taken = await call<{ reservation?: { id: string } }>((done) =>
      staff.createReservation(
        {
          businessId: DEMO_BUSINESS_ID,
          idempotencyKey: 'e2e-waitlist-full',
          guestWaId: '971500000900',
          guestName: 'Full House',
          partySize: 4,
          date,
          time: '20:00',
          notes: '',
          source: 2,
        },
        done,
      ),
    );
    const guest = { waId: '971500000201', name: 'Nadia' };
    await whatsapp.answerTo(await whatsapp.text(guest, 'Hi'));
    const full = await whatsapp.answerTo(await whatsapp.text(guest, 'a table tomorrow at 8pm for 2 people'));
    expect(full[0]?.text).toContain('fully booked');
    const joined = await whatsapp.answerTo(
      await whatsapp.tap(guest, button(full[0], 'Join the waitlist'), full[0]),
    );
    expect(joined[0]?.text).toMatch(/^You're on the waitlist for 2 guests on .* at 20:00\./);

    const before = whatsapp.replies().length;
    await call((done) =>
      staff.cancelReservation(
        {
          reservationId: taken?.reservation?.id ?? '',
          reason: 'called',
          byStaff: true,
          businessId: DEMO_BUSINESS_ID,
        },
        done,
      ),
    );
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
    const reservations = await sut.reservations.list({ guestWaId: guest.waId });
    expect(reservations).toMatchObject([{ partySize: 2, time: '20:00', guestName: 'Nadia' }]);
  });
});
