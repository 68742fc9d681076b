import { credentials } from '@grpc/grpc-js';
import { DeliverPolicy } from '@nats-io/jetstream';
import { conversationEventsOf, RESERVATION_EVENT_TYPES, topology } from '@reserveit/contracts';
import { publish } from '@reserveit/messaging';
import {
  ReservationServiceClient,
  ReservationSource,
  ReservationStatus,
} from '@reserveit/rpc/reservation/v1/reservation';
import { devCallerOptions, type FakeGraphApi, startFakeGraphApi } from '@reserveit/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSender } from '../../sender/src/server.js';
import type { RunningConversation } from '../src/index.js';
import {
  conversationUnderTest,
  guestSays,
  type Neighbours,
  newGuest,
  rpc,
  senderBeside,
  startNeighbours,
  until,
} from './conversation-under-test.js';

const ACCESS_TOKEN = 'no-show-test-token';

let neighbours: Neighbours;
let graph: FakeGraphApi;
let sender: RunningSender;
let conversation: RunningConversation;
/** Dialogue events on CONVERSATIONS, as they arrive. */
const events: { type: string; note?: string; detail?: Record<string, unknown> }[] = [];
let stopWatching: () => Promise<void>;

beforeAll(async () => {
  neighbours = await startNeighbours();
  graph = await startFakeGraphApi({ accessToken: ACCESS_TOKEN });
  const { nats, reservations } = neighbours;
  // The restaurant asks for a word to guests marked no-show, and approved a template for it.
  await rpc(reservations, reservations.updateBusinessSettings, {
    businessId: 'bistro',
    greetings: {},
    hasGreetings: false,
    templates: {
      items: [
        { name: 'missed_you', language: 'en', bodyParameters: 1, category: 'UTILITY', purpose: 'no_show' },
      ],
    },
    followUps: {
      reminders: { enabled: false, offsetsMinutes: [120], templateName: '' },
      noShow: { enabled: true, graceMinutes: 15, autoMark: false, messageGuest: true },
      feedback: { enabled: false, delayMinutes: 180 },
    },
  });
  const messagesGuest = async () =>
    (await rpc(reservations, reservations.getBusiness, { businessId: 'bistro' })).business?.followUps?.noShow
      ?.messageGuest;
  // The business is read from the reservation projection, which follows the stream.
  while ((await messagesGuest()) !== true) await new Promise((resolve) => setTimeout(resolve, 50));
  sender = await senderBeside(neighbours, graph.baseUrl, ACCESS_TOKEN);
  conversation = await conversationUnderTest(neighbours);
  const consumer = await nats.js.consumers.get(topology(nats.prefix).streams.conversations.name, {
    deliver_policy: DeliverPolicy.All,
  });
  const messages = await consumer.consume();
  void (async () => {
    for await (const message of messages)
      events.push(...(conversationEventsOf(message.json()) as typeof events));
  })();
  stopWatching = async () => {
    await messages.close();
  };
});

afterAll(async () => {
  await stopWatching?.();
  await conversation?.close(1_000);
  await sender?.close();
  await graph?.close();
  await neighbours?.stop();
});

type SentBody = {
  to?: string;
  type?: string;
  text?: { body: string };
  template?: { name: string; language: { code: string }; components: unknown[] };
};

/** What Meta was asked to send to one guest (accepted requests only). */
const sentTo = (guestId: string) =>
  graph.requests
    .filter((r) => r.status === 200 && (r.body as SentBody).to === guestId)
    .map((r) => r.body as SentBody);

/** A booking for today, 13:00 Dubai time, as staff or the guest's WhatsApp made it. */
async function book(guestId: string, source: ReservationSource): Promise<{ id: string; date: string }> {
  const { reservations } = neighbours;
  // Tomorrow in Dubai: always ahead of the minimum lead time.
  const date = new Date(Date.now() + 4 * 3_600_000 + 86_400_000).toISOString().slice(0, 10);
  const { reservation } = await rpc(reservations, reservations.createReservation, {
    businessId: 'bistro',
    idempotencyKey: `no-show-${guestId}`,
    guestWaId: guestId,
    guestName: 'Sam',
    partySize: 2,
    date,
    time: '13:00',
    notes: '',
    source,
  });
  if (!reservation) throw new Error('not booked');
  return { id: reservation.id, date };
}

