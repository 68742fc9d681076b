import type { Msg, Subscription } from '@nats-io/transport-node';
import { outboundEventSchema, partitionOf, topology } from '@reserveit/contracts';
import { DEV_WHATSAPP, newWamid } from '@reserveit/localstack';
import { DEAD_LETTER_HEADERS } from '@reserveit/messaging';
import { graphError } from '@reserveit/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messageWebhook } from '../src/index.js';
import {
  eventually,
  printOutputOnFailure,
  type SystemUnderTest,
  systemUnderTest,
} from './system-under-test.js';

const DUPLICATE_WINDOW_S = 2;
const MAX_DELIVER = 3;

let sut: SystemUnderTest;
beforeAll(async () => {
  sut = await systemUnderTest({
    env: { NATS_DUPLICATE_WINDOW_SECONDS: String(DUPLICATE_WINDOW_S) },
    serviceEnv: {
      conversation: { CONVERSATION_MAX_DELIVER: String(MAX_DELIVER), CONVERSATION_RETRY_BASE_MS: '100' },
      sender: { SENDER_RETRY_BASE_MS: '300' },
    },
  });
}, 120_000);
afterAll(async () => {
  await sut?.stop();
});
printOutputOnFailure(() => sut);

let guestNumber = 200;
const newGuest = (name = 'Sam') => ({ waId: `9715000${++guestNumber}`, name });

/** Inbound events stored for a guest: proves whether a redelivery made it into the stream. */
async function storedInbound(waId: string): Promise<number> {
  const t = topology(sut.nats.prefix);
  const subject = t.subjects.inboundMessage(DEV_WHATSAPP.phoneNumberId, waId);
  const info = await sut.nats.jsm.streams.info(t.streams.whatsapp.name, { subjects_filter: subject });
  return info.state.subjects?.[subject] ?? 0;
}

/** True once the guest's partition consumer has nothing pending or unacknowledged. */
async function conversationCaughtUp(waId: string): Promise<boolean> {
  const t = topology(sut.nats.prefix);
  const info = await sut.nats.jsm.consumers.info(
    t.streams.whatsapp.name,
    `conversation-p${partitionOf(DEV_WHATSAPP.phoneNumberId, waId)}`,
  );
  return info.num_pending === 0 && info.num_ack_pending === 0;
}

function collect(subject: string): { messages: Msg[]; sub: Subscription } {
  const messages: Msg[] = [];
  const sub = sut.nats.nc.subscribe(subject, {
    callback: (_, msg) => {
      messages.push(msg);
    },
  });
  return { messages, sub };
}

describe('exactly once, end to end', () => {
  it('answers a webhook Meta delivers 5 times at once with one reply, and again once it comes back after the duplicate window', async () => {
    const { whatsapp } = sut;
    const guest = newGuest();
    const wamid = newWamid();
    const body = messageWebhook(
      guest,
      { type: 'text', text: { body: 'What are your opening hours?' } },
      wamid,
    );

    const statuses = await Promise.all(Array.from({ length: 5 }, () => whatsapp.post(body)));
    expect(statuses).toEqual([200, 200, 200, 200, 200]);
    // The first message of a conversation gets the branded greeting and the answer in one message.
    const replies = await whatsapp.answerTo(wamid, { settleMs: 500 });
    expect(replies.map((r) => r.text.split('\n').slice(0, 2))).toEqual([
      [expect.stringMatching(/^Welcome to Al Fanar Demo Kitchen!/), 'Our opening hours:'],
    ]);
    expect(new Set(replies.map((r) => r.key)).size).toBe(1);
    expect(await storedInbound(guest.waId)).toBe(1);

    // Past the window the stream takes the same Msg-Id again; the conversation's inbox must not.
    await new Promise((resolve) => setTimeout(resolve, DUPLICATE_WINDOW_S * 1000 + 500));
    expect(await whatsapp.post(body)).toBe(200);
    await eventually('the late copy in the stream', async () =>
      (await storedInbound(guest.waId)) === 2 ? true : undefined,
    );
    await eventually('the conversation to handle it', async () =>
      (await conversationCaughtUp(guest.waId)) ? true : undefined,
    );
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(whatsapp.replies().filter((r) => r.to === guest.waId)).toEqual(replies);
  });
});

