import { status } from '@grpc/grpc-js';
import { DEV_RPC_KEYS } from '@reserveit/config';
import { bookingReference, topology } from '@reserveit/contracts';
import { DEAD_LETTER_HEADERS } from '@reserveit/messaging';
import { errorCodeOf, tokenSigner } from '@reserveit/rpc';
import { ConversationMode, Direction } from '@reserveit/rpc/conversation/v1/conversation';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BusinessDirectory } from '../src/business-directory.js';
import type { RunningConversation } from '../src/index.js';
import { MenuCatalog } from '../src/menu-catalog.js';
import { connectUpstreams } from '../src/upstreams.js';
import {
  conversationUnderTest,
  exchange,
  guestSays,
  type Neighbours,
  newGuest,
  type Output,
  PHONE_NUMBER_ID,
  rpc,
  staffClient,
  startNeighbours,
  watchOutput,
} from './conversation-under-test.js';

let neighbours: Neighbours;
let conversation: RunningConversation;
let output: Output;

beforeAll(async () => {
  neighbours = await startNeighbours();
  conversation = await conversationUnderTest(neighbours);
  output = await watchOutput(neighbours.nats);
});

afterAll(async () => {
  await output?.stop();
  await conversation?.close(1_000);
  await neighbours?.stop();
});

const bodyOf = (message: { kind: string } | undefined) =>
  message && 'body' in message && typeof message.body === 'string' ? message.body : '';
const titlesOf = (message: { kind: string } | undefined) =>
  message?.kind === 'buttons' && 'buttons' in message
    ? (message.buttons as { title: string }[]).map((b) => b.title)
    : [];

async function guestReservations(guestId: string) {
  const list = await rpc(neighbours.reservations, neighbours.reservations.listReservations, {
    businessId: 'bistro',
    guestWaId: guestId,
    date: '',
    includeCancelled: false,
    upcomingOnly: false,
  });
  return list.reservations;
}

