import { webhookSignature } from '@reserveit/contracts';
import { expect, it } from 'vitest';
import { batchWebhook, signedRequest, textWebhook } from '../src/index.js';

it('signs exactly the Meta-escaped bytes it returns as the payload', () => {
  const req = signedRequest(textWebhook({ text: 'café à 8/9' }), 'app-secret');
  const raw = req.payload.toString('utf8');
  expect(raw).toContain('caf\\u00e9 \\u00e0 8\\/9');
  expect(raw).not.toContain('é');
  expect(req.headers['x-hub-signature-256']).toBe(webhookSignature(req.payload, 'app-secret'));
  expect(req.headers['content-type']).toBe('application/json');
});

it('signs a given string or Buffer as is, without re-serializing it', () => {
  const raw = '{"object":"whatsapp_business_account", "entry":[]}';
  expect(signedRequest(raw, 's').payload.toString()).toBe(raw);
  expect(signedRequest(Buffer.from(raw), 's').headers['x-hub-signature-256']).toBe(
    webhookSignature(raw, 's'),
  );
});

it('batches messages and statuses as separate changes of one entry', () => {
  const body = batchWebhook([
    { kind: 'text', text: 'one' },
    { kind: 'text', text: 'two', from: '15550000002' },
    { kind: 'status', wamid: 'wamid.OUT', status: 'delivered' },
  ]);
  const changes = body.entry[0]?.changes ?? [];
  expect(changes).toHaveLength(3);
  expect(changes.map((c) => (c.value.messages ? 'message' : 'status'))).toEqual([
    'message',
    'message',
    'status',
  ]);
});
