import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { credentials } from '@grpc/grpc-js';
import { pathOf, type RouteName, routes } from '@reserveit/console-api';
import { findRepoRoot, newWamid } from '@reserveit/localstack';
import { unaryCall } from '@reserveit/rpc';
import { ReservationServiceClient, ReservationSource } from '@reserveit/rpc/reservation/v1/reservation';
import { devCallerOptions, runNodeScript } from '@reserveit/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  A,
  B,
  B_PHONE_NUMBER_ID,
  ConsoleClient,
  type ConsoleUnderTest,
  consoleUnderTest,
  PASSWORD,
} from './console-under-test.js';

let t: ConsoleUnderTest;
let ownerA: ConsoleClient;
let hostA: ConsoleClient;
let hostB: ConsoleClient;
/** A date both seeded restaurants are open in the evening (Monday to Thursday), a few days ahead. */
let date: string;
/** B's objects the cross-tenant walk asks for. */
const ofB = { reservationId: '', conversationId: '' };

function openWeekday(): string {
  const day = new Date(Date.now() + 3 * 86_400_000);
  while (![1, 2, 3, 4].includes(day.getUTCDay())) day.setUTCDate(day.getUTCDate() + 1);
  return day.toISOString().slice(0, 10);
}

async function until<T>(read: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`not there within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The conversation of a guest, once the console lists it. */
async function conversationOf(client: ConsoleClient, businessId: string, name: string): Promise<string> {
  return until(async () => {
    const { body } = await client.call('conversations', { params: { businessId }, query: { query: name } });
    return (body.conversations as { id: string; guestName: string }[]).find((c) => c.guestName === name)?.id;
  });
}

const booking = (extra: Record<string, unknown> = {}) => ({
  requestId: randomUUID(),
  guestName: 'Layla Haddad',
  phone: '+971 50 123 4567',
  walkIn: false,
  partySize: 2,
  date,
  time: '19:00',
  notes: 'window seat',
  ...extra,
});

beforeAll(async () => {
  t = await consoleUnderTest();
  date = openWeekday();
  await t.staff.add({
    email: 'owner-a@example.com',
    name: 'Omar',
    businessId: A,
    role: 'owner',
    password: PASSWORD,
  });
  await t.staff.add({
    email: 'host-a@example.com',
    name: 'Hana',
    businessId: A,
    role: 'host',
    password: PASSWORD,
  });
  await t.staff.add({
    email: 'host-b@example.com',
    name: 'Bilal',
    businessId: B,
    role: 'host',
    password: PASSWORD,
  });
  [ownerA, hostA, hostB] = await Promise.all([
    t.signIn('owner-a@example.com'),
    t.signIn('host-a@example.com'),
    t.signIn('host-b@example.com'),
  ]);
  const created = await hostB.call('createReservation', { params: { businessId: B }, body: booking() });
  expect(created.status).toBe(201);
  ofB.reservationId = created.body.id;
  await t.whatsapp.text({ waId: '447700900111', name: 'Guest Of B' }, 'Hello', newWamid(), B_PHONE_NUMBER_ID);
  ofB.conversationId = await conversationOf(hostB, B, 'Guest Of B');
}, 180_000);

afterAll(async () => {
  await t?.stop();
});

describe('accounts and sessions', () => {
  it('signs in with an httpOnly SameSite cookie, needs the CSRF token to write, and signs out', async () => {
    const client = new ConsoleClient(t.url);
    const wrong = await client.call('login', {
      body: { email: 'host-a@example.com', password: 'not it at all' },
    });
    expect(wrong.status).toBe(401);
    const login = await client.call('login', { body: { email: 'HOST-A@example.com', password: PASSWORD } });
    expect(login.status).toBe(200);
    const cookie = login.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Strict/i);
    expect(login.body.restaurants).toEqual([
      expect.objectContaining({
        businessId: A,
        role: 'host',
        name: 'Al Fanar Demo Kitchen',
        timezone: 'Asia/Dubai',
      }),
    ]);

    const forged = await client.call(
      'createReservation',
      { params: { businessId: A }, body: booking() },
      { csrf: null },
    );
    expect(forged.status).toBe(403);
    expect(forged.body.error).toBe('CSRF');

    expect((await client.call('session')).status).toBe(200);
    expect((await client.call('logout')).status).toBe(204);
    const after = await client.call('session');
    expect(after.status).toBe(401);
  });

  it('stops password guessing after five failures, for the right password too', async () => {
    await t.staff.add({
      email: 'target@example.com',
      name: 'T',
      businessId: A,
      role: 'host',
      password: PASSWORD,
    });
    const client = new ConsoleClient(t.url);
    for (let i = 0; i < 5; i++) {
      expect(
        (await client.call('login', { body: { email: 'target@example.com', password: `guess ${i}` } }))
          .status,
      ).toBe(401);
    }
    const blocked = await client.call('login', { body: { email: 'target@example.com', password: PASSWORD } });
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('issues API tokens that work for their restaurant until revoked', async () => {
    const created = await ownerA.call('createToken', {
      params: { businessId: A },
      body: { name: 'pos', role: 'host' },
    });
    expect(created.status).toBe(201);
    const secret = created.body.secret as string;
    const api = new ConsoleClient(t.url);
    expect((await api.call('day', { params: { businessId: A } }, { bearer: secret })).status).toBe(200);
    expect((await api.call('day', { params: { businessId: B } }, { bearer: secret })).status).toBe(404);
    expect((await api.call('staff', { params: { businessId: A } }, { bearer: secret })).status).toBe(403);
    const owner = await ownerA.call('createToken', {
      params: { businessId: A },
      body: { name: 'admin', role: 'owner' },
    });
    const asOwner = { bearer: owner.body.secret as string };
    expect((await api.call('settings', { params: { businessId: A } }, asOwner)).status).toBe(200);
    const minted = await api.call(
      'createToken',
      { params: { businessId: A }, body: { name: 'x', role: 'owner' } },
      asOwner,
    );
    expect(minted.status).toBe(403);
    expect((await api.call('staff', { params: { businessId: A } }, asOwner)).status).toBe(403);
    const listed = await ownerA.call('tokens', { params: { businessId: A } });
    expect(JSON.stringify(listed.body)).not.toContain(secret);
    expect(
      (await ownerA.call('revokeToken', { params: { businessId: A, tokenId: created.body.token.id } }))
        .status,
    ).toBe(204);
    expect((await api.call('day', { params: { businessId: A } }, { bearer: secret })).status).toBe(401);
  });

  it('makes the first owner with `reserveit-ops staff add`, which prints a one-time password once', async () => {
    const env = { DATABASE_URL: t.db.url, RESERVATION_GRPC_ADDRESS: t.system.grpc.reservation };
    const ops = join(findRepoRoot(), 'services/ops/dist/cli.js');
    const args = ['staff', 'add', '--business', B, '--email', 'first-owner@example.com', '--role', 'owner'];
    const added = await runNodeScript(ops, args, env);
    expect(added.code).toBe(0);
    const password = /One-time password \(shown only now\): (\S+)/.exec(added.stdout)?.[1] as string;
    const owner = await t.signIn('first-owner@example.com', password);
    expect((await owner.call('staff', { params: { businessId: B } })).status).toBe(200);
    const again = await runNodeScript(ops, args, env);
    expect(again.stdout).not.toContain('One-time password');
    const unknown = await runNodeScript(
      ops,
      ['staff', 'add', '--business', 'no-such-place', '--email', 'x@example.com', '--role', 'host'],
      env,
    );
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('no restaurant has the id no-such-place');
    const badRole = await runNodeScript(
      ops,
      ['staff', 'add', '--business', B, '--email', 'x@example.com', '--role', 'chef'],
      env,
    );
    expect(badRole.code).toBe(64);
  });

  it('lets an owner add staff with a one-time password shown once', async () => {
    const added = await ownerA.call('addStaff', {
      params: { businessId: A },
      body: { email: 'new-host@example.com', name: 'Nadia', role: 'host' },
    });
    expect(added.status).toBe(201);
    const oneTime = added.body.oneTimePassword as string;
    expect(oneTime.length).toBeGreaterThanOrEqual(16);
    const nadia = await t.signIn('new-host@example.com', oneTime);
    const changed = await nadia.call('changePassword', {
      body: { current: oneTime, next: 'a much better passphrase' },
    });
    expect(changed.status).toBe(204);
    await t.signIn('new-host@example.com', 'a much better passphrase');
    expect(
      (
        await hostA.call('addStaff', {
          params: { businessId: A },
          body: { email: 'x@example.com', name: 'X', role: 'owner' },
        })
      ).status,
    ).toBe(403);
  });
});

/** A valid request of every route, so only who asks decides the answer. */
function sampleInput(
  name: RouteName,
  businessId: string,
): { params: Record<string, string>; query?: Record<string, string>; body?: unknown } {
  const params = {
    businessId,
    reservationId: ofB.reservationId,
    conversationId: ofB.conversationId,
    itemId: 'mezze',
    staffId: randomUUID(),
    tokenId: randomUUID(),
  };
  const bodies: Partial<Record<RouteName, unknown>> = {
    createReservation: booking(),
    changeReservation: { partySize: 3 },
    cancelReservation: { reason: 'probe' },
    setReservationStatus: { status: 'seated' },
    takeOver: { requestId: randomUUID() },
    release: { requestId: randomUUID() },
    reply: { requestId: randomUUID(), text: 'probe' },
    changeSettings: { name: 'Taken over' },
    setMenuItem: {
      category: 'Mains',
      name: 'X',
      description: '',
      priceMinor: 100,
      currency: 'AED',
      dietaryTags: [],
      available: true,
      position: 0,
    },
    addStaff: { email: 'probe@example.com', name: 'P', role: 'host' },
    createToken: { name: 'probe', role: 'owner' },
  };
  // The timeline names its guest by B's booking (by B's conversation: the same scoped lookups).
  const queries: Partial<Record<RouteName, Record<string, string>>> = {
    timeline: { reservationId: ofB.reservationId },
  };
  const query = queries[name];
  return {
    params,
    ...(query ? { query } : {}),
    ...(routes[name].method === 'GET' ? {} : { body: bodies[name] }),
  };
}

describe('tenant scoping', () => {
  const scoped = (Object.keys(routes) as RouteName[]).filter((name) =>
    routes[name].path.includes(':businessId'),
  );

  it.each(scoped)("a host of A never reaches B's data through %s", async (name) => {
    // B's restaurant id, and A's restaurant id with B's object ids.
    for (const businessId of [B, A]) {
      const input = sampleInput(name, businessId);
      const { status, body } = await hostA.call(name, input);
      if (businessId === B || routes[name].access === 'owner') expect([403, 404]).toContain(status);
      else if (
        name === 'day' ||
        name === 'conversations' ||
        name === 'settings' ||
        name === 'createReservation'
      ) {
        // A's own collections: allowed, and none of B's objects in them.
        expect(status).toBeLessThan(300);
        expect(JSON.stringify(body)).not.toContain(ofB.reservationId);
        expect(JSON.stringify(body)).not.toContain(ofB.conversationId);
      } else expect(status).toBe(404);
    }
  });

  it("leaves B's booking and conversation as they were", async () => {
    const reservation = await hostB.call('reservation', {
      params: { businessId: B, reservationId: ofB.reservationId },
    });
    expect(reservation.body).toMatchObject({ status: 'confirmed', partySize: 2 });
    const conversation = await hostB.call('conversation', {
      params: { businessId: B, conversationId: ofB.conversationId },
    });
    expect(conversation.body.conversation.state).toBe('bot');
    const settings = await hostB.call('settings', { params: { businessId: B } });
    expect(settings.body.name).toBe('Rival Bistro');
  });

  it('answers the live stream of another restaurant with 404', async () => {
    const response = await fetch(
      `${t.url}${pathOf('/api/restaurants/:businessId/events', { businessId: B })}`,
      {
        headers: { cookie: hostA.cookie, accept: 'text/event-stream' },
      },
    );
    expect(response.status).toBe(404);
    await response.body?.cancel();
  });
});

describe('the host stand', () => {
  it('books by phone and walk-in, seats, finishes, marks a no-show and cancels, each on the day sheet', async () => {
    const phone = await hostA.call('createReservation', {
      params: { businessId: A },
      body: booking({ partySize: 4 }),
    });
    expect(phone.status).toBe(201);
    expect(phone.body).toMatchObject({
      source: 'staff',
      walkIn: false,
      guestPhone: '+971501234567',
      status: 'confirmed',
    });
    const walkIn = await hostA.call('createReservation', {
      params: { businessId: A },
      body: booking({ walkIn: true, phone: '', guestName: '', partySize: 3, time: '19:30' }),
    });
    expect(walkIn.status).toBe(201);
    expect(walkIn.body).toMatchObject({ walkIn: true, guestPhone: '' });

    const id = (r: { body: { id: string } }) => ({ businessId: A, reservationId: r.body.id });
    expect(
      (await hostA.call('setReservationStatus', { params: id(phone), body: { status: 'seated' } })).body
        .status,
    ).toBe('seated');
    expect(
      (await hostA.call('setReservationStatus', { params: id(phone), body: { status: 'finished' } })).body
        .status,
    ).toBe('finished');
    const noShow = await hostA.call('setReservationStatus', {
      params: id(walkIn),
      body: { status: 'no_show' },
    });
    expect(noShow.body.status).toBe('no_show');
    const finishedAgain = await hostA.call('setReservationStatus', {
      params: id(phone),
      body: { status: 'no_show' },
    });
    expect(finishedAgain.status).toBe(409);

    const third = await hostA.call('createReservation', {
      params: { businessId: A },
      body: booking({ time: '20:00' }),
    });
    const moved = await hostA.call('changeReservation', {
      params: id(third),
      body: { time: '20:30', notes: 'birthday' },
    });
    expect(moved.body).toMatchObject({ time: '20:30', notes: 'birthday' });
    const cancelled = await hostA.call('cancelReservation', {
      params: id(third),
      body: { reason: 'guest called' },
    });
    expect(cancelled.body.status).toBe('cancelled');

    const day = await hostA.call('day', { params: { businessId: A }, query: { date } });
    expect(day.status).toBe(200);
    const statuses = Object.fromEntries(
      (day.body.reservations as { id: string; status: string }[]).map((r) => [r.id, r.status]),
    );
    expect(statuses).toMatchObject({
      [phone.body.id]: 'finished',
      [walkIn.body.id]: 'no_show',
      [third.body.id]: 'cancelled',
    });
    const seven = (day.body.slots as { time: string; capacity: number; coversUsed: number }[]).find(
      (s) => s.time === '19:00',
    );
    expect(seven?.capacity).toBe(40);
  });

  it('shows a booking made elsewhere as soon as its live event arrives, though the day was read before', async () => {
    const live = hostA.follow(A);
    await live.opened;
    const ids = async () =>
      (await hostA.call('day', { params: { businessId: A }, query: { date } })).body.reservations.map(
        (r: { id: string }) => r.id,
      );
    await ids();
    const client = new ReservationServiceClient(
      t.system.grpc.reservation,
      credentials.createInsecure(),
      devCallerOptions(),
    );
    try {
      const { reservation } = await unaryCall(
        client,
        client.createReservation,
        {
          businessId: A,
          idempotencyKey: randomUUID(),
          guestWaId: '971500001234',
          guestName: 'Booked On WhatsApp',
          partySize: 2,
          date,
          time: '18:30',
          notes: '',
          source: ReservationSource.RESERVATION_SOURCE_WHATSAPP,
        },
        5_000,
      );
      const id = reservation?.id as string;
      await live.waitFor((e) => e.type === 'reservation' && e.reservationId === id);
      expect(await ids()).toContain(id);
    } finally {
      client.close();
      live.stop();
    }
  });

  it('replays a retried booking instead of booking twice', async () => {
    const body = booking({ time: '21:00', guestName: 'Retry Guest' });
    const first = await hostA.call('createReservation', { params: { businessId: A }, body });
    const again = await hostA.call('createReservation', { params: { businessId: A }, body });
    expect(again.body.id).toBe(first.body.id);
  });

  it('names the wrong field of a bad request', async () => {
    const bad = await hostA.call('day', { params: { businessId: A }, query: { date: '07/12/2026' } });
    expect(bad.status).toBe(400);
    expect(bad.body.field).toBe('date');
    const noSuchDay = await hostA.call('day', { params: { businessId: A }, query: { date: '2026-02-30' } });
    expect(noSuchDay.status).toBe(400);
    expect(noSuchDay.body.message).toMatch(/date that exists/);
    const noReason = await hostA.call('cancelReservation', {
      params: { businessId: A, reservationId: ofB.reservationId },
      body: { reason: '' },
    });
    expect(noReason.status).toBe(400);
    expect(noReason.body.field).toBe('reason');
  });

  it('lets an owner keep a waitlist and set how long a freed table is held, and refuses a hold of 0', async () => {
    const before = await ownerA.call('settings', { params: { businessId: A } });
    expect(before.body.waitlist).toEqual({ enabled: false, holdMinutes: 15 });
    const set = await ownerA.call('changeSettings', {
      params: { businessId: A },
      body: { waitlist: { enabled: true, holdMinutes: 20 } },
    });
    expect(set.status).toBe(200);
    const settled = await until(async () => {
      const { body } = await ownerA.call('settings', { params: { businessId: A } });
      return body.waitlist.enabled ? body : undefined;
    });
    expect(settled.waitlist).toEqual({ enabled: true, holdMinutes: 20 });
    const bad = await ownerA.call('changeSettings', {
      params: { businessId: A },
      body: { waitlist: { enabled: true, holdMinutes: 0 } },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.field).toBe('waitlist.holdMinutes');
    const off = await ownerA.call('changeSettings', {
      params: { businessId: A },
      body: { waitlist: { enabled: false, holdMinutes: 20 } },
    });
    expect(off.status).toBe(200);
  });

  it("lets an owner set and clear the restaurant's booking Flow id, and refuses one that is not Meta's", async () => {
    const change = (bookingFlowId: string) =>
      ownerA.call('changeSettings', { params: { businessId: A }, body: { bookingFlowId } });
    // The answer is read back from the reservation service's projection, which may lag the change.
    const settled = (bookingFlowId: string) =>
      until(async () => {
        const { body } = await ownerA.call('settings', { params: { businessId: A } });
        return body.bookingFlowId === bookingFlowId ? body : undefined;
      });
    expect((await change('1187654321098765')).status).toBe(200);
    expect((await settled('1187654321098765')).businessId).toBe(A);
    const bad = await change('my-flow');
    expect(bad.status).toBe(400);
    expect(bad.body.field).toBe('bookingFlowId');
    expect((await change('')).status).toBe(200);
    expect((await settled('')).businessId).toBe(A);
  });
});

describe('the inbox', () => {
  it('shows a guest waiting for a person; staff take over, reply once, and release', async () => {
    const guest = { waId: '971500000777', name: 'Sara Live' };
    const live = hostA.follow(A);
    await live.opened;
    await t.whatsapp.text(guest, 'Hi, do you have a table tonight?');
    const conversationId = await conversationOf(hostA, A, 'Sara Live');
    await live.waitFor((e) => e.type === 'conversation' && e.conversationId === conversationId, 2_000);

    const byDigits = await hostA.call('conversations', {
      params: { businessId: A },
      query: { query: '0777' },
    });
    expect(byDigits.body.conversations.map((c: { id: string }) => c.id)).toContain(conversationId);

    const early = await hostA.call('reply', {
      params: { businessId: A, conversationId },
      body: { requestId: randomUUID(), text: 'hello' },
    });
    expect(early.status).toBe(409);
    expect(early.body.message).toMatch(/Take over/);

    await t.whatsapp.text(guest, 'I want to talk to a person please');
    const waiting = await until(async () => {
      const { body } = await hostA.call('conversation', { params: { businessId: A, conversationId } });
      return body.conversation.state === 'waiting' ? body : undefined;
    });
    expect(waiting.conversation.waitingSince).not.toBeNull();
    expect(waiting.windowOpenUntil).not.toBeNull();

    const taken = await hostA.call('takeOver', {
      params: { businessId: A, conversationId },
      body: { requestId: randomUUID() },
    });
    expect(taken.body).toMatchObject({ state: 'taken', takenBy: 'Hana', waitingSince: null });
    const ids = async (state: string) =>
      (
        await hostA.call('conversations', { params: { businessId: A }, query: { state } })
      ).body.conversations.map((c: { id: string }) => c.id);
    const rival = await ownerA.call('takeOver', {
      params: { businessId: A, conversationId },
      body: { requestId: randomUUID() },
    });
    expect(rival.status).toBe(409);
    expect(rival.body).toMatchObject({ error: 'TAKEN_BY_OTHER', message: expect.stringContaining('Hana') });
    expect(await ids('taken')).toContain(conversationId);
    expect(await ids('bot')).not.toContain(conversationId);
    expect(await ids('waiting')).not.toContain(conversationId);

    const requestId = randomUUID();
    const text = 'Hi Sara, this is Hana: we have a table at 8.';
    const sent = await hostA.call('reply', {
      params: { businessId: A, conversationId },
      body: { requestId, text },
    });
    expect(sent.status).toBe(201);
    const retried = await hostA.call('reply', {
      params: { businessId: A, conversationId },
      body: { requestId, text },
    });
    expect(retried.body.messageId).toBe(sent.body.messageId);
    await live.waitFor((e) => e.type === 'delivery' && e.messageId === sent.body.messageId);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(t.whatsapp.replies().filter((reply) => reply.text === text)).toHaveLength(1);

    const history = await hostA.call('conversation', { params: { businessId: A, conversationId } });
    const mine = history.body.messages.find((m: { id: string }) => m.id === sent.body.messageId);
    expect(mine).toMatchObject({ direction: 'out', author: 'staff:Hana', text });

    const released = await hostA.call('release', {
      params: { businessId: A, conversationId },
      body: { requestId: randomUUID() },
    });
    expect(released.body.state).toBe('bot');
    live.stop();
  });
});

describe('live events', () => {
  it('replays what a browser missed while it was away, after a console restart too', async () => {
    const first = hostA.follow(A);
    await first.opened;
    const guest = { waId: '971500000888', name: 'Away Guest' };
    await t.whatsapp.text(guest, 'Good evening');
    const seen = await first.waitFor((e) => e.type === 'conversation');
    first.stop();

    const missed = await hostA.call('createReservation', {
      params: { businessId: A },
      body: booking({ time: '22:00', guestName: 'Missed' }),
    });
    await t.system.restart('console');
    const back = hostA.follow(A, seen.id);
    await back.opened;
    const replayed = await back.waitFor(
      (e) => e.type === 'reservation' && e.reservationId === missed.body.id,
    );
    expect(replayed.id).not.toBe(seen.id);
    back.stop();
  });
});

describe('live events: the greeting and the end', () => {
  it('greets with a position a browser that drops before any event resumes from', async () => {
    const first = hostA.follow(A);
    await first.opened;
    const greeting = first.greeting();
    expect(greeting).toMatch(/^c\d+\.r\d+\.o\d+\.w\d+$/);
    first.stop();
    const made = await hostA.call('createReservation', {
      params: { businessId: A },
      body: booking({ time: '20:15' }),
    });
    expect(made.status).toBe(201);
    const back = hostA.follow(A, greeting);
    await back.opened;
    await back.waitFor((e) => e.type === 'reservation' && e.reservationId === made.body.id);
    back.stop();
  });

  it('ends a live stream soon after its session ends', async () => {
    const leaving = await t.signIn('owner-a@example.com');
    const live = leaving.follow(A);
    await live.opened;
    expect((await leaving.call('logout')).status).toBe(204);
    await Promise.race([
      live.ended,
      new Promise((_, reject) =>
        setTimeout(() => reject(new Error('the stream outlived its session')), 5_000),
      ),
    ]);
  });
});

describe('failures', () => {
  it('answers 503 while the reservation service is down and recovers by itself', async () => {
    await t.system.kill('reservation');
    const down = await hostA.call('day', { params: { businessId: A } });
    expect(down.status).toBe(503);
    expect((await fetch(`${t.url}/readyz`)).status).toBe(200);
    await t.system.restart('reservation');
    const back = await until(async () => {
      const answer = await hostA.call('day', { params: { businessId: A } });
      return answer.status === 200 ? answer : undefined;
    }, 30_000);
    expect(back.body.timezone).toBe('Asia/Dubai');
  });
});

describe('NATS users', () => {
  it('ran the console and every service as its own NATS user, and NATS refused none of them anything', async () => {
    expect(await t.nats.violations()).toEqual([]);
  });
});

describe('templates Meta rejects', () => {
  it('shows a template the Graph API refuses with 132001 as a failed message with its reason, live and in the history', async () => {
    const guest = { waId: '971500000999', name: 'Template Guest' };
    const live = hostA.follow(A);
    await live.opened;
    await t.whatsapp.text(guest, 'I want to talk to a person please');
    const conversationId = await conversationOf(hostA, A, 'Template Guest');
    const taken = await hostA.call('takeOver', {
      params: { businessId: A, conversationId },
      body: { requestId: randomUUID() },
    });
    expect(taken.status).toBe(200);
    t.whatsapp.respond((request) =>
      (request.body as { to?: string; type?: string }).to === guest.waId &&
      (request.body as { type?: string }).type === 'template'
        ? {
            status: 404,
            body: {
              error: {
                message: '(#132001) Template name does not exist in the translation',
                type: 'OAuthException',
                code: 132001,
                fbtrace_id: 'A1',
              },
            },
          }
        : undefined,
    );
    try {
      const sent = await hostA.call('reply', {
        params: { businessId: A, conversationId },
        body: {
          requestId: randomUUID(),
          template: { name: 'table_ready', language: 'en', parameters: ['Template Guest'] },
        },
      });
      expect(sent.status).toBe(201);
      const failed = await live.waitFor(
        (e) => e.type === 'delivery' && e.messageId === sent.body.messageId && e.status === 'failed',
      );
      expect(failed.event.reason).toContain('132001');
      const history = await until(async () => {
        const { body } = await hostA.call('conversation', { params: { businessId: A, conversationId } });
        const message = body.messages.find((m: { id: string }) => m.id === sent.body.messageId);
        return message?.status === 'failed' ? message : undefined;
      });
      expect(history.error).toContain('132001');
      // The inbox shows it too, on the conversation's item.
      const inbox = await hostA.call('conversations', {
        params: { businessId: A },
        query: { query: '0999' },
      });
      const item = inbox.body.conversations.find((c: { id: string }) => c.id === conversationId);
      expect(item?.lastFailure).toContain('132001');
    } finally {
      t.whatsapp.respond(undefined);
      live.stop();
    }
  });
});