describe('conversation service against real NATS, Postgres, intent and reservation', () => {
  it('books a table in English over several turns; the reservation exists and each reply is the expected one', async () => {
    const guest = { id: newGuest(), name: 'Emma' };
    const { nats } = neighbours;
    const hello = await exchange(nats, output, guest, { text: 'Hi there' });
    expect(hello).toHaveLength(1);
    expect(bodyOf(hello[0])).toBe('Welcome to Bistro Dubai!\nHow can I help you today?');
    expect(titlesOf(hello[0])).toEqual(['Book a table', 'Menu', 'Opening hours']);

    const day = await exchange(nats, output, guest, { text: 'I would like to book a table for 2 tomorrow' });
    expect(day.map(bodyOf)).toEqual(['For 2 guests, noted. At what time?']);

    // Day, time and party known: the table is checked before the name is asked.
    const time = await exchange(nats, output, guest, { text: '8pm' });
    expect(bodyOf(time[0])).toMatch(
      /^Good news: there is a table for 2 guests on \w{3} \d{1,2} \w{3} at 20:00\.\nUnder which name should I book it\?/,
    );
    expect(titlesOf(time[0])).toEqual(['Emma']);

    const summary = await exchange(nats, output, guest, { tap: { id: 'name:Emma', title: 'Emma' } });
    expect(bodyOf(summary[0])).toMatch(
      /^A table for 2 guests on \w{3} \d{1,2} \w{3} at 20:00, under the name Emma\. Shall I book it\?$/,
    );
    expect(titlesOf(summary[0])).toEqual(['Confirm', 'Change', 'Cancel']);

    const booked = await exchange(nats, output, guest, { tap: { id: 'confirm:yes', title: 'Confirm' } });
    const reference =
      /^You're booked: a table for 2 guests on .* at 20:00, under Emma\. Reference ([3479ACDEFHJKMNPRTUVWXY]{6})\. See you then!$/.exec(
        bodyOf(booked[0]),
      )?.[1];

    // ListReservations reads the projection, which follows the stream a moment behind.
    await expect.poll(() => guestReservations(guest.id)).toHaveLength(1);
    const reservations = await guestReservations(guest.id);
    expect(reference).toBe(bookingReference(reservations[0]?.id ?? ''));
    expect(reservations[0]).toMatchObject({
      partySize: 2,
      time: '20:00',
      guestName: 'Emma',
      businessId: 'bistro',
    });

    // Every guest message was marked read, with the inbound wamid, by the reply that answers it:
    // no read receipt went as a command of its own.
    const reads = output.markedRead().filter((read) => read.to === guest.id);
    expect(reads).toHaveLength(5);
    expect(reads.every((read) => read.carried)).toBe(true);
    expect(new Set(reads.map((read) => read.wamid)).size).toBe(5);
  });

  it('books a table in Arabic; questions, summary and confirmation are in Arabic', async () => {
    const guest = { id: newGuest(), name: 'Mohammed Al Falasi the Second' };
    const { nats } = neighbours;
    const hello = await exchange(nats, output, guest, { text: 'السلام عليكم' });
    expect(bodyOf(hello[0])).toBe('أهلًا بك في بيسترو دبي!\nكيف يمكنني مساعدتك اليوم؟');
    expect(titlesOf(hello[0])).toEqual(['حجز طاولة', 'المنيو', 'مواعيد العمل']);

    const ask = await exchange(nats, output, guest, {
      text: 'بدي احجز طاولة لأربعة أشخاص بكرة الساعة ٨ مساء',
    });
    // The table is checked first; the profile name is over 20 characters, so no button: a plain question.
    expect(ask).toHaveLength(1);
    expect(bodyOf(ask[0])).toMatch(
      /^خبر سار: تتوفر طاولة لعدد 4 أشخاص يوم .* الساعة 20:00\.\nباسم من أسجل الحجز؟$/,
    );

    const summary = await exchange(nats, output, guest, { text: 'محمد' });
    expect(bodyOf(summary[0])).toMatch(/^طاولة لعدد 4 أشخاص يوم .* الساعة 20:00 باسم محمد\. هل أؤكد الحجز؟$/);
    expect(titlesOf(summary[0])).toEqual(['تأكيد', 'تعديل', 'إلغاء']);

    const booked = await exchange(nats, output, guest, { text: 'نعم' });
    expect(bodyOf(booked[0])).toMatch(
      /^تم الحجز: طاولة لعدد 4 أشخاص .* رقم الحجز [3479ACDEFHJKMNPRTUVWXY]{6}\. بانتظارك!$/,
    );
    await expect.poll(() => guestReservations(guest.id)).toHaveLength(1);
    const reservations = await guestReservations(guest.id);
    expect(reservations).toMatchObject([{ partySize: 4, time: '20:00', guestName: 'محمد' }]);
  });

  it('answers a redelivered message once, also when it comes back with a new Msg-Id after the duplicate window', async () => {
    const guest = { id: newGuest(), name: 'Ola' };
    const { nats } = neighbours;
    const wamid = await guestSays(nats.js, nats.prefix, guest, { text: 'What are your opening hours?' });
    await output.settled(wamid);
    // Meta's retry days later: JetStream no longer remembers the Msg-Id, so it is stored again.
    await guestSays(
      nats.js,
      nats.prefix,
      guest,
      { text: 'What are your opening hours?' },
      { wamid, msgId: `${wamid}#late` },
    );
    // A later message of the same guest is handled after the duplicate: once it is answered, the duplicate was seen.
    const after = await guestSays(nats.js, nats.prefix, guest, { text: 'thanks' });
    await output.settled(after);
    const replies = output.repliesTo(wamid);
    expect(replies).toHaveLength(1); // the greeting and the hours in one message, once
    expect(bodyOf(replies[0]?.message)).toBe(
      'Welcome to Bistro Dubai!\nOur opening hours:\nMonday–Sunday: 12:00–23:30',
    );
    // Marked read once, by the one reply.
    expect(output.markedRead().filter((read) => read.wamid === wamid)).toEqual([
      { to: guest.id, wamid, carried: true },
    ]);
    expect(replies[0]?.markRead).toBe(wamid);
  });

  it('records a message to an unknown phone_number_id and does not answer it', async () => {
    const guest = { id: newGuest() };
    const { nats } = neighbours;
    const wamid = await guestSays(
      nats.js,
      nats.prefix,
      guest,
      { text: 'hello?' },
      { phoneNumberId: '999000999' },
    );
    await output.settled(wamid);
    expect(output.commands().filter((c) => c.replyTo === wamid)).toEqual([]);
    expect(
      output
        .events()
        .filter((e) => e.causationId === wamid)
        .map((e) => e.type),
    ).toEqual(['conversation.business.unknown']);
    const metrics = await conversation.registry.getSingleMetricAsString(
      'conversation_unknown_business_total',
    );
    expect(metrics).toMatch(/conversation_unknown_business_total\{[^}]*\} [1-9]/);
  });

  it('dead-letters a poison message after its attempts, and the same guest is answered next', async () => {
    const guest = { id: newGuest(), name: 'Pat' };
    const { nats } = neighbours;
    const t = topology(nats.prefix);
    // Well-formed JSON the contract rejects (no guest): the handler fails on every attempt.
    await nats.js.publish(
      t.subjects.inboundMessage('106540352242922', guest.id),
      JSON.stringify({ v: 1, type: 'whatsapp.message.received' }),
      {
        msgID: `poison-${guest.id}`,
      },
    );
    const next = await exchange(nats, output, guest, { text: 'menu please' });
    expect(next.length).toBeGreaterThan(0);
    expect(next.some((m) => m.kind === 'list')).toBe(true);
    const dlq = await nats.jsm.streams.getMessage(t.streams.deadLetters.name, {
      last_by_subj: t.subjects.deadLetter('conversation'),
    });
    expect(dlq?.header.get(DEAD_LETTER_HEADERS.deliveries)).toBe('3');
    expect(dlq?.header.get(DEAD_LETTER_HEADERS.msgId)).toBe(`poison-${guest.id}`);
    expect(dlq?.header.get(DEAD_LETTER_HEADERS.error)).toContain('ZodError');
  });

  it('answers a text with U+0000 and an unpaired surrogate in it, which Postgres could not store as sent', async () => {
    const guest = { id: newGuest(), name: 'Nul\u0000l' };
    const replies = await exchange(neighbours.nats, output, guest, { text: 'menu\u0000 please \uD800' });
    expect(replies.some((m) => m.kind === 'list')).toBe(true);
  });

  it('lets staff take a conversation over and give it back over gRPC, and shows its history', async () => {
    const guest = { id: newGuest(), name: 'Sam' };
    const { nats } = neighbours;
    const first = await guestSays(nats.js, nats.prefix, guest, { text: 'hello' });
    await output.settled(first);
    const conversationId = output.events().find((e) => e.causationId === first)?.conversationId ?? '';
    expect(conversationId).toMatch(/^c_/);
    expect(conversationId).not.toContain(guest.id);
    const staff = staffClient(conversation);
    try {
      const taken = await rpc(staff, staff.handoff, {
        conversationId,
        staff: 'maria',
        requestId: '',
        businessId: 'bistro',
      });
      expect(taken.conversation?.mode).toBe(ConversationMode.CONVERSATION_MODE_HUMAN);
      const quiet = await guestSays(nats.js, nats.prefix, guest, { text: 'are you there?' });
      await output.settled(quiet);
      expect(output.repliesTo(quiet)).toEqual([]);
      const humans = await rpc(staff, staff.listConversations, {
        businessId: 'bistro',
        mode: ConversationMode.CONVERSATION_MODE_HUMAN,
        pageSize: 0,
        pageToken: '',
        query: '',
        handoff: 0,
      });
      expect(humans.conversations.map((c) => c.id)).toContain(conversationId);

      const released = await rpc(staff, staff.release, {
        conversationId,
        staff: 'maria',
        requestId: '',
        businessId: 'bistro',
      });
      expect(released.conversation?.mode).toBe(ConversationMode.CONVERSATION_MODE_BOT);
      const back = await exchange(nats, output, guest, { text: 'thank you' });
      expect(back.map(bodyOf)).toEqual(["You're welcome!"]);

      const history = await rpc(staff, staff.getConversation, {
        conversationId,
        messageLimit: 0,
        businessId: 'bistro',
      });
      expect(history.conversation?.guestName).toBe('Sam');
      expect(history.messages.map((m) => [m.direction, m.text.split('\n')[0]])).toEqual([
        [Direction.DIRECTION_INBOUND, 'hello'],
        [Direction.DIRECTION_OUTBOUND, 'Welcome to Bistro Dubai!'],
        [Direction.DIRECTION_INBOUND, 'are you there?'],
        [Direction.DIRECTION_INBOUND, 'thank you'],
        [Direction.DIRECTION_OUTBOUND, "You're welcome!"],
      ]);
      const notes = output
        .events()
        .filter((e) => e.conversationId === conversationId && e.type === 'conversation.dialogue.noted');
      expect(notes.map((e) => e.note)).toEqual(['handoff.started', 'turn.ignored', 'handoff.released']);
      await expect(
        rpc(staff, staff.handoff, {
          conversationId: 'c_nope',
          staff: 'maria',
          requestId: '',
          businessId: 'bistro',
        }),
      ).rejects.toMatchObject({ code: 5 });
    } finally {
      staff.close();
    }
  });

  it('locates a handled message by its wamid over gRPC: its conversation and WHATSAPP sequence', async () => {
    const guest = { id: newGuest() };
    const { nats } = neighbours;
    const wamid = await guestSays(nats.js, nats.prefix, guest, { text: 'hello' });
    await output.settled(wamid);
    const t = topology(nats.prefix);
    const stored = await nats.jsm.streams.getMessage(t.streams.whatsapp.name, {
      last_by_subj: t.subjects.inboundMessage(PHONE_NUMBER_ID, guest.id),
    });
    const conversationId = output.events().find((e) => e.causationId === wamid)?.conversationId;
    const staff = staffClient(conversation);
    try {
      expect(await rpc(staff, staff.locateMessage, { wamid })).toEqual({
        conversationId,
        streamSequence: stored?.seq,
      });
      await expect(rpc(staff, staff.locateMessage, { wamid: 'wamid.NEVER' })).rejects.toMatchObject({
        code: status.NOT_FOUND,
      });
      for (const bad of ['', 'wamid with spaces', `wamid.${'x'.repeat(256)}`]) {
        const refused = rpc(staff, staff.locateMessage, { wamid: bad });
        await expect(refused).rejects.toMatchObject({ code: status.INVALID_ARGUMENT });
        expect(errorCodeOf(await refused.catch((error: unknown) => error))).toBe('INVALID_ARGUMENT');
      }
    } finally {
      staff.close();
    }
  });

  it('publishes turns the intent service projects into its conversation memory', async () => {
    const guest = { id: newGuest() };
    const { nats } = neighbours;
    const wamid = await guestSays(nats.js, nats.prefix, guest, { text: 'do you have a menu?' });
    await output.settled(wamid);
    const conversationId = output.events().find((e) => e.causationId === wamid)?.conversationId ?? '';
    const client = new pg.Client({ connectionString: neighbours.database.url });
    await client.connect();
    try {
      let roles: string[] = [];
      const deadline = Date.now() + 10_000;
      while (Date.now() < deadline) {
        const result = await client.query<{ role: string }>(
          'select role from intent.conversation_turns where conversation_id = $1 order by stream_seq',
          [conversationId],
        );
        roles = result.rows.map((row) => row.role);
        if (roles.length >= 2) break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      // The greeting opens the menu's message: one answer.
      expect(roles).toEqual(['guest', 'assistant']);
    } finally {
      await client.end();
    }
  });
});

