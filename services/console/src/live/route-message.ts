import type { LiveEvent } from '@reserveit/console-api';
import {
  businessEventSchema,
  conversationEventsOf,
  dayEventSchema,
  outboundEventSchema,
  statusReceivedEventSchema,
} from '@reserveit/contracts';
import { z } from 'zod';
import type { StreamKey } from './cursor.js';

/**
 * Where a stream message goes: the restaurant (directly, or by the WhatsApp number the sender's
 * events name) and what the browser is told. Undefined for messages no console shows.
 */
export type Routed = { businessId: string; event: LiveEvent } | { phoneNumberId: string; event: LiveEvent };

/** Turns and dialogue events alike name their conversation and restaurant. */
const ofConversation = z.looseObject({ conversationId: z.string().min(1), businessId: z.string().min(1) });

export function routeMessage(stream: StreamKey, payload: unknown, at: string): Routed | undefined {
  switch (stream) {
    case 'c': {
      for (const event of conversationEventsOf(payload)) {
        const parsed = ofConversation.safeParse(event);
        if (parsed.success) {
          const { businessId, conversationId } = parsed.data;
          return { businessId, event: { type: 'conversation', conversationId, at } };
        }
      }
      return undefined;
    }
    case 'r': {
      const day = dayEventSchema.safeParse(payload);
      if (day.success) {
        const e = day.data;
        if ('booking' in e) {
          return {
            businessId: e.booking.businessId,
            event: {
              type: 'reservation',
              reservationId: e.booking.reservationId,
              date: e.booking.serviceDate,
              at,
            },
          };
        }
        // A waitlist change refetches the day like a booking's (the day view lists the waitlist).
        const reservationId = 'entryId' in e ? e.entryId : e.reservationId;
        return {
          businessId: e.businessId,
          event: { type: 'reservation', reservationId, date: e.serviceDate, at },
        };
      }
      const business = businessEventSchema.safeParse(payload);
      return business.success
        ? { businessId: business.data.businessId, event: { type: 'settings', at } }
        : undefined;
    }
    case 'o': {
      const outcome = outboundEventSchema.safeParse(payload);
      if (!outcome.success) return undefined;
      const failed = outcome.data.type === 'whatsapp.send.failed' ? outcome.data : undefined;
      return {
        phoneNumberId: outcome.data.phoneNumberId,
        event: {
          type: 'delivery',
          messageId: outcome.data.id,
          conversationId: null,
          status: failed ? 'failed' : 'sent',
          ...(failed ? { reason: failed.reason } : {}),
          at,
        },
      };
    }
    case 'w': {
      const received = statusReceivedEventSchema.safeParse(payload);
      if (!received.success) return undefined;
      const { status } = received.data;
      const messageId = status.biz_opaque_callback_data;
      if (!messageId || !isTick(status.status)) return undefined;
      return {
        phoneNumberId: received.data.phoneNumberId,
        event: { type: 'delivery', messageId, conversationId: null, status: status.status, at },
      };
    }
  }
}

function isTick(status: string): status is 'sent' | 'delivered' | 'read' | 'failed' {
  return status === 'sent' || status === 'delivered' || status === 'read' || status === 'failed';
}
