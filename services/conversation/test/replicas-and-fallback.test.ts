import { type TestNats, useNats } from '@reserveit/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningConversation } from '../src/index.js';
import {
  conversationUnderTest,
  guestSays,
  type Neighbours,
  newGuest,
  type Output,
  rpc,
  staffClient,
  startNeighbours,
  startReservationReplica,
  watchOutput,
} from './conversation-under-test.js';

let neighbours: Neighbours;
const running: RunningConversation[] = [];
const outputs: Output[] = [];
const extraNats: TestNats[] = [];

beforeAll(async () => {
  neighbours = await startNeighbours();
});

afterAll(async () => {
  for (const output of outputs) await output.stop();
  for (const conversation of running) await conversation.close(1_000);
  for (const nats of extraNats) await nats.cleanup();
  await neighbours?.stop();
});

const bodyOf = (message: { kind: string } | undefined) =>
  message && 'body' in message && typeof message.body === 'string' ? message.body : '';

describe('several replicas', () => {
  it('handles one guest’s burst of messages in arrival order with two replicas on the same partition', async () => {
    const first = await conversationUnderTest(neighbours);
    const second = await conversationUnderTest(neighbours);
    running.push(first, second);
    const output = await watchOutput(neighbours.nats);
    outputs.push(output);
    const guest = { id: newGuest(), name: 'Rui' };
    const texts = [
      'hi',
      'book a table',
      'for 2 people',
      'tomorrow',
      'at 8pm',
      'what are your hours?',
      'menu',
      'thanks',
    ];
    const wamids: string[] = [];
    for (const text of texts)
      wamids.push(await guestSays(neighbours.nats.js, neighbours.nats.prefix, guest, { text }));
    await output.settled(wamids[wamids.length - 1] ?? '', 30_000);

    const staff = staffClient(first);
    try {
      const conversationId = output.events().find((e) => e.causationId === wamids[0])?.conversationId ?? '';
      const history = await rpc(staff, staff.getConversation, {
        conversationId,
        messageLimit: 100,
        businessId: 'bistro',
      });
      const inbound = history.messages.filter((m) => m.direction === 1).map((m) => m.id);
      expect(inbound).toEqual(wamids);
    } finally {
      staff.close();
    }
    // Replies leave in the same order: every command of message i precedes those of message i + 1.
    const order = output
      .commands()
      .filter((c) => c.to === guest.id)
      .map((c) => wamids.indexOf(c.replyTo ?? ''));
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(new Set(order).size).toBe(texts.length);
    // The dialogue saw the messages in order: the questions follow the answers given so far.
    expect(output.repliesTo(wamids[1] ?? '').map((c) => bodyOf(c.message))).toEqual([
      'For which day would you like the table?',
    ]);
    expect(output.repliesTo(wamids[3] ?? '').map((c) => bodyOf(c.message))).toEqual(['At what time?']);
    expect(bodyOf(output.repliesTo(wamids[4] ?? '')[0]?.message)).toContain(
      'Under which name should I book it?',
    );
  });
});

/** A conversation service of its own whose intent address answers nothing, and what it sends. */
async function withIntentDown() {
  const nats = await useNats();
  extraNats.push(nats);
  const conversation = await conversationUnderTest(neighbours, {
    NATS_PREFIX: nats.prefix,
    INTENT_GRPC_ADDRESS: '127.0.0.1:1',
    CONVERSATION_INTENT_DEADLINE_MS: '300',
  });
  running.push(conversation);
  const output = await watchOutput(nats);
  outputs.push(output);
  return { nats, output };
}

describe('intent service unavailable', () => {
  it('answers from the built-in understanding, and says "one moment" then answers when it understood nothing', async () => {
    const { nats, output } = await withIntentDown();
    const guest = { id: newGuest(), name: 'Lina' };

    const booking = await guestSays(nats.js, nats.prefix, guest, {
      text: 'book a table for 2 people tomorrow at 8pm',
    });
    await output.settled(booking);
    // The fallback read day, time and party size: the table is checked, then the name asked, in
    // the same message as the welcome.
    expect(output.repliesTo(booking).map((c) => bodyOf(c.message))).toEqual([
      expect.stringMatching(
        /^Welcome to Bistro Dubai!\nGood news: there is a table for 2 guests on .* at 20:00\.\nUnder which name should I book it\?\nOr tap to use "Lina"\.$/,
      ),
    ]);
    const intentEvent = output
      .events()
      .find((e) => e.causationId === booking && e.type === 'conversation.intent.interpreted');
    expect(intentEvent).toMatchObject({ source: 'fallback', fallbackReason: 'UNAVAILABLE', intent: 'BOOK' });

    // A new guest whose first words mean nothing to the fallback: "one moment", retries, then an answer.
    const vague = await guestSays(nats.js, nats.prefix, { id: newGuest() }, { text: 'lorem ipsum' });
    await output.settled(vague);
    const replies = output.repliesTo(vague);
    expect(replies.map((c) => c.id.split(':').pop())).toEqual(['wait', '1']);
    expect(bodyOf(replies[0]?.message)).toBe('One moment please, I will be right with you.');
    expect(bodyOf(replies[1]?.message)).toMatch(/^Welcome to Bistro Dubai!\nSorry, I did not get that\./);
  });
});