describe('Graph API errors', () => {
  it('sends a reply once more after a backoff when the Graph API answers 130429 (rate limit), and the guest gets it once', async () => {
    const { whatsapp } = sut;
    const guest = newGuest();
    let failed = 0;
    whatsapp.respond((request) => {
      const body = request.body as { to?: string };
      if (body.to !== guest.waId || failed > 0) return undefined;
      failed++;
      return { status: 400, body: graphError(130429) };
    });
    try {
      const wamid = await whatsapp.text(guest, 'Hello');
      const replies = await whatsapp.answerTo(wamid);
      expect(replies).toHaveLength(1);
      const attempts = whatsapp.replies().filter((r) => r.key === replies[0]?.key);
      expect(attempts.map((r) => r.status)).toEqual([400, 200]);
      const [first, second] = attempts;
      // SENDER_RETRY_BASE_MS 300 with equal jitter: at least half of it.
      expect((second?.at.getTime() ?? 0) - (first?.at.getTime() ?? 0)).toBeGreaterThanOrEqual(150);
    } finally {
      whatsapp.respond(undefined);
    }
  });

  it('publishes whatsapp.send.failed with code 131047 and does not retry when the guest is outside the 24-hour window', async () => {
    const { whatsapp } = sut;
    const guest = newGuest();
    whatsapp.respond((request) =>
      (request.body as { to?: string }).to === guest.waId
        ? { status: 400, body: graphError(131047) }
        : undefined,
    );
    const outcomes = collect(topology(sut.nats.prefix).subjects.outboundEventAll);
    await sut.nats.nc.flush();
    try {
      const wamid = await whatsapp.text(guest, 'Hello');
      const failure = await eventually('a whatsapp.send.failed event', () =>
        outcomes.messages
          .map((m) => outboundEventSchema.parse(m.json()))
          .find((e) => e.type === 'whatsapp.send.failed' && e.id.includes(wamid)),
      );
      expect(failure).toMatchObject({
        type: 'whatsapp.send.failed',
        code: 131047,
        attempts: 1,
        exhausted: false,
      });
      // Longer than the retry base: a retry would have come by now.
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      const attempts = whatsapp.replies().filter((r) => r.to === guest.waId);
      expect(attempts).toHaveLength(1);
      expect(attempts[0]).toMatchObject({ key: failure.id, status: 400 });
    } finally {
      outcomes.sub.unsubscribe();
      whatsapp.respond(undefined);
    }
  });
});

describe('a poison message', () => {
  it('is dead-lettered after its attempts and the same guest is answered again next time', async () => {
    const { whatsapp } = sut;
    const guest = newGuest();
    const t = topology(sut.nats.prefix);
    // An event on the guest's subject that the contract refuses (a producer bug, a hand-made
    // publish): the handler fails on every attempt. Ingress never publishes one, so it is put
    // on the stream directly.
    const poison = `poison-${guest.waId}`;
    await sut.nats.js.publish(
      t.subjects.inboundMessage(DEV_WHATSAPP.phoneNumberId, guest.waId),
      JSON.stringify({ v: 1, type: 'whatsapp.message.received', phoneNumberId: DEV_WHATSAPP.phoneNumberId }),
      { msgID: poison },
    );
    const deadLetter = await eventually(
      'the dead letter',
      async () => {
        const found = await sut.nats.jsm.streams
          .getMessage(t.streams.deadLetters.name, { last_by_subj: t.subjects.deadLetter('conversation') })
          .catch(() => null);
        return found ?? undefined;
      },
      20_000,
    );
    expect(deadLetter.header.get(DEAD_LETTER_HEADERS.msgId)).toBe(poison);
    expect(deadLetter.header.get(DEAD_LETTER_HEADERS.deliveries)).toBe(String(MAX_DELIVER));
    expect(deadLetter.header.get(DEAD_LETTER_HEADERS.error)).toContain('ZodError');

    // Meta delivers any UTF-16 a phone produced; U+0000 (which Postgres cannot store) used to
    // make a message like this one poison. Now it is cleaned and answered.
    const next = await whatsapp.text(guest, 'Hi\u0000');
    const replies = await whatsapp.answerTo(next);
    expect(replies[0]?.text).toContain('Welcome to Al Fanar Demo Kitchen!');
  });
});
