import { randomUUID } from 'node:crypto';
import { status } from '@grpc/grpc-js';
import { DeliverPolicy } from '@nats-io/jetstream';
import {
  type OutboundEvent,
  outboundEventSchema,
  type SendRequested,
  sendRequestedSchema,
  topology,
} from '@reserveit/contracts';
import { publish } from '@reserveit/messaging';
import { errorCodeOf } from '@reserveit/rpc';
import { ConversationMode, Direction, HandoffFilter } from '@reserveit/rpc/conversation/v1/conversation';
import { type FakeGraphApi, graphError, startFakeGraphApi, statusReceivedEvent } from '@reserveit/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSender } from '../../sender/src/server.js';
import type { RunningConversation } from '../src/index.js';
import { actionIdOf } from '../src/pipeline.js';
import {
  conversationUnderTest,
  guestSays,
  type Neighbours,
  newGuest,
  PHONE_NUMBER_ID,
  rpc,
  senderBeside,
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
/** The commands the conversation service put on OUTBOUND. */
const commands: SendRequested[] = [];
/** Added to the conversation service's clock: a guest can have written a day ago. */
let clockOffsetMs = 0;
let stopWatching: () => Promise<void>;

beforeAll(async () => {
  neighbours = await startNeighbours();
  graph = await startFakeGraphApi({ accessToken: ACCESS_TOKEN });
  const { nats } = neighbours;
  sender = await senderBeside(neighbours, graph.baseUrl, ACCESS_TOKEN);
  conversation = await conversationUnderTest(neighbours, {}, { now: () => Date.now() + clockOffsetMs });
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
      const command = sendRequestedSchema.safeParse(message.json());
      if (command.success) commands.push(command.data);
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

/** The id of the guest's conversation, once the service has listed it. */
async function conversationOf(staff: ReturnType<typeof staffClient>, guestId: string): Promise<string> {
  const listed = async () =>
    (
      await rpc(staff, staff.listConversations, {
        businessId: 'bistro',
        mode: 0,
        pageSize: 200,
        pageToken: '',
        query: '',
        handoff: 0,
      })
    ).conversations.find((c) => c.guestId === guestId)?.id ?? '';
  await expect.poll(listed, { timeout: 15_000 }).not.toBe('');
  return listed();
}

/** What a Reply needs besides its own fields: no business scope, no request id, no template. */
const SCOPE = { businessId: 'bistro', requestId: '', template: undefined };

/** Text messages Meta was asked to send, by body. */
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
        businessId: 'bistro',
        template: undefined,
      }).catch((error: unknown) => error);
      expect(refused).toMatchObject({ code: status.FAILED_PRECONDITION });
      expect(errorCodeOf(refused)).toBe('NOT_HANDED_OFF');

      await rpc(staff, staff.handoff, {
        conversationId,
        staff: 'maria',
        requestId: '',
        businessId: 'bistro',
      });
      const text = 'Hi Sam, Maria from Bistro Dubai here. How can I help?';
      const sent = await rpc(staff, staff.reply, { ...SCOPE, conversationId, staff: 'maria', text });
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
      const history = await rpc(staff, staff.getConversation, {
        conversationId,
        messageLimit: 0,
        businessId: 'bistro',
      });
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
      const takeOver = { conversationId, staff: 'omar', requestId: randomUUID(), businessId: 'bistro' };
      await rpc(staff, staff.handoff, takeOver);
      await rpc(staff, staff.handoff, takeOver);

      const text = 'Noor, your table by the window is ready for you.';
      const request = { ...SCOPE, conversationId, staff: 'omar', text, requestId: randomUUID() };
      const first = await rpc(staff, staff.reply, request);
      const again = await rpc(staff, staff.reply, request);
      expect(again.messageId).toBe(first.messageId);
      expect(first.messageId).toBe(
        `${conversationId}:staff:${actionIdOf(conversationId, 'staffReply', request.requestId)}:1`,
      );

      await until(
        () =>
          outcomes.some((event) => event.id === first.messageId && event.type === 'whatsapp.send.succeeded'),
        () => `the sender's outcome of ${first.messageId}`,
        20_000,
      );
      expect(textsSent(text)).toHaveLength(1);
      const history = await rpc(staff, staff.getConversation, {
        conversationId,
        messageLimit: 0,
        businessId: 'bistro',
      });
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

type Staff = ReturnType<typeof staffClient>;

/** The conversation as the inbox lists it, found by the guest's id. */
async function listed(staff: Staff, guestId: string, query = '') {
  const page = await rpc(staff, staff.listConversations, {
    businessId: 'bistro',
    mode: 0,
    pageSize: 200,
    pageToken: '',
    query,
    handoff: 0,
  });
  return page.conversations.find((c) => c.guestId === guestId);
}

async function history(staff: Staff, conversationId: string) {
  return rpc(staff, staff.getConversation, { conversationId, messageLimit: 0, businessId: 'bistro' });
}

/** Publishes a status webhook event as ingress would, on WHATSAPP under its Msg-Id `<wamid>:<status>`. */
async function metaReports(guestId: string, wamid: string, status: string, callbackKey?: string) {
  const { nats } = neighbours;
  const event = statusReceivedEvent({
    wamid,
    status,
    phoneNumberId: PHONE_NUMBER_ID,
    recipient: guestId,
    ...(callbackKey ? { callbackKey } : {}),
  });
  await publish(nats.js, {
    subject: topology(nats.prefix).subjects.inboundStatus(PHONE_NUMBER_ID, guestId),
    msgId: event.id,
    timeoutMs: 5_000,
    data: JSON.stringify(event),
  });
}

/** The error a call failed with (it must fail). */
const failure = (call: Promise<unknown>) =>
  call.then(
    () => {
      throw new Error('the call succeeded');
    },
    (error: unknown) => error as { code: number; details: string },
  );

describe('conversation.v1 for the staff console’s inbox', () => {
  it('answers every call naming another business’s conversation NOT_FOUND, exactly as an unknown id', async () => {
    const guest = { id: newGuest(), name: 'Karim' };
    const { nats } = neighbours;
    await guestSays(nats.js, nats.prefix, guest, { text: 'hello' });
    // The token admits the other restaurant, so what answers is the service's own scoping.
    const staff = staffClient(conversation, ['bistro', 'another-restaurant']);
    try {
      const conversationId = await conversationOf(staff, guest.id);
      const calls = (id: string, businessId: string) => ({
        getConversation: () =>
          rpc(staff, staff.getConversation, { conversationId: id, messageLimit: 0, businessId }),
        handoff: () =>
          rpc(staff, staff.handoff, { conversationId: id, staff: 'maria', requestId: '', businessId }),
        release: () =>
          rpc(staff, staff.release, { conversationId: id, staff: 'maria', requestId: '', businessId }),
        reply: () =>
          rpc(staff, staff.reply, { ...SCOPE, conversationId: id, staff: 'maria', text: 'hi', businessId }),
        markRead: () => rpc(staff, staff.markRead, { conversationId: id, staff: 'maria', businessId }),
      });
      const foreign = calls(conversationId, 'another-restaurant');
      const unknown = calls('c_unknown', 'another-restaurant');
      for (const name of Object.keys(foreign) as (keyof typeof foreign)[]) {
        const [theirs, nobodys] = await Promise.all([failure(foreign[name]()), failure(unknown[name]())]);
        expect(theirs, name).toMatchObject({ code: status.NOT_FOUND });
        expect(errorCodeOf(theirs), name).toBe('NOT_FOUND');
        expect(theirs.details.replace(conversationId, '<id>'), name).toBe(
          nobodys.details.replace('c_unknown', '<id>'),
        );
      }
      // Nothing was taken over meanwhile, and the own business reaches it.
      const own = await rpc(staff, staff.handoff, {
        conversationId,
        staff: 'maria',
        requestId: '',
        businessId: 'bistro',
      });
      expect(own.conversation).toMatchObject({ id: conversationId, takenBy: 'maria' });
      expect((await history(staff, conversationId)).conversation?.id).toBe(conversationId);
    } finally {
      staff.close();
    }
  });

  it('finds guests by a part of their name in any case, or by the last digits of their number, a page at a time', async () => {
    const { nats } = neighbours;
    const tag = randomUUID().slice(0, 8);
    const guests = [0, 1, 2].map((n) => ({ id: newGuest(), name: `Zainab ${tag} Haddad ${n}` }));
    const other = { id: newGuest(), name: 'Someone Else' };
    for (const guest of [...guests, other]) await guestSays(nats.js, nats.prefix, guest, { text: 'hello' });
    const staff = staffClient(conversation);
    try {
      for (const guest of [...guests, other]) await conversationOf(staff, guest.id);
      const search = async (query: string, pageToken = '', pageSize = 200) =>
        rpc(staff, staff.listConversations, {
          businessId: 'bistro',
          mode: 0,
          pageSize,
          pageToken,
          query,
          handoff: 0,
        });

      const byName = await search(`${tag.toUpperCase()} hAdDaD`);
      expect(byName.conversations.map((c) => c.guestId).sort()).toEqual(guests.map((g) => g.id).sort());

      const first = await search(tag, '', 2);
      expect(first.conversations).toHaveLength(2);
      expect(first.nextPageToken).not.toBe('');
      const second = await search(tag, first.nextPageToken, 2);
      expect(second.nextPageToken).toBe('');
      expect([...first.conversations, ...second.conversations].map((c) => c.guestId).sort()).toEqual(
        guests.map((g) => g.id).sort(),
      );

      // Staff type the end of the number as the guest gave it, with spaces and dashes.
      const last = other.id.slice(-7);
      const byDigits = await search(`${last.slice(0, 3)} ${last.slice(3, 5)}-${last.slice(5)}`);
      expect(byDigits.conversations.map((c) => c.guestId)).toContain(other.id);
      expect(byDigits.conversations.every((c) => c.guestId.endsWith(last))).toBe(true);
      expect((await search(`+${other.id}`)).conversations.map((c) => c.guestId)).toEqual([other.id]);
      // Digits inside the number are no match: the search is for its end.
      expect((await search(other.id.slice(1, 8))).conversations.map((c) => c.guestId)).not.toContain(
        other.id,
      );
      expect((await search('nobody-is-called-this')).conversations).toEqual([]);
    } finally {
      staff.close();
    }
  });

  it('counts the guest’s messages unread until MarkRead, and shows the last message and when the guest wrote', async () => {
    const guest = { id: newGuest(), name: 'Lina' };
    const { nats } = neighbours;
    await guestSays(nats.js, nats.prefix, guest, { text: 'hello' });
    const staff = staffClient(conversation);
    try {
      const conversationId = await conversationOf(staff, guest.id);
      expect((await listed(staff, guest.id))?.unreadCount).toBe(1);
      const before = Date.now();
      await guestSays(nats.js, nats.prefix, guest, { text: 'what are your hours?' });
      await expect
        .poll(async () => (await listed(staff, guest.id))?.unreadCount, { timeout: 15_000 })
        .toBe(2);

      const read = await rpc(staff, staff.markRead, { conversationId, staff: 'maria', businessId: 'bistro' });
      expect(read.conversation?.unreadCount).toBe(0);
      expect((await listed(staff, guest.id))?.unreadCount).toBe(0);
      const lastInbound = Date.parse((await listed(staff, guest.id))?.lastInboundAt ?? '');
      expect(lastInbound).toBeGreaterThanOrEqual(before - 1_000);
      expect(lastInbound).toBeLessThanOrEqual(Date.now());

      await guestSays(nats.js, nats.prefix, guest, { text: 'thank you' });
      await expect
        .poll(async () => (await listed(staff, guest.id))?.unreadCount, { timeout: 15_000 })
        .toBe(1);
      // The preview is the history's last message, the assistant's answer here, cut to 120 characters.
      await expect
        .poll(async () => (await listed(staff, guest.id))?.lastMessagePreview, { timeout: 15_000 })
        .toBe("You're welcome!");
      await rpc(staff, staff.handoff, {
        conversationId,
        staff: 'maria',
        requestId: '',
        businessId: 'bistro',
      });
      const long = `Lina, ${'we look forward to seeing you. '.repeat(8)}`;
      const replied = await rpc(staff, staff.reply, { ...SCOPE, conversationId, staff: 'maria', text: long });
      expect(replied.conversation?.lastMessagePreview).toBe(long.trim().slice(0, 120));
      // Staff writing is not the guest writing.
      expect(replied.conversation?.unreadCount).toBe(1);
    } finally {
      staff.close();
    }
  });

  it('shows since when a guest waits for a person until staff take it over, and who has it', async () => {
    const { nats } = neighbours;
    const staff = staffClient(conversation);
    try {
      const waiting = { id: newGuest(), name: 'Omar' };
      await guestSays(nats.js, nats.prefix, waiting, { text: 'hello' });
      const conversationId = await conversationOf(staff, waiting.id);
      expect(await listed(staff, waiting.id)).toMatchObject({ waitingSince: '', takenBy: '' });
      const asked = Date.now();
      await guestSays(nats.js, nats.prefix, waiting, { text: 'I want to talk to a human' });
      await expect
        .poll(async () => (await listed(staff, waiting.id))?.waitingSince, { timeout: 15_000 })
        .not.toBe('');
      const queued = await listed(staff, waiting.id);
      expect(queued).toMatchObject({ mode: ConversationMode.CONVERSATION_MODE_HUMAN, takenBy: '' });
      expect(Date.parse(queued?.waitingSince ?? '')).toBeGreaterThanOrEqual(asked - 1_000);
      const inbox = async (handoff: HandoffFilter) =>
        (
          await rpc(staff, staff.listConversations, {
            businessId: 'bistro',
            mode: ConversationMode.CONVERSATION_MODE_HUMAN,
            pageSize: 200,
            pageToken: '',
            query: '',
            handoff,
          })
        ).conversations.map((c) => c.id);
      expect(await inbox(HandoffFilter.HANDOFF_FILTER_WAITING)).toContain(conversationId);
      expect(await inbox(HandoffFilter.HANDOFF_FILTER_TAKEN)).not.toContain(conversationId);

      const taken = await rpc(staff, staff.handoff, {
        conversationId,
        staff: 'maria',
        requestId: '',
        businessId: 'bistro',
      });
      expect(taken.conversation).toMatchObject({ waitingSince: '', takenBy: 'maria' });
      expect(await inbox(HandoffFilter.HANDOFF_FILTER_WAITING)).not.toContain(conversationId);
      expect(await inbox(HandoffFilter.HANDOFF_FILTER_TAKEN)).toContain(conversationId);
      const released = await rpc(staff, staff.release, {
        conversationId,
        staff: 'maria',
        requestId: '',
        businessId: 'bistro',
      });
      expect(released.conversation).toMatchObject({
        mode: ConversationMode.CONVERSATION_MODE_BOT,
        waitingSince: '',
        takenBy: '',
      });

      // A reply to a guest nobody took over ends the wait too, and the writer has the conversation.
      const answered = { id: newGuest(), name: 'Huda' };
      await guestSays(nats.js, nats.prefix, answered, { text: 'hello' });
      const answeredId = await conversationOf(staff, answered.id);
      await guestSays(nats.js, nats.prefix, answered, { text: 'I want to talk to a human' });
      await expect
        .poll(async () => (await listed(staff, answered.id))?.waitingSince, { timeout: 15_000 })
        .not.toBe('');
      const reply = await rpc(staff, staff.reply, {
        ...SCOPE,
        conversationId: answeredId,
        staff: 'omar',
        text: 'Omar here, how can I help?',
      });
      expect(reply.conversation).toMatchObject({ waitingSince: '', takenBy: 'omar' });
    } finally {
      staff.close();
    }
  });

  it('shows each reply’s ticks from the sender’s outcome and Meta’s statuses, out of order and repeated, and never backwards', async () => {
    const guest = { id: newGuest(), name: 'Rami' };
    const { nats } = neighbours;
    await guestSays(nats.js, nats.prefix, guest, { text: 'hello' });
    const staff = staffClient(conversation);
    try {
      const conversationId = await conversationOf(staff, guest.id);
      await rpc(staff, staff.handoff, {
        conversationId,
        staff: 'maria',
        requestId: '',
        businessId: 'bistro',
      });
      const text = 'Rami, your table is ready.';
      const { messageId } = await rpc(staff, staff.reply, { ...SCOPE, conversationId, staff: 'maria', text });
      const tick = async (id: string) =>
        (await history(staff, conversationId)).messages.find((m) => m.id === id);
      // Pending until the sender's outcome is projected, which may already have happened.
      const first = await tick(messageId);
      expect(first).toMatchObject({ author: 'staff:maria', error: '' });
      expect(['pending', 'sent']).toContain(first?.status);

      await until(
        () => outcomes.some((event) => event.id === messageId && event.type === 'whatsapp.send.succeeded'),
        () => `the sender's outcome of ${messageId}`,
        20_000,
      );
      const outcome = outcomes.find((event) => event.id === messageId);
      const wamid = outcome?.type === 'whatsapp.send.succeeded' ? (outcome.wamid ?? '') : '';
      await expect.poll(async () => (await tick(messageId))?.status, { timeout: 15_000 }).toBe('sent');

      // Read overtakes delivered; repeats and a late `sent` change nothing.
      await metaReports(guest.id, wamid, 'delivered', messageId);
      await expect.poll(async () => (await tick(messageId))?.status, { timeout: 15_000 }).toBe('delivered');
      await metaReports(guest.id, wamid, 'read', messageId);
      await expect.poll(async () => (await tick(messageId))?.status, { timeout: 15_000 }).toBe('read');
      await metaReports(guest.id, wamid, 'delivered', messageId);
      await metaReports(guest.id, wamid, 'sent', messageId);
      await metaReports(guest.id, wamid, 'read', messageId);

      // The greeting the assistant sent: read reported before delivered, by wamid alone (no key echoed).
      const greeting = (await history(staff, conversationId)).messages.find((m) => m.author === 'bot');
      const greetingId = greeting?.id ?? '';
      await until(
        () => outcomes.some((event) => event.id === greetingId && event.type === 'whatsapp.send.succeeded'),
        () => `the sender's outcome of ${greetingId}`,
        20_000,
      );
      const greetingOutcome = outcomes.find((event) => event.id === greetingId);
      const greetingWamid =
        greetingOutcome?.type === 'whatsapp.send.succeeded' ? (greetingOutcome.wamid ?? '') : '';
      await metaReports(guest.id, greetingWamid, 'read');
      await metaReports(guest.id, greetingWamid, 'delivered');
      await expect.poll(async () => (await tick(greetingId))?.status, { timeout: 15_000 }).toBe('read');

      // A send Meta refused: failed with its code, and a later `sent` does not hide it.
      graph.respondWith((request) => {
        const body = request.body as { text?: { body?: string } };
        return body.text?.body === 'This one fails.' ? { status: 400, body: graphError(131026) } : undefined;
      });
      const failed = await rpc(staff, staff.reply, {
        ...SCOPE,
        conversationId,
        staff: 'maria',
        text: 'This one fails.',
      });
      await expect
        .poll(async () => (await tick(failed.messageId))?.status, { timeout: 20_000 })
        .toBe('failed');
      expect((await tick(failed.messageId))?.error).toMatch(/^131026: /);
      await metaReports(guest.id, 'wamid.never-sent', 'sent', failed.messageId);
      for (const deadline = Date.now() + 1_000; Date.now() < deadline; )
        expect((await tick(failed.messageId))?.status).toBe('failed');

      const messages = (await history(staff, conversationId)).messages;
      expect(messages.map((m) => [m.author, m.status])).toEqual([
        ['guest', ''],
        ['bot', 'read'],
        ['staff:maria', 'read'],
        ['staff:maria', 'failed'],
      ]);
    } finally {
      graph.respondWith(undefined);
      staff.close();
    }
  });

  it('refuses free text once the guest’s last message is a day old, and sends a template through the same exactly-once path', async () => {
    const guest = { id: newGuest(), name: 'Sara' };
    const { nats } = neighbours;
    const staff = staffClient(conversation);
    const day = 24 * 60 * 60_000;
    try {
      // The guest wrote 25 hours ago, as far as the service's clock is concerned.
      clockOffsetMs = -(day + 60 * 60_000);
      await guestSays(nats.js, nats.prefix, guest, { text: 'hello' });
      const conversationId = await conversationOf(staff, guest.id);
      clockOffsetMs = 0;
      const taken = await rpc(staff, staff.handoff, {
        conversationId,
        staff: 'maria',
        requestId: '',
        businessId: 'bistro',
      });
      expect(Date.now() - Date.parse(taken.conversation?.lastInboundAt ?? '')).toBeGreaterThan(day);

      const refused = await failure(
        rpc(staff, staff.reply, { ...SCOPE, conversationId, staff: 'maria', text: 'Are you coming?' }),
      );
      expect(refused).toMatchObject({ code: status.FAILED_PRECONDITION });
      expect(errorCodeOf(refused)).toBe('OUTSIDE_WINDOW');
      expect(refused.details).toMatch(/24 hours.*template/);

      const both = await failure(
        rpc(staff, staff.reply, {
          ...SCOPE,
          conversationId,
          staff: 'maria',
          text: 'Are you coming?',
          template: { name: 'table_ready', language: 'en', bodyParameters: [] },
        }),
      );
      expect(both).toMatchObject({ code: status.INVALID_ARGUMENT });
      const broken = await failure(
        rpc(staff, staff.reply, {
          ...SCOPE,
          conversationId,
          staff: 'maria',
          text: '',
          template: { name: 'table_ready', language: 'en', bodyParameters: ['two\nlines'] },
        }),
      );
      expect(broken).toMatchObject({ code: status.INVALID_ARGUMENT });

      const requestId = randomUUID();
      const template = { name: 'table_ready', language: 'en_US', bodyParameters: ['Sara', '8 pm'] };
      const request = { ...SCOPE, conversationId, staff: 'maria', text: '', template, requestId };
      const sent = await rpc(staff, staff.reply, request);
      expect(sent.messageId).toBe(
        `${conversationId}:staff:${actionIdOf(conversationId, 'staffReply', requestId)}:1`,
      );
      expect((await rpc(staff, staff.reply, request)).messageId).toBe(sent.messageId);

      await until(
        () =>
          outcomes.some((event) => event.id === sent.messageId && event.type === 'whatsapp.send.succeeded'),
        () => `the sender's outcome of ${sent.messageId}`,
        20_000,
      );
      const components = [
        {
          type: 'body',
          parameters: [
            { type: 'text', text: 'Sara' },
            { type: 'text', text: '8 pm' },
          ],
        },
      ];
      expect(commands.filter((command) => command.id === sent.messageId)).toEqual([
        expect.objectContaining({
          phoneNumberId: PHONE_NUMBER_ID,
          to: guest.id,
          conversationId,
          message: { kind: 'template', name: 'table_ready', language: 'en_US', components },
        }),
      ]);
      const graphCalls = graph.requests.filter(
        (call) =>
          (call.body as { biz_opaque_callback_data?: string }).biz_opaque_callback_data === sent.messageId,
      );
      expect(graphCalls.map((call) => call.body)).toEqual([
        expect.objectContaining({
          to: guest.id,
          type: 'template',
          template: { name: 'table_ready', language: { code: 'en_US' }, components },
        }),
      ]);
      const shown = (await history(staff, conversationId)).messages.find((m) => m.id === sent.messageId);
      expect(shown).toMatchObject({
        kind: 'template',
        text: '[table_ready] Sara | 8 pm',
        author: 'staff:maria',
      });

      // A template, too, only goes to a conversation staff have.
      await rpc(staff, staff.release, {
        conversationId,
        staff: 'maria',
        requestId: '',
        businessId: 'bistro',
      });
      const notTaken = await failure(
        rpc(staff, staff.reply, { ...SCOPE, conversationId, staff: 'maria', text: '', template }),
      );
      expect(errorCodeOf(notTaken)).toBe('NOT_HANDED_OFF');
    } finally {
      clockOffsetMs = 0;
      staff.close();
    }
  });
});
