import { randomUUID } from 'node:crypto';
import { status } from '@grpc/grpc-js';
import { DeliverPolicy } from '@nats-io/jetstream';
import { loadSenderConfig } from '@reserveit/config';
import { type OutboundEvent, outboundEventSchema, topology } from '@reserveit/contracts';
import { errorCodeOf } from '@reserveit/rpc';
import { ConversationMode, Direction } from '@reserveit/rpc/conversation/v1/conversation';
import { createLogger } from '@reserveit/telemetry';
import { type FakeGraphApi, startFakeGraphApi } from '@reserveit/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// The real sender, started in-process from its own start function (a test may; services may not).
import { type RunningSender, startSender } from '../../sender/src/server.js';
import type { RunningConversation } from '../src/index.js';
import {
  conversationUnderTest,
  guestSays,
  type Neighbours,
  newGuest,
  rpc,
  staffClient,
  startNeighbours,
  until,
} from './conversation-under-test.js';

const ACCESS_TOKEN = 'staff-reply-test-token';

let neighbours: Neighbours;
let graph: FakeGraphApi;
let sender: RunningSender;
let conversation: RunningConversation;
/** What became of each send, as the sender reports it on OUTBOUND. */
const outcomes: OutboundEvent[] = [];
let stopWatching: () => Promise<void>;

