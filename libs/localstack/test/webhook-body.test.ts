import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { webhookSignature } from '@reserveit/contracts';
import { describe, expect, it } from 'vitest';
import { sendWebhook, serializeLikeMeta, statusBody, textMessageBody } from '../src/index.js';

describe('serializeLikeMeta', () => {
  it('writes compact JSON with é as \\u00e9, / as \\/ and emoji as lowercase surrogate escapes', () => {
    const text = serializeLikeMeta({ body: 'café 1/2 😮' });
    expect(text).toBe('{"body":"caf\\u00e9 1\\/2 \\ud83d\\ude2e"}');
    expect(JSON.parse(text)).toEqual({ body: 'café 1/2 😮' });
  });

  it('produces pure ASCII for Arabic text and keeps it round-trippable', () => {
    const text = serializeLikeMeta({ body: 'مرحبا' });
    expect(/^[\x20-\x7e]*$/.test(text)).toBe(true);
    expect(JSON.parse(text)).toEqual({ body: 'مرحبا' });
  });
});

describe('textMessageBody', () => {
  it('builds the Meta envelope with string ids and a unix-seconds timestamp', () => {
    const body = textMessageBody({
      text: 'hi',
      from: '15557654321',
      timestamp: new Date('2026-01-02T03:04:05Z'),
    });
    const value = body.entry[0]?.changes[0]?.value;
    expect(body.object).toBe('whatsapp_business_account');
    expect(body.entry[0]?.changes[0]?.field).toBe('messages');
    expect(value?.metadata).toEqual({
      display_phone_number: '15550001111',
      phone_number_id: '100000000000001',
    });
    expect(value?.contacts?.[0]?.wa_id).toBe('15557654321');
    const message = value?.messages?.[0];
    expect(message?.timestamp).toBe('1767323045');
    expect(message?.id).toMatch(/^wamid\.[A-Za-z0-9+/=]+$/);
    expect(message?.text.body).toBe('hi');
  });

  it('status bodies carry statuses and no contacts', () => {
    const value = statusBody({ wamid: 'wamid.X', status: 'read' }).entry[0]?.changes[0]?.value;
    expect(value?.contacts).toBeUndefined();
    expect(value?.statuses?.[0]).toMatchObject({
      id: 'wamid.X',
      status: 'read',
      recipient_id: '15551234567',
    });
  });
});

describe('sendWebhook', () => {
  it('posts the escaped bytes with a signature that matches webhookSignature over exactly those bytes', async () => {
    let received: { raw: string; signature: string | undefined } | undefined;
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received = {
          raw: Buffer.concat(chunks).toString('utf8'),
          signature: req.headers['x-hub-signature-256'] as string | undefined,
        };
        res.end('EVENT_RECEIVED');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    const { port } = server.address() as AddressInfo;
    try {
      const sent = await sendWebhook({
        url: `http://127.0.0.1:${port}/webhooks/whatsapp`,
        text: 'Une table à 20h/21h',
        secret: 's3cret',
      });
      expect(sent.status).toBe(200);
      expect(received?.raw).toBe(sent.payload);
      expect(received?.raw).toContain('Une table \\u00e0 20h\\/21h');
      expect(received?.signature).toBe(webhookSignature(Buffer.from(sent.payload), 's3cret'));
      expect(sent.curl).toContain(`x-hub-signature-256: ${sent.signature}`);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
