import type { SendRequested } from '@reserveit/contracts';
import { describe, expect, it } from 'vitest';
import { graphBody, readReceiptOf } from '../src/domain/graph-request.js';

const reply: SendRequested = {
  v: 1,
  type: 'whatsapp.send.requested',
  id: 'c_1:wamid.in:1',
  phoneNumberId: '106540352242922',
  to: '971500000001',
  replyTo: 'wamid.in',
  markRead: 'wamid.in',
  requestedAt: '2026-12-06T20:00:00.000Z',
  message: { kind: 'text', body: 'Hello', previewUrl: false },
};

describe('the read receipt a reply carries', () => {
  it('becomes a read command of its own under a key of its own, without the reply', () => {
    const read = readReceiptOf(reply);
    expect(read).toEqual({
      v: 1,
      type: 'whatsapp.send.requested',
      id: 'c_1:wamid.in:1:read',
      phoneNumberId: '106540352242922',
      to: '971500000001',
      replyTo: 'wamid.in',
      requestedAt: '2026-12-06T20:00:00.000Z',
      message: { kind: 'read', messageId: 'wamid.in' },
    });
    expect(read && graphBody(read)).toEqual({
      messaging_product: 'whatsapp',
      status: 'read',
      message_id: 'wamid.in',
    });
  });

  it('is absent from a reply that carries none, and from the reply body itself', () => {
    const { markRead: _, ...plain } = reply;
    expect(readReceiptOf(plain)).toBeUndefined();
    expect(graphBody(reply)).not.toHaveProperty('status');
    expect(graphBody(reply)).toMatchObject({ context: { message_id: 'wamid.in' }, type: 'text' });
  });
});