describe('intent service unavailable, in Spanish and French', () => {
  it('answers a Spanish and a French guest in their language from the built-in understanding', async () => {
    const { nats, output } = await withIntentDown();

    const spanish = await guestSays(
      nats.js,
      nats.prefix,
      { id: newGuest(), name: 'Lucía' },
      {
        text: 'Hola, quisiera reservar una mesa para 2 personas mañana a las 20:00',
      },
    );
    const french = await guestSays(
      nats.js,
      nats.prefix,
      { id: newGuest(), name: 'Camille' },
      {
        text: 'Bonjour, je voudrais réserver une table pour 2 personnes demain à 20h',
      },
    );
    await output.settled(spanish);
    await output.settled(french);
    const understood = (wamid: string) =>
      output.events().find((e) => e.causationId === wamid && e.type === 'conversation.intent.interpreted');
    expect(understood(spanish)).toMatchObject({ source: 'fallback', intent: 'BOOK', language: 'es' });
    expect(understood(french)).toMatchObject({ source: 'fallback', intent: 'BOOK', language: 'fr' });
    // Bistro Dubai greets in English and Arabic only: these guests get the catalogue's welcome.
    expect(output.repliesTo(spanish).map((c) => bodyOf(c.message))).toEqual([
      expect.stringMatching(
        /^¡Le damos la bienvenida a Bistro Dubai!\nBuenas noticias: hay mesa para 2 personas el .* a las 20:00\.\n¿A nombre de quién hago la reserva\?\nO toque abajo para reservar a nombre de «Lucía»\.$/,
      ),
    ]);
    expect(output.repliesTo(french).map((c) => bodyOf(c.message))).toEqual([
      expect.stringMatching(
        /^Bienvenue chez Bistro Dubai\s!\nBonne nouvelle\s: nous avons une table pour 2 personnes le .* à 20\sh\.\nÀ quel nom dois-je réserver\s\?\nOu appuyez ci-dessous pour réserver au nom de «\sCamille\s»\.$/,
      ),
    ]);
  });
});

describe('reservation service unavailable', () => {
  it('retries a booking while reservation.v1 is away and books it once it is back, rather than asking the guest to try again', async () => {
    let replica = await startReservationReplica(neighbours.nats, neighbours.database);
    const port = Number(replica.grpcAddress.split(':').pop());
    const nats = await useNats();
    extraNats.push(nats);
    const conversation = await conversationUnderTest(neighbours, {
      NATS_PREFIX: nats.prefix,
      RESERVATION_GRPC_ADDRESS: replica.grpcAddress,
      CONVERSATION_RESERVATION_DEADLINE_MS: '500',
      CONVERSATION_MAX_DELIVER: '8',
      CONVERSATION_RETRY_BASE_MS: '200',
      CONVERSATION_RETRY_MAX_MS: '400',
    });
    running.push(conversation);
    const output = await watchOutput(nats);
    outputs.push(output);
    const guest = { id: newGuest(), name: 'Omar' };
    const say = async (said: Parameters<typeof guestSays>[3]) => {
      const wamid = await guestSays(nats.js, nats.prefix, guest, said);
      await output.settled(wamid, 30_000);
      return output.repliesTo(wamid).map((c) => bodyOf(c.message));
    };
    try {
      await say({ text: 'book a table for 2 people tomorrow at 8pm' });
      expect((await say({ tap: { id: 'name:Omar', title: 'Omar' } }))[0]).toMatch(/^A table for 2 guests/);

      // The restaurant's number is known already (cached); the booking itself finds nobody.
      await replica.close(1_000);
      const confirm = guestSays(nats.js, nats.prefix, guest, {
        tap: { id: 'confirm:yes', title: 'Confirm' },
      });
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      replica = await startReservationReplica(neighbours.nats, neighbours.database, port);
      const wamid = await confirm;
      await output.settled(wamid, 30_000);
      const replies = output.repliesTo(wamid).map((c) => bodyOf(c.message));
      expect(replies).toHaveLength(1);
      expect(replies[0]).toMatch(/^You're booked: a table for 2 guests/);
    } finally {
      await replica.close(1_000);
    }
  });
});