/** The host stand marks it, as the console does. */
async function markNoShow(reservationId: string): Promise<void> {
  const staff = new ReservationServiceClient(
    neighbours.reservation.grpcAddress,
    credentials.createInsecure(),
    devCallerOptions({ staff: true, restaurants: ['bistro'] }),
  );
  try {
    await rpc(staff, staff.setReservationStatus, {
      reservationId,
      businessId: 'bistro',
      status: ReservationStatus.RESERVATION_STATUS_NO_SHOW,
      staff: 'host@bistro',
    });
  } finally {
    staff.close();
  }
}

describe('a booking marked no-show, when the restaurant asked for a word to the guest', () => {
  it('sends the guest who wrote today one polite text, also when the event is delivered again', async () => {
    const { nats } = neighbours;
    const guest = { id: newGuest(), name: 'Sam' };
    await guestSays(nats.js, nats.prefix, guest, { text: 'hello' });
    await until(
      () => sentTo(guest.id).length > 0,
      () => JSON.stringify(sentTo(guest.id)),
    );
    const before = sentTo(guest.id).length;
    const booking = await book(guest.id, ReservationSource.RESERVATION_SOURCE_WHATSAPP);
    await markNoShow(booking.id);
    await until(
      () => sentTo(guest.id).length > before,
      () => JSON.stringify(sentTo(guest.id)),
    );
    expect(sentTo(guest.id).slice(before)).toEqual([
      expect.objectContaining({
        type: 'text',
        text: expect.objectContaining({ body: expect.stringMatching(/^We missed you today.*13:00/) }),
      }),
    ]);

    // The same no-show event once more on RESERVATIONS (a redelivery past the duplicate window).
    const t = topology(nats.prefix);
    const stored = await nats.jsm.streams.getMessage(t.streams.reservations.name, {
      last_by_subj: t.subjects.reservationDay('bistro', booking.date),
    });
    const event = stored?.json<{ id: string; type: string; reservationId: string }>();
    expect(event).toMatchObject({
      type: RESERVATION_EVENT_TYPES.reservationNoShow,
      reservationId: booking.id,
    });
    const again = await publish(nats.js, {
      subject: t.subjects.reservationDay('bistro', booking.date),
      msgId: `${event?.id}:again`,
      data: stored?.data ?? new Uint8Array(),
      timeoutMs: 5_000,
    });
    // The notices consumer has acknowledged the repeat: it was handled, and recognised.
    const durable = t.consumers.conversation.waitlistOffers.durable;
    await expect
      .poll(
        async () =>
          (await nats.jsm.consumers.info(t.streams.reservations.name, durable)).ack_floor.stream_seq,
        { timeout: 15_000 },
      )
      .toBeGreaterThanOrEqual(again.seq);
    expect(sentTo(guest.id).slice(before)).toHaveLength(1);
    expect(
      events.filter((e) => e.note === 'no_show.messaged' && e.detail?.reservationId === booking.id),
    ).toEqual([expect.objectContaining({ detail: { reservationId: booking.id, via: 'text' } })]);
  });

  it('reaches a guest who never wrote (a booking taken by phone) with the restaurant’s no-show template', async () => {
    const guest = newGuest();
    const booking = await book(guest, ReservationSource.RESERVATION_SOURCE_STAFF);
    await markNoShow(booking.id);
    await until(
      () => sentTo(guest).length > 0,
      () => JSON.stringify(sentTo(guest)),
    );
    expect(sentTo(guest)).toEqual([
      expect.objectContaining({
        type: 'template',
        template: {
          name: 'missed_you',
          language: { code: 'en' },
          components: [
            { type: 'body', parameters: [{ type: 'text', text: expect.stringContaining('13:00') }] },
          ],
        },
      }),
    ]);
  });
});
