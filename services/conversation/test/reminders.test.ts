import { DeliverPolicy } from '@nats-io/jetstream';
import {
  conversationEventsOf,
  SCHEDULED_WORK_TYPES,
  topology,
  type WorkDue,
  workDueId,
} from '@reserveit/contracts';
import { publish } from '@reserveit/messaging';
import { ReservationSource } from '@reserveit/rpc/reservation/v1/reservation';
import { type FakeGraphApi, startFakeGraphApi } from '@reserveit/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSender } from '../../sender/src/server.js';
import type { RunningConversation } from '../src/index.js';
import {
  conversationUnderTest,
  guestSays,
  type Neighbours,
  newGuest,
  PHONE_NUMBER_ID,
  rpc,
  senderBeside,
  startNeighbours,
  until,
} from './conversation-under-test.js';

const ACCESS_TOKEN = 'reminder-test-token';

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
  // The restaurant's approved reminder template: date, time and party size, three quick replies.
  await rpc(reservations, reservations.updateBusinessSettings, {
    businessId: 'bistro',
    greetings: {},
    hasGreetings: false,
    templates: {
      items: [
        {
          name: 'booking_reminder',
          language: 'en',
          bodyParameters: 3,
          category: 'UTILITY',
          purpose: 'reminder',
        },
        {
          name: 'booking_reminder',
          language: 'ar',
          bodyParameters: 3,
          category: 'UTILITY',
          purpose: 'reminder',
        },
      ],
    },
  });
  const templates = async () =>
    (await rpc(reservations, reservations.getBusiness, { businessId: 'bistro' })).business?.templates
      ?.items ?? [];
  let known = await templates();
  while (known.length < 2) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    known = await templates();
  }
  sender = await senderBeside(neighbours, graph.baseUrl, ACCESS_TOKEN);
  conversation = await conversationUnderTest(neighbours);
  const t = topology(nats.prefix);
  const consumer = await nats.js.consumers.get(t.streams.conversations.name, {
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

let bookings = 0;

/** A reminder as the scheduler hands it over, for a booking at 20:00 Dubai time on 2030-03-28. */
function reminder(
  guestId: string,
  position: number,
  templateName: string | null = 'booking_reminder',
): WorkDue & { work: Extract<WorkDue['work'], { kind: 'reminder' }> } {
  bookings += 1;
  const reservationId = `rsv-${guestId}`;
  const key = `reminder:${reservationId}:${position}`;
  const dueAt = new Date(Date.UTC(2030, 2, 27, 16, position, bookings % 60)).toISOString();
  return {
    v: 1,
    type: SCHEDULED_WORK_TYPES.due,
    id: workDueId(key, dueAt),
    key,
    dueAt,
    at: new Date().toISOString(),
    work: {
      kind: 'reminder',
      reservationId,
      businessId: 'bistro',
      serviceDate: '2030-03-28',
      startsAt: '2030-03-28T16:00:00.000Z',
      offsetMinutes: position === 0 ? 1440 : 120,
      guestId,
      partySize: 4,
      templateName,
    },
  };
}

/** Publishes due work as the scheduler does; `msgId` other than its id stands for a repeat past the duplicate window. */
async function handOver(work: WorkDue, msgId = work.id): Promise<void> {
  const { nats } = neighbours;
  await publish(nats.js, {
    subject: topology(nats.prefix).subjects.workDue(work.work.businessId),
    msgId,
    data: JSON.stringify(work),
    timeoutMs: 5_000,
  });
}

/** conversation_scheduled_work_total{outcome="duplicate"}, as /metrics says. */
async function scheduledDuplicates(): Promise<number> {
  const text = await (await fetch(`${conversation.httpAddress}/metrics`)).text();
  const line = text
    .split('\n')
    .find((l) => l.startsWith('conversation_scheduled_work_total{') && l.includes('outcome="duplicate"'));
  return Number(line?.split(' ').at(-1) ?? 0);
}
/** What ingress publishes for a tap on a template's quick reply (a `button` message). */
async function publishButton(
  guest: { id: string; name?: string },
  payload: string,
  text: string,
): Promise<void> {
  const { nats } = neighbours;
  const wamid = `wamid.button${Date.now()}${Math.random().toString(36).slice(2)}`;
  const now = new Date().toISOString();
  await publish(nats.js, {
    subject: topology(nats.prefix).subjects.inboundMessage(PHONE_NUMBER_ID, guest.id),
    msgId: wamid,
    timeoutMs: 5_000,
    data: JSON.stringify({
      v: 1,
      type: 'whatsapp.message.received',
      id: wamid,
      rawId: `raw-${wamid}`,
      receivedAt: now,
      occurredAt: now,
      wabaId: '102290129340398',
      phoneNumberId: PHONE_NUMBER_ID,
      displayPhoneNumber: '15550001111',
      guest: { id: guest.id, waId: guest.id, ...(guest.name ? { name: guest.name } : {}) },
      message: {
        from: guest.id,
        id: wamid,
        timestamp: String(Math.floor(Date.now() / 1000)),
        type: 'button',
        button: { payload, text },
      },
    }),
  });
}

type SentBody = {
  to?: string;
  type?: string;
  template?: { name: string; language: { code: string }; components: unknown[] };
  interactive?: { body: { text: string }; action: { buttons: { reply: { id: string; title: string } }[] } };
};

/** What Meta was asked to send to one guest (accepted requests only). */
const sentTo = (guestId: string) =>
  graph.requests
    .filter((r) => r.status === 200 && (r.body as SentBody).to === guestId)
    .map((r) => r.body as SentBody);

describe('reminders handed over by the scheduler', () => {
  it('sends the first reminder as the template while the window is closed and the second as buttons after the guest wrote, each exactly once', async () => {
    const guest = { id: newGuest(), name: 'Sam' };
    const first = reminder(guest.id, 0);
    await handOver(first);
    await until(
      () => sentTo(guest.id).some((body) => body.type === 'template'),
      () => JSON.stringify(sentTo(guest.id)),
    );
    // The same work again: by its Msg-Id inside the window, by the inbox past it.
    await handOver(first);
    await handOver(first, `${first.id}:again`);

    await guestSays(neighbours.nats.js, neighbours.nats.prefix, guest, { text: 'hello' });
    await until(
      () => sentTo(guest.id).some((body) => body.type === 'interactive'),
      () => JSON.stringify(sentTo(guest.id)),
    );
    const second = reminder(guest.id, 1);
    await handOver(second);
    const reminderButtons = () =>
      sentTo(guest.id).filter((body) =>
        body.interactive?.action.buttons.some((b) => b.reply.id.startsWith('reminder:')),
      );
    await until(
      () => reminderButtons().length > 0,
      () => JSON.stringify(sentTo(guest.id)),
    );
    await handOver(second, `${second.id}:again`);
    // Both repeats past the duplicate window reached the service and were recognised by the inbox.
    await expect.poll(scheduledDuplicates, { timeout: 15_000 }).toBe(2);

    const templates = sentTo(guest.id).filter((body) => body.type === 'template');
    expect(templates).toHaveLength(1);
    expect(templates[0]?.template).toEqual({
      name: 'booking_reminder',
      language: { code: 'en' },
      components: [
        {
          type: 'body',
          parameters: [
            { type: 'text', text: expect.stringContaining('20:00') },
            { type: 'text', text: '20:00' },
            { type: 'text', text: '4' },
          ],
        },
        ...['confirm', 'cancel', 'late'].map((answer, index) => ({
          type: 'button',
          sub_type: 'quick_reply',
          index: String(index),
          parameters: [{ type: 'payload', payload: `reminder:${answer}:rsv-${guest.id}` }],
        })),
      ],
    });
    expect(reminderButtons()).toHaveLength(1);
    expect(reminderButtons()[0]?.interactive?.action.buttons.map((b) => [b.reply.id, b.reply.title])).toEqual(
      [
        [`reminder:confirm:rsv-${guest.id}`, 'Confirm'],
        [`reminder:cancel:rsv-${guest.id}`, 'Cancel'],
        [`reminder:late:rsv-${guest.id}`, 'Running late'],
      ],
    );
  });

  it('records Confirm tapped on the template and running late said in Arabic words on the booking', async () => {
    const { nats, reservations } = neighbours;
    const guest = { id: newGuest(), name: 'Layla' };
    const date = new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10);
    const book = async (key: string) =>
      (
        await rpc(reservations, reservations.createReservation, {
          businessId: 'bistro',
          idempotencyKey: `${guest.id}-${key}`,
          guestWaId: guest.id,
          guestName: 'Layla',
          partySize: 2,
          date,
          time: key === 'first' ? '19:00' : '21:00',
          notes: '',
          source: ReservationSource.RESERVATION_SOURCE_WHATSAPP,
        })
      ).reservation?.id ?? '';
    const first = await book('first');
    const work = reminder(guest.id, 0);
    await handOver({ ...work, work: { ...work.work, reservationId: first, serviceDate: date } });
    await until(
      () => sentTo(guest.id).some((body) => body.type === 'template'),
      () => JSON.stringify(sentTo(guest.id)),
    );
    // The template's quick reply comes back as a `button` message carrying its payload.
    await publishButton(guest, `reminder:confirm:${first}`, 'Confirm');
    const reservation = (id: string) =>
      rpc(reservations, reservations.getReservation, { reservationId: id, businessId: 'bistro' });
    await expect
      .poll(async () => (await reservation(first)).reservation?.guestConfirmedAt, { timeout: 15_000 })
      .not.toBe('');

    const second = await book('second');
    const later = reminder(guest.id, 1);
    await handOver({ ...later, work: { ...later.work, reservationId: second, serviceDate: date } });
    await until(
      () => events.some((e) => e.note === 'reminder.sent' && e.detail?.reservationId === second),
      () => JSON.stringify(events.filter((e) => e.note?.startsWith('reminder'))),
    );
    await guestSays(nats.js, nats.prefix, guest, { text: 'سنتأخر ربع ساعة' });
    await expect
      .poll(async () => (await reservation(second)).reservation?.lateMinutes, { timeout: 15_000 })
      .toBe(15);
    expect((await reservation(first)).reservation?.lateMinutes).toBe(0);
  });

  it('sends nothing and tells staff when the window is closed and the restaurant set no template', async () => {
    const guest = newGuest();
    const work = reminder(guest, 0, null);
    await handOver(work);
    await until(
      () =>
        events.some((e) => e.note === 'reminder.undeliverable' && e.detail?.reservationId === `rsv-${guest}`),
      () => JSON.stringify(events.filter((e) => e.note?.startsWith('reminder'))),
    );
    expect(sentTo(guest)).toEqual([]);
  });
});
