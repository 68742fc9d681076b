import { afterEach, beforeEach, expect, it } from 'vitest';
import { type FakeGraphApi, startFakeGraphApi } from '../src/index.js';

const TOKEN = 'test-token';
let api: FakeGraphApi;

beforeEach(async () => {
  api = await startFakeGraphApi({ accessToken: TOKEN });
});
afterEach(async () => {
  await api.close();
});

function send(body: unknown, token = TOKEN): Promise<Response> {
  return fetch(`${api.baseUrl}/v21.0/100000000000001/messages`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

const textMessage = { messaging_product: 'whatsapp', to: '15551234567', type: 'text', text: { body: 'hi' } };

it('answers a text send with the Cloud API success shape and a unique wamid, and records it', async () => {
  const first = await send(textMessage);
  const second = await send(textMessage);
  expect(first.status).toBe(200);
  const body = (await first.json()) as { messages: { id: string }[] };
  expect(body).toMatchObject({
    messaging_product: 'whatsapp',
    contacts: [{ input: '15551234567', wa_id: '15551234567' }],
  });
  expect(body.messages[0]?.id).toMatch(/^wamid\./);
  const other = ((await second.json()) as { messages: { id: string }[] }).messages[0]?.id;
  expect(other).not.toBe(body.messages[0]?.id);

  expect(api.requests).toHaveLength(2);
  expect(api.requests[0]).toMatchObject({
    method: 'POST',
    path: '/v21.0/100000000000001/messages',
    version: 'v21.0',
    phoneNumberId: '100000000000001',
    authorized: true,
    body: textMessage,
    status: 200,
  });
  expect(api.requests[0]?.headers.authorization).toBe('Bearer ***');
});

it('answers mark-as-read with {"success":true}', async () => {
  const res = await send({ messaging_product: 'whatsapp', status: 'read', message_id: 'wamid.IN' });
  expect(res.status).toBe(200);
  expect(await res.json()).toEqual({ success: true });
});

it('fails the next n sends with a scripted 130429 Graph error, then succeeds again', async () => {
  api.failNext(2, { httpStatus: 429, code: 130429 });
  const r1 = await send(textMessage);
  const r2 = await send(textMessage);
  const r3 = await send(textMessage);
  expect([r1.status, r2.status, r3.status]).toEqual([429, 429, 200]);
  const error = (await r1.json()) as { error: Record<string, unknown> };
  expect(error.error).toMatchObject({
    message: '(#130429) Rate limit hit',
    type: 'OAuthException',
    code: 130429,
    error_data: { messaging_product: 'whatsapp' },
  });
  expect(typeof error.error.fbtrace_id).toBe('string');
});

it('answers 401 with code 190 when the bearer token is wrong, without revealing the token', async () => {
  const res = await send(textMessage, 'stolen');
  expect(res.status).toBe(401);
  expect(((await res.json()) as { error: { code: number } }).error.code).toBe(190);
  expect(api.requests[0]).toMatchObject({ authorized: false, status: 401 });
  expect(JSON.stringify(api.requests[0]?.headers)).not.toContain('stolen');
});

it('respondWith scripts custom answers and delays', async () => {
  api.respondWith((req) =>
    (req.body as { to?: string }).to === '0000'
      ? { status: 500, body: { error: { code: 131000 } }, delayMs: 50 }
      : undefined,
  );
  const started = Date.now();
  const res = await send({ ...textMessage, to: '0000' });
  expect(res.status).toBe(500);
  expect(Date.now() - started).toBeGreaterThanOrEqual(45);
  expect((await send(textMessage)).status).toBe(200);
});
