import { createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { request } from 'node:http';
import { DEV_FLOW_PRIVATE_KEY } from '@reserveit/config';
import { bookingFlowToken } from '@reserveit/contracts';
import { decryptLikeMeta, encryptLikeMeta, signedRequest } from '@reserveit/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_BUSINESS_ID } from '../src/index.js';
import { DemoStaff } from './demo-staff.js';
import { button, useSystem } from './system-under-test.js';

const publicKey = createPublicKey(createPrivateKey(DEV_FLOW_PRIVATE_KEY));
const token = bookingFlowToken(DEMO_BUSINESS_ID, 'e2e-flow-1');
/** Dates in the demo restaurant's zone (Asia/Dubai), counted from today there. */
const dubaiDay = (offset: number): string => {
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Dubai' }).format(new Date());
  return new Date(Date.parse(`${today}T00:00:00Z`) + offset * 86_400_000).toISOString().slice(0, 10);
};
/** The demo restaurant's published booking Flow, as its owner would set it. */
const FLOW_ID = '1187654321098765';
const CLOSED = dubaiDay(3);
const OPEN = dubaiDay(4);

const sut = useSystem();
let staff: DemoStaff;
beforeAll(async () => {
  // Live availability: the restaurant closes one day, as staff would in the console.
  staff = new DemoStaff(sut());
  const { business } = await staff.call(staff.client.getBusiness, { businessId: DEMO_BUSINESS_ID });
  const hours = business?.hours;
  if (!hours) throw new Error('the demo restaurant has no hours');
  await staff.call(staff.client.setOpeningHours, {
    businessId: DEMO_BUSINESS_ID,
    hours: { ...hours, closedDates: [...hours.closedDates, CLOSED] },
  });
  await staff.call(staff.client.updateBusinessSettings, {
    businessId: DEMO_BUSINESS_ID,
    greetings: {},
    hasGreetings: false,
    bookingFlowId: FLOW_ID,
  });
}, 120_000);
afterAll(() => {
  staff?.close();
});

const flowUrl = () => `${sut().system.http.ingress}/flows/booking`;

/**
 * POSTs a body to the Flow endpoint signed with the app secret, as Meta does. node:http, not
 * fetch: undici sends a request again on its own when answered 421 (Misdirected Request), which
 * would double every refused request the metrics count.
 */
function postSigned(
  body: unknown,
  secret = sut().system.appSecret,
): Promise<{ status: number; text: string }> {
  const signed = signedRequest(JSON.stringify(body), secret);
  return new Promise((resolve, reject) => {
    const outgoing = request(flowUrl(), { method: 'POST', headers: signed.headers }, (incoming) => {
      const chunks: Buffer[] = [];
      incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
      incoming.on('end', () =>
        resolve({ status: incoming.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }),
      );
      incoming.on('error', reject);
    });
    outgoing.on('error', reject);
    outgoing.end(signed.payload);
  });
}

/** A Flow request encrypted as Meta encrypts it; the answer decrypted as Meta's client does. */
async function exchange(request: Record<string, unknown>) {
  const sent = encryptLikeMeta(request, publicKey);
  const answer = await postSigned(sent.body);
  expect(answer.status, answer.text).toBe(200);
  return decryptLikeMeta(answer.text, sent) as { screen?: string; data: Record<string, unknown> };
}

describe('the booking Flow: its data-exchange endpoint on ingress, fed by the reservation service', () => {
  it('answers the health check', async () => {
    expect(await exchange({ version: '3.0', action: 'ping' })).toEqual({ data: { status: 'active' } });
  });

  it('opens on the date screen: today to 30 days ahead, the closed day unavailable, party sizes up to the limit', async () => {
    const init = await exchange({ version: '3.0', action: 'INIT', flow_token: token });
    expect(init.screen).toBe('BOOKING');
    expect(init.data).toMatchObject({ min_date: dubaiDay(0), max_date: dubaiDay(30) });
    expect(init.data.unavailable_dates).toContain(CLOSED);
    expect(init.data.unavailable_dates).not.toContain(OPEN);
    // The seed's maxPartySize is 10.
    expect(init.data.party_sizes).toEqual(
      Array.from({ length: 10 }, (_, i) => ({ id: `${i + 1}`, title: `${i + 1}` })),
    );
    const back = await exchange({ version: '3.0', action: 'BACK', screen: 'TIME', flow_token: token });
    expect(back).toEqual(init);
  });

  it('offers the free times of the chosen day, and sends the guest back with a message for a day that has none', async () => {
    const times = await exchange({
      version: '3.0',
      action: 'data_exchange',
      screen: 'BOOKING',
      flow_token: token,
      data: { date: OPEN, party_size: '2' },
    });
    expect(times.screen).toBe('TIME');
    expect(times.data).toMatchObject({ date: OPEN, party_size: '2' });
    expect(times.data.slots).toEqual(
      expect.arrayContaining([
        { id: '19:00', title: '19:00' },
        { id: '20:00', title: '20:00' },
      ]),
    );

    const closed = await exchange({
      version: '3.0',
      action: 'data_exchange',
      screen: 'BOOKING',
      flow_token: token,
      data: { date: CLOSED, party_size: '2' },
    });
    expect(closed.screen).toBe('BOOKING');
    expect(closed.data.error_message).toBe(`No table for 2 is free on ${CLOSED}. Please pick another day.`);
  });

  it('acknowledges an error notification', async () => {
    expect(
      await exchange({
        version: '3.0',
        action: 'data_exchange',
        screen: 'TIME',
        flow_token: token,
        data: { error: 'x' },
      }),
    ).toEqual({ data: { acknowledged: true } });
  });

  it('answers 421 and decrypts nothing for another key, a tampered tag or garbage; 432 for a bad signature; 427 for a token it did not make', async () => {
    const ping = { version: '3.0', action: 'ping' };
    const otherKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey;
    expect(await postSigned(encryptLikeMeta(ping, otherKey).body)).toEqual({ status: 421, text: '' });

    const sent = encryptLikeMeta(ping, publicKey).body;
    const data = Buffer.from(sent.encrypted_flow_data, 'base64');
    data[data.length - 1] = (data.at(-1) ?? 0) ^ 0x01;
    expect(await postSigned({ ...sent, encrypted_flow_data: data.toString('base64') })).toEqual({
      status: 421,
      text: '',
    });
    expect(await postSigned({ hello: 'world' })).toEqual({ status: 421, text: '' });

    expect(await postSigned(encryptLikeMeta(ping, publicKey).body, 'not-the-app-secret')).toEqual({
      status: 432,
      text: '',
    });
    const unsigned = await fetch(flowUrl(), { method: 'POST', body: JSON.stringify(sent) });
    expect(unsigned.status).toBe(432);

    for (const flowToken of ['book.no-such-restaurant.n1', 'something-else']) {
      const sentWithToken = encryptLikeMeta(
        { version: '3.0', action: 'INIT', flow_token: flowToken },
        publicKey,
      );
      expect((await postSigned(sentWithToken.body)).status, flowToken).toBe(427);
    }

    // Counted by outcome: a stale key at Meta shows as not_decrypted.
    const metrics = await (await fetch(`${sut().system.http.ingress}/metrics`)).text();
    const count = (outcome: string) =>
      Number(
        new RegExp(`ingress_flow_requests_total\\{outcome="${outcome}",service="ingress"\\} (\\d+)`).exec(
          metrics,
        )?.[1],
      );
    expect([count('not_decrypted'), count('bad_signature'), count('invalid_token')]).toEqual([3, 2, 2]);
  });

  it('a completed Flow (nfm_reply) is a booking request: the summary with Confirm, then the reservation', async () => {
    const { whatsapp } = sut();
    const guest = { waId: '971500000171', name: 'Noura' };
    const summary = await whatsapp.answerTo(
      await whatsapp.completeFlow(guest, {
        flow_token: token,
        date: OPEN,
        time: '20:00',
        party_size: '3',
        name: 'Noura K',
      }),
    );
    expect(summary).toHaveLength(1);
    // A first message is greeted in the same bubble, as a typed request would be.
    expect(summary[0]?.text).toMatch(
      /^Welcome to Al Fanar Demo Kitchen!.*\nA table for 3 guests on \w{3} \d{1,2} \w{3} at 20:00, under the name Noura K\. Shall I book it\?$/,
    );
    expect(summary[0]?.buttons.map((b) => b.title)).toEqual(['Confirm', 'Change', 'Cancel']);
    const booked = await whatsapp.answerTo(
      await whatsapp.tap(guest, button(summary[0], 'Confirm'), summary[0]),
    );
    expect(booked[0]?.text).toMatch(/^You're booked: a table for 3 guests on .* at 20:00, under Noura K\./);
    const reservations = await sut().reservations.list({ guestWaId: guest.waId });
    expect(reservations).toMatchObject([
      { serviceDate: OPEN, time: '20:00', partySize: 3, guestName: 'Noura K' },
    ]);
  });

  it('offers the Flow to a guest who taps "Book a table", and books what the guest completes in it', async () => {
    const { whatsapp } = sut();
    const guest = { waId: '971500000172', name: 'Hessa' };
    const menu = await whatsapp.answerTo(await whatsapp.text(guest, 'hi'));
    const offered = await whatsapp.answerTo(
      await whatsapp.tap(guest, button(menu[0], 'Book a table'), menu[0]),
    );
    expect(offered).toHaveLength(1);
    const flow = offered[0]?.flow;
    expect(flow).toMatchObject({ id: FLOW_ID, cta: 'Choose a time' });
    expect(offered[0]?.text).toContain('For which day would you like the table?');
    if (!flow) throw new Error('no flow message');
    // The token names the restaurant, so the endpoint serves this restaurant's days to it.
    const init = await exchange({ version: '3.0', action: 'INIT', flow_token: flow.token });
    expect(init.data.unavailable_dates).toContain(CLOSED);

    const summary = await whatsapp.answerTo(
      await whatsapp.completeFlow(guest, {
        flow_token: flow.token,
        date: OPEN,
        time: '19:00',
        party_size: '2',
        name: 'Hessa A',
      }),
    );
    expect(summary[0]?.text).toMatch(
      /^A table for 2 guests on .* at 19:00, under the name Hessa A\. Shall I book it\?$/,
    );
    const booked = await whatsapp.answerTo(
      await whatsapp.tap(guest, button(summary[0], 'Confirm'), summary[0]),
    );
    expect(booked[0]?.text).toMatch(/^You're booked: a table for 2 guests on .* at 19:00, under Hessa A\./);
    expect(await sut().reservations.list({ guestWaId: guest.waId })).toMatchObject([
      { serviceDate: OPEN, time: '19:00', partySize: 2, guestName: 'Hessa A' },
    ]);
  });
});
