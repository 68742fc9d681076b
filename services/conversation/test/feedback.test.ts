import { credentials } from '@grpc/grpc-js';
import { SCHEDULED_WORK_TYPES, topology, type WorkDue, workDueId } from '@reserveit/contracts';
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
  staffClient,
  startNeighbours,
  until,
} from './conversation-under-test.js';

const ACCESS_TOKEN = 'feedback-test-token';

let neighbours: Neighbours;
let graph: FakeGraphApi;
let sender: RunningSender;
let conversation: RunningConversation;

beforeAll(async () => {
  neighbours = await startNeighbours();
  graph = await startFakeGraphApi({ accessToken: ACCESS_TOKEN });
  sender = await senderBeside(neighbours, graph.baseUrl, ACCESS_TOKEN);
  conversation = await conversationUnderTest(neighbours);
});

afterAll(async () => {
  await conversation?.close(1_000);
  await sender?.close();
  await graph?.close();
  await neighbours?.stop();
});

/** A feedback request as the scheduler hands it over (it names the booking, not the guest). */
function feedbackRequest(reservationId: string, serviceDate: string): WorkDue {
  const key = `feedback:${reservationId}`;
  const dueAt = new Date().toISOString();
  return {
    v: 1,
    type: SCHEDULED_WORK_TYPES.due,
    id: workDueId(key, dueAt),
    key,
    dueAt,
    at: dueAt,
    work: {
      kind: 'feedback_request',
      reservationId,
      businessId: 'bistro',
      serviceDate,
      startsAt: `${serviceDate}T15:00:00.000Z`,
    },
  };
}

async function handOver(work: WorkDue): Promise<void> {
  const { nats } = neighbours;
  await publish(nats.js, {
    subject: topology(nats.prefix).subjects.workDue(work.work.businessId),
    msgId: work.id,
    data: JSON.stringify(work),
    timeoutMs: 5_000,
  });
}

/** conversation_scheduled_work_total{outcome}, as /metrics says. */
async function scheduled(outcome: string): Promise<number> {
  const text = await (await fetch(`${conversation.httpAddress}/metrics`)).text();
  const line = text
    .split('\n')
    .find((l) => l.startsWith('conversation_scheduled_work_total{') && l.includes(`outcome="${outcome}"`));
  return Number(line?.split(' ').at(-1) ?? 0);
}

type SentBody = {
  to?: string;
  type?: string;
  interactive?: {
    type: string;
    body: { text: string };
    action: { sections?: { rows: { id: string; title: string }[] }[] };
  };
};

const sentTo = (guestId: string) =>
  graph.requests
    .filter((r) => r.status === 200 && (r.body as SentBody).to === guestId)
    .map((r) => r.body as SentBody);

describe('feedback requests handed over by the scheduler', () => {
  it('asks only about a seated booking; the tapped rating and the comment land on the booking, and a low one flags the inbox', async () => {
    const { nats, reservations } = neighbours;
    const guest = { id: newGuest(), name: 'Mariam' };
    const date = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
    const book = async (time: string) =>
      (
        await rpc(reservations, reservations.createReservation, {
          businessId: 'bistro',
          idempotencyKey: `${guest.id}-${time}`,
          guestWaId: guest.id,
          guestName: 'Mariam',
          partySize: 2,
          date,
          time,
          notes: '',
          source: ReservationSource.RESERVATION_SOURCE_WHATSAPP,
        })
      ).reservation?.id ?? '';
    const seated = await book('19:00');
    const notSeated = await book('21:00');
    // The host stand (the console, for this restaurant) seats the first party.
    const hostStand = new ReservationServiceClient(
      neighbours.reservation.grpcAddress,
      credentials.createInsecure(),
      devCallerOptions({ restaurants: ['bistro'] }),
    );
    await rpc(hostStand, hostStand.setReservationStatus, {
      reservationId: seated,
      businessId: 'bistro',
      status: ReservationStatus.RESERVATION_STATUS_SEATED,
      staff: 'Omar',
    });
    hostStand.close();
    // The guest wrote today: WhatsApp's window is open, so the request is a list.
    await guestSays(nats.js, nats.prefix, guest, { text: 'hello' });
    await until(
      () => sentTo(guest.id).length > 0,
      () => JSON.stringify(sentTo(guest.id)),
    );

    await handOver(feedbackRequest(notSeated, date));
    await expect.poll(() => scheduled('not_seated'), { timeout: 15_000 }).toBe(1);
    await handOver(feedbackRequest(seated, date));
    const lists = () => sentTo(guest.id).filter((body) => body.interactive?.type === 'list');
    await until(
      () => lists().length > 0,
      () => JSON.stringify(sentTo(guest.id)),
    );
    const rows = lists().flatMap((body) => body.interactive?.action.sections?.[0]?.rows ?? []);
    expect(rows.map((row) => row.id)).toEqual([1, 2, 3, 4, 5].map((n) => `feedback:${n}:${seated}`));
    expect(lists()).toHaveLength(1);

    await guestSays(nats.js, nats.prefix, guest, {
      tap: { id: `feedback:2:${seated}`, title: '2 – Fair' },
    });
    const reservation = async (id: string) =>
      (await rpc(reservations, reservations.getReservation, { reservationId: id, businessId: 'bistro' }))
        .reservation;
    await expect.poll(async () => (await reservation(seated))?.feedbackRating, { timeout: 15_000 }).toBe(2);
    await until(
      () => sentTo(guest.id).some((body) => JSON.stringify(body).includes('Anything you')),
      () => JSON.stringify(sentTo(guest.id)),
    );
    await guestSays(nats.js, nats.prefix, guest, { text: 'The lamb was lovely' });
    await expect
      .poll(async () => (await reservation(seated))?.feedbackComment, { timeout: 15_000 })
      .toBe('The lamb was lovely');
    expect((await reservation(notSeated))?.feedbackRating).toBe(0);

    // The inbox (conversation.v1, as the console lists it) flags the guest's conversation.
    const staff = staffClient(conversation);
    try {
      const listed = await rpc(staff, staff.listConversations, {
        businessId: 'bistro',
        mode: 0,
        pageSize: 0,
        pageToken: '',
        query: guest.id,
        handoff: 0,
      });
      expect(listed.conversations.map((c) => c.lowRating)).toEqual([2]);
    } finally {
      staff.close();
    }
  });
});
