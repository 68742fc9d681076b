import type { OutboundEvent, StatusReceivedEvent } from '@reserveit/contracts';
import { describe, expect, it } from 'vitest';
import {
  type Delivery,
  type DeliveryStatus,
  furthest,
  outcomeUpdate,
  statusUpdate,
} from '../src/delivery-status.js';

const AT = '2026-11-23T10:00:00.000Z';
const KEY = 'c_1:wamid.in:1';

function status(value: string, extra: Partial<StatusReceivedEvent['status']> = {}): StatusReceivedEvent {
  return {
    v: 1,
    type: 'whatsapp.status.received',
    id: `wamid.out:${value}`,
    rawId: 'raw',
    receivedAt: AT,
    occurredAt: AT,
    wabaId: 'waba',
    phoneNumberId: 'pnid',
    displayPhoneNumber: '15550001111',
    recipientId: '971500000001',
    status: {
      id: 'wamid.out',
      status: value,
      timestamp: '1795000000',
      recipient_id: '971500000001',
      ...extra,
    },
  };
}

const of = (status: DeliveryStatus): Delivery => ({ status, error: null });

describe('delivery status', () => {
  it('only moves forward: read > delivered > sent > pending, failed over pending and sent only', () => {
    const order: DeliveryStatus[] = ['pending', 'sent', 'delivered', 'read'];
    for (const [i, lower] of order.entries())
      for (const higher of order.slice(i + 1)) {
        expect(furthest(of(lower), of(higher)).status).toBe(higher);
        expect(furthest(of(higher), of(lower)).status).toBe(higher);
      }
    expect(furthest(of('sent'), of('failed')).status).toBe('failed');
    expect(furthest(of('pending'), of('failed')).status).toBe('failed');
    expect(furthest(of('failed'), of('delivered')).status).toBe('delivered');
    expect(furthest(of('read'), of('failed')).status).toBe('read');
    expect(furthest(undefined, undefined)).toEqual({ status: 'pending', error: null });
    expect(furthest(undefined, of('sent'))).toEqual(of('sent'));
  });

  it('reads the sender’s outcomes: sent with the wamid, failed with the Graph code and reason', () => {
    const sent: OutboundEvent = {
      v: 1,
      type: 'whatsapp.send.succeeded',
      id: KEY,
      phoneNumberId: 'pnid',
      at: AT,
      attempts: 1,
      wamid: 'wamid.out',
    };
    expect(outcomeUpdate(sent)).toEqual({
      messageId: KEY,
      wamid: 'wamid.out',
      status: 'sent',
      rank: 10,
      error: null,
    });
    // A read receipt's success names no message of ours.
    expect(outcomeUpdate({ ...sent, id: `${KEY}:read`, wamid: undefined })).toBeUndefined();
    const failed: OutboundEvent = {
      v: 1,
      type: 'whatsapp.send.failed',
      id: KEY,
      phoneNumberId: 'pnid',
      at: AT,
      attempts: 1,
      code: 131047,
      reason: 'Re-engagement message',
      exhausted: false,
    };
    expect(outcomeUpdate(failed)).toMatchObject({
      messageId: KEY,
      status: 'failed',
      error: '131047: Re-engagement message',
    });
  });

  it('reads status webhooks by the echoed key or, without one, by wamid; played is read, unknown statuses nothing', () => {
    expect(statusUpdate(status('delivered', { biz_opaque_callback_data: KEY }))).toEqual({
      messageId: KEY,
      wamid: 'wamid.out',
      status: 'delivered',
      rank: 20,
      error: null,
    });
    expect(statusUpdate(status('read'))).toMatchObject({
      messageId: undefined,
      wamid: 'wamid.out',
      status: 'read',
    });
    expect(statusUpdate(status('played'))?.status).toBe('read');
    expect(statusUpdate(status('deleted'))).toBeUndefined();
    expect(
      statusUpdate(
        status('failed', {
          errors: [
            { code: 131026, title: 'Message undeliverable', error_data: { details: 'not on WhatsApp' } },
          ],
        }),
      ),
    ).toMatchObject({ status: 'failed', error: '131026: Message undeliverable: not on WhatsApp' });
  });
});
