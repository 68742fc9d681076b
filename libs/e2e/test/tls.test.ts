import { status } from '@grpc/grpc-js';
import type { DevCertificates } from '@reserveit/localstack';
import { type SecuredNats, type TestDatabase, useDatabase, useSecuredNats } from '@reserveit/testkit';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { FakeWhatsApp, ReservationReader, type RunningSystem, startSystem } from '../src/index.js';
import { button } from './system-under-test.js';

// The whole system with TLS on (issue 16): a private nats-server that takes TLS clients only, each
// service as its own NATS user, every gRPC server and client with the development certificates.
// A booking must go through, and NATS must have refused nobody anything (cleanup checks).
let certs: DevCertificates;
let nats: SecuredNats;
let db: TestDatabase;
let whatsapp: FakeWhatsApp;
let system: RunningSystem | undefined;

beforeAll(async () => {
  nats = await useSecuredNats();
  certs = nats.certs;
  db = await useDatabase();
  whatsapp = await FakeWhatsApp.start();
  system = await startSystem({
    natsUrl: nats.url,
    prefix: nats.prefix,
    databaseUrl: db.url,
    graphBaseUrl: whatsapp.graphBaseUrl,
    tls: certs,
  });
  whatsapp.connect(system);
}, 180_000);
afterAll(async () => {
  await system?.stop();
  await whatsapp?.close();
  await db?.drop();
  await nats?.cleanup();
});

it('a guest books a table through all five services over TLS; gRPC answers only clients trusting the CA', async () => {
  if (!system) throw new Error('no system');
  const guest = { waId: '971500000161', name: 'Layla' };
  const hello = await whatsapp.answerTo(await whatsapp.text(guest, 'Hi'));
  const day = await whatsapp.answerTo(await whatsapp.tap(guest, button(hello[0], 'Book a table'), hello[0]));
  expect(day.map((r) => r.text)).toEqual(['For which day would you like the table?']);
  await whatsapp.answerTo(await whatsapp.text(guest, 'tomorrow for 2 people'));
  const name = await whatsapp.answerTo(await whatsapp.text(guest, '8pm'));
  const summary = await whatsapp.answerTo(await whatsapp.tap(guest, button(name[0], 'Layla'), name[0]));
  const booked = await whatsapp.answerTo(
    await whatsapp.tap(guest, button(summary[0], 'Confirm'), summary[0]),
  );
  expect(booked[0]?.text).toMatch(/^You're booked: a table for 2 guests on .* at 20:00, under Layla\./);

  // The dialogue asked intent over TLS: intent interpreted, and nothing fell back to the built-in rules.
  const metrics = async (url: string) => (await fetch(`${url}/metrics`)).text();
  const total = (text: string, name: string) =>
    text
      .split('\n')
      .filter((line) => line.startsWith(name))
      .reduce((sum, line) => sum + Number(line.split(' ').at(-1)), 0);
  expect(total(await metrics(system.http.intent), 'intent_inferences_total')).toBeGreaterThanOrEqual(5);
  expect(total(await metrics(system.http.conversation), 'conversation_intent_fallbacks_total')).toBe(0);

  const trusting = new ReservationReader(system.grpc.reservation, system.grpcCaFile);
  const plaintext = new ReservationReader(system.grpc.reservation);
  try {
    const reservations = await trusting.list({ guestWaId: guest.waId });
    expect(reservations).toMatchObject([{ partySize: 2, time: '20:00', guestName: 'Layla' }]);
    await expect(plaintext.list({ guestWaId: guest.waId })).rejects.toMatchObject({
      code: status.UNAVAILABLE,
    });
  } finally {
    trusting.close();
    plaintext.close();
  }
});
