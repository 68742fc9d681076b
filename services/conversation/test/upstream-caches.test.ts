import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningConversation } from '../src/index.js';
import {
  conversationUnderTest,
  exchange,
  type Neighbours,
  newGuest,
  type Output,
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

/** Successful calls of one reservation.v1 method so far, from the reservation service's metrics. */
async function calls(method: string): Promise<number> {
  const metrics = await (await fetch(`${neighbours.reservation.httpAddress}/metrics`)).text();
  const line = new RegExp(
    `^reservation_grpc_calls_total\\{method="${method}",outcome="ok"[^}]*\\} (\\d+)`,
    'm',
  );
  return Number(metrics.match(line)?.[1] ?? 0);
}

describe('what the conversation service remembers of the reservation service', () => {
  it('asks once for the business and its menu that several guests need at the same moment', async () => {
    const before = { menu: await calls('GetMenu'), business: await calls('GetBusinessByPhoneNumberId') };
    const guests = Array.from({ length: 4 }, () => ({ id: newGuest() }));
    const replies = await Promise.all(
      guests.map((guest) => exchange(neighbours.nats, output, guest, { text: 'can I see the menu?' })),
    );
    for (const reply of replies) expect(reply.some((message) => message.kind === 'list')).toBe(true);
    expect(await calls('GetMenu')).toBe(before.menu + 1);
    expect(await calls('GetBusinessByPhoneNumberId')).toBe(before.business + 1);

    // Within the cache period a later question costs nothing either.
    await exchange(neighbours.nats, output, { id: newGuest() }, { text: 'menu please' });
    expect(await calls('GetMenu')).toBe(before.menu + 1);
  });
});