beforeAll(async () => {
  neighbours = await startNeighbours();
  graph = await startFakeGraphApi({ accessToken: ACCESS_TOKEN });
  const { nats, database } = neighbours;
  sender = await startSender(
    loadSenderConfig({
      NATS_URL: nats.url,
      NATS_PREFIX: nats.prefix,
      DATABASE_URL: database.url,
      LOG_LEVEL: 'silent',
      SENDER_HOST: '127.0.0.1',
      SENDER_HTTP_PORT: '0',
      WHATSAPP_ACCESS_TOKEN: ACCESS_TOKEN,
      WHATSAPP_GRAPH_BASE_URL: graph.baseUrl,
      SENDER_POLL_MS: '100',
    }),
    createLogger('sender-test', 'silent'),
  );
  conversation = await conversationUnderTest(neighbours);
  const t = topology(nats.prefix);
  // Commands and outcomes share the stream; the outcomes are those the schema reads.
  const consumer = await nats.js.consumers.get(t.streams.outbound.name, {
    deliver_policy: DeliverPolicy.All,
  });
  const messages = await consumer.consume();
  void (async () => {
    for await (const message of messages) {
      const event = outboundEventSchema.safeParse(message.json());
      if (event.success) outcomes.push(event.data);
    }
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

/** Text messages Meta was asked to send, by body. */
/** The id of the guest's conversation, once the service has listed it. */
async function conversationOf(staff: ReturnType<typeof staffClient>, guestId: string): Promise<string> {
  const listed = async () =>
    (
      await rpc(staff, staff.listConversations, { businessId: '', mode: 0, pageSize: 200, pageToken: '' })
    ).conversations.find((c) => c.guestId === guestId)?.id ?? '';
  await expect.poll(listed, { timeout: 15_000 }).not.toBe('');
  return listed();
}

const textsSent = (body: string) =>
  graph.requests.filter((request) => {
    const sent = request.body as { type?: string; text?: { body?: string } };
    return request.status === 200 && sent.type === 'text' && sent.text?.body === body;
  });

describe('conversation.v1 Reply, through the sender to the Graph API', () => {
  it('sends a staff member’s text to the guest exactly once while the conversation is taken over, and refuses it otherwise', async () => {
    const guest = { id: newGuest(), name: 'Sam' };
    const { nats } = neighbours;
    await guestSays(nats.js, nats.prefix, guest, { text: 'hello' });
    const staff = staffClient(conversation);
    try {
      const conversationId = await conversationOf(staff, guest.id);

      // The assistant answers this conversation: a staff reply is refused, and nothing is sent.
      const early = 'Hi Sam, are you still there?';
      const refused = await rpc(staff, staff.reply, {
        conversationId,
        staff: 'maria',
        text: early,
        requestId: '',
      }).catch((error: unknown) => error);
      expect(refused).toMatchObject({ code: status.FAILED_PRECONDITION });
      expect(errorCodeOf(refused)).toBe('NOT_HANDED_OFF');

      await rpc(staff, staff.handoff, { conversationId, staff: 'maria', requestId: '' });
      const text = 'Hi Sam, Maria from Bistro Dubai here. How can I help?';
      const sent = await rpc(staff, staff.reply, { conversationId, staff: 'maria', text, requestId: '' });
      expect(sent.conversation?.mode).toBe(ConversationMode.CONVERSATION_MODE_HUMAN);
      expect(sent.messageId).toMatch(new RegExp(`^${conversationId}:staff:[0-9a-f-]{36}:1$`));

      // Delivered: the sender reports the send done, and Meta was asked once, with the dedupe key.
      await until(
        () =>
          outcomes.some((event) => event.id === sent.messageId && event.type === 'whatsapp.send.succeeded'),
        () => `the sender's outcome of ${sent.messageId}; outcomes: ${outcomes.map((e) => e.id).join(', ')}`,
        20_000,
      );
      const requests = textsSent(text);
      expect(requests).toHaveLength(1);
      expect(requests[0]?.body).toMatchObject({
        to: guest.id,
        type: 'text',
        text: { body: text },
        biz_opaque_callback_data: sent.messageId,
      });
      expect(textsSent(early)).toEqual([]);

      // It is the restaurant's turn in the history, after the guest's greeting and the assistant's answer.
      const history = await rpc(staff, staff.getConversation, { conversationId, messageLimit: 0 });
      expect(
        history.messages.map((m) => [m.direction, m.id === sent.messageId ? m.text : m.text.split('\n')[0]]),
      ).toEqual([
        [Direction.DIRECTION_INBOUND, 'hello'],
        [Direction.DIRECTION_OUTBOUND, 'Welcome to Bistro Dubai!'],
        [Direction.DIRECTION_OUTBOUND, text],
      ]);
    } finally {
      staff.close();
    }
  });

  it('sends a reply retried with the same request id once, and answers the retry with the same message id', async () => {
    const guest = { id: newGuest(), name: 'Noor' };
    const { nats } = neighbours;
    await guestSays(nats.js, nats.prefix, guest, { text: 'hello' });
    const staff = staffClient(conversation);
    try {
      const conversationId = await conversationOf(staff, guest.id);
      const takeOver = { conversationId, staff: 'omar', requestId: randomUUID() };
      await rpc(staff, staff.handoff, takeOver);
      await rpc(staff, staff.handoff, takeOver);

      const text = 'Noor, your table by the window is ready for you.';
      const request = { conversationId, staff: 'omar', text, requestId: randomUUID() };
      const first = await rpc(staff, staff.reply, request);
      const again = await rpc(staff, staff.reply, request);
      expect(again.messageId).toBe(first.messageId);
      expect(first.messageId).toBe(`${conversationId}:staff:${request.requestId}:1`);

      await until(
        () =>
          outcomes.some((event) => event.id === first.messageId && event.type === 'whatsapp.send.succeeded'),
        () => `the sender's outcome of ${first.messageId}`,
        20_000,
      );
      expect(textsSent(text)).toHaveLength(1);
      const history = await rpc(staff, staff.getConversation, { conversationId, messageLimit: 0 });
      expect(history.messages.filter((m) => m.text === text)).toHaveLength(1);

      const malformed = await rpc(staff, staff.reply, { ...request, requestId: 'not-a-uuid' }).catch(
        (error: unknown) => error,
      );
      expect(malformed).toMatchObject({ code: status.INVALID_ARGUMENT });
    } finally {
      staff.close();
    }
  });
});
