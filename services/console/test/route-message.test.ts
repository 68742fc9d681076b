import { describe, expect, it } from 'vitest';
import { routeMessage } from '../src/live/route-message.js';

const at = '2026-12-07T10:00:00.000Z';

describe('routeMessage', () => {
  it('sends a decision to the restaurant its events name', () => {
    const decided = {
      v: 1,
      id: 'conv-1:wamid.A:decided',
      type: 'conversation.decided',
      conversationId: 'conv-1',
      occurredAt: at,
      causationId: 'wamid.A',
      events: [
        { type: 'conversation.intent.interpreted', conversationId: 'conv-1' },
        {
          v: 1,
          id: 'conv-1:wamid.A:guest',
          type: 'conversation.turn.recorded',
          conversationId: 'conv-1',
          businessId: 'demo-dubai',
          occurredAt: at,
          role: 'guest',
          text: 'hi',
        },
      ],
    };
    expect(routeMessage('c', decided, at)).toEqual({
      businessId: 'demo-dubai',
      event: { type: 'conversation', conversationId: 'conv-1', at },
    });
  });

  it('sends a booking event to its restaurant with its service date', () => {
    const cancelled = {
      v: 1,
      id: 'e1',
      at,
      type: 'reservation.cancelled',
      reservationId: 'R1',
      businessId: 'demo-dubai',
      serviceDate: '2026-12-08',
      reason: 'ill',
    };
    expect(routeMessage('r', cancelled, at)).toEqual({
      businessId: 'demo-dubai',
      event: { type: 'reservation', reservationId: 'R1', date: '2026-12-08', at },
    });
  });

  it('names the WhatsApp number of a send outcome, for the directory to resolve', () => {
    const failed = {
      v: 1,
      type: 'whatsapp.send.failed',
      id: 'conv-1:staff:u:1',
      phoneNumberId: '100000000000001',
      at,
      attempts: 3,
      code: 131047,
      reason: 'outside the window',
      exhausted: false,
    };
    expect(routeMessage('o', failed, at)).toEqual({
      phoneNumberId: '100000000000001',
      event: {
        type: 'delivery',
        messageId: 'conv-1:staff:u:1',
        conversationId: null,
        status: 'failed',
        reason: 'outside the window',
        at,
      },
    });
  });

  it('ignores what no console shows and what does not parse', () => {
    expect(routeMessage('c', { type: 'conversation.unknown_business' }, at)).toBeUndefined();
    expect(routeMessage('r', { type: 'reservation.created', booking: {} }, at)).toBeUndefined();
    expect(routeMessage('o', 'not json object', at)).toBeUndefined();
    expect(routeMessage('w', { type: 'whatsapp.message.received' }, at)).toBeUndefined();
  });
});