describe('what the conversation service remembers of the reservation service', () => {
  /** Successful calls of one reservation.v1 method so far, from the reservation service's metrics. */
  const calls = async (method: string) => {
    const metrics = await (await fetch(`${neighbours.reservation.httpAddress}/metrics`)).text();
    const line = new RegExp(
      `^reservation_grpc_calls_total\\{method="${method}",outcome="ok"[^}]*\\} (\\d+)`,
      'm',
    );
    return Number(metrics.match(line)?.[1] ?? 0);
  };

  it('asks once for a business and its menu that several guests need at the same moment, and not again for a while', async () => {
    const upstreams = connectUpstreams(
      `127.0.0.1:${neighbours.intent.grpcPort}`,
      neighbours.reservation.grpcAddress,
      tokenSigner('conversation', DEV_RPC_KEYS.conversation.privateKey),
    );
    const remembered = { ttlMs: 30_000, deadlineMs: 5_000 };
    const directory = new BusinessDirectory(upstreams, remembered);
    const menus = new MenuCatalog(upstreams, remembered);
    try {
      const before = { menu: await calls('GetMenu'), business: await calls('GetBusinessByPhoneNumberId') };
      const guests = Array.from({ length: 4 }, () => directory.byPhoneNumberId(PHONE_NUMBER_ID));
      for (const lookup of await Promise.all(guests)) expect(lookup).toMatchObject({ found: true });
      const asked = Array.from({ length: 4 }, () => menus.categories('bistro'));
      for (const categories of await Promise.all(asked)) expect(categories.length).toBeGreaterThan(0);
      expect(await calls('GetBusinessByPhoneNumberId')).toBe(before.business + 1);
      expect(await calls('GetMenu')).toBe(before.menu + 1);

      await directory.byPhoneNumberId(PHONE_NUMBER_ID);
      await menus.categories('bistro');
      expect(await calls('GetBusinessByPhoneNumberId')).toBe(before.business + 1);
      expect(await calls('GetMenu')).toBe(before.menu + 1);
    } finally {
      upstreams.close();
    }
  });
});
