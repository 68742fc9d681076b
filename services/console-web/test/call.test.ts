import { describe, expect, it } from 'vitest';
import { createClient } from '../src/api/call.js';
import { ApiFailure, fieldOf, NetworkFailure } from '../src/api/errors.js';

interface Sent {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: unknown;
}

/** The browser's fetch, answering from a list; what the client sent is recorded. */
function fakeFetch(answers: (() => Response)[]) {
  const sent: Sent[] = [];
  const fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    sent.push({
      url: String(input),
      method: init?.method ?? 'GET',
      headers: (init?.headers ?? {}) as Record<string, string>,
      body: typeof init?.body === 'string' ? JSON.parse(init.body) : undefined,
    });
    const next = answers.shift();
    if (!next) throw new TypeError('Failed to fetch');
    return next();
  };
  return { fetch: fetch as typeof globalThis.fetch, sent };
}

const json = (status: number, body: unknown) => () =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

const reservation = {
  id: 'r/1',
  guestName: 'Amal',
  guestPhone: '••4567',
  partySize: 2,
  date: '2026-12-07',
  time: '19:00',
  startsAt: '2026-12-07T15:00:00Z',
  endsAt: '2026-12-07T16:30:00Z',
  status: 'seated',
  notes: '',
  source: 'whatsapp',
  walkIn: false,
  guestConfirmed: false,
  lateMinutes: null,
  noShowFlagged: false,
  rating: null,
  feedbackComment: '',
};

function client(answers: (() => Response)[]) {
  const { fetch, sent } = fakeFetch(answers);
  let unauthorized = 0;
  const call = createClient({ fetch, csrfToken: () => 'csrf-1', onUnauthorized: () => unauthorized++ });
  return { call, sent, unauthorized: () => unauthorized };
}

describe('call', () => {
  it('builds the path and query from the route table and sends no CSRF header on a GET', async () => {
    const day = {
      date: '2026-12-07',
      timezone: 'Asia/Dubai',
      closedReason: '',
      slots: [],
      reservations: [],
      waitlist: [],
    };
    const { call, sent } = client([json(200, day)]);
    await expect(
      call('day', { params: { businessId: 'demo-bistro' }, query: { date: '2026-12-07' } }),
    ).resolves.toEqual(day);
    expect(sent[0]).toMatchObject({ url: '/api/restaurants/demo-bistro/day?date=2026-12-07', method: 'GET' });
    expect(sent[0]?.headers['x-csrf-token']).toBeUndefined();
  });

  it('sends the CSRF token and the parsed body on a state-changing request', async () => {
    const { call, sent } = client([json(200, reservation)]);
    const result = await call('setReservationStatus', {
      params: { businessId: 'demo-bistro', reservationId: 'r:1' },
      body: { status: 'seated' },
    });
    expect(result.status).toBe('seated');
    expect(sent[0]).toMatchObject({
      url: '/api/restaurants/demo-bistro/reservations/r%3A1/status',
      method: 'POST',
      headers: { 'x-csrf-token': 'csrf-1', 'content-type': 'application/json' },
      body: { status: 'seated' },
    });
  });

  it('refuses a body its schema refuses before sending, naming the field', async () => {
    const { call, sent } = client([]);
    const error = await call('cancelReservation', {
      params: { businessId: 'demo-bistro', reservationId: 'r1' },
      body: { reason: '   ' },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiFailure);
    expect(fieldOf(error)).toBe('reason');
    expect(sent).toEqual([]);
  });

  it("turns an error answer into ApiFailure with the server's message and field", async () => {
    const { call } = client([json(409, { error: 'conflict', message: 'The slot is full', field: 'time' })]);
    const error = await call('changeReservation', {
      params: { businessId: 'demo-bistro', reservationId: 'r1' },
      body: { time: '20:00' },
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 409, body: { message: 'The slot is full', field: 'time' } });
  });

  it('reports a 401 as a lost session, except from the login itself', async () => {
    const failure = { error: 'unauthorized', message: 'Sign in' };
    const { call, unauthorized } = client([json(401, failure), json(401, failure)]);
    await expect(call('session', {})).rejects.toBeInstanceOf(ApiFailure);
    expect(unauthorized()).toBe(1);
    await expect(call('login', { body: { email: 'a@example.com', password: 'x' } })).rejects.toMatchObject({
      status: 401,
    });
    expect(unauthorized()).toBe(1);
  });

  it('keeps an unreadable error body as the HTTP status', async () => {
    const { call } = client([() => new Response('<html>bad gateway</html>', { status: 502 })]);
    await expect(call('session', {})).rejects.toMatchObject({ status: 502, body: { error: 'http_502' } });
  });

  it('refuses an answer that does not match the response schema', async () => {
    const { call } = client([json(200, { ...reservation, status: 'eaten' })]);
    await expect(
      call('reservation', { params: { businessId: 'demo-bistro', reservationId: 'r1' } }),
    ).rejects.toThrow();
  });

  it('answers undefined for a 204 route', async () => {
    const { call } = client([() => new Response(null, { status: 204 })]);
    await expect(
      call('revokeToken', {
        params: { businessId: 'demo-bistro', tokenId: '0b8a0f3e-4a43-4d4e-9d61-2f8e8f9f1c11' },
      }),
    ).resolves.toBeUndefined();
  });

  it('reports a request that never got an answer as NetworkFailure', async () => {
    const { call } = client([]);
    await expect(call('session', {})).rejects.toBeInstanceOf(NetworkFailure);
  });
});
