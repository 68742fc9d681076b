import type { LiveEvent } from '@reserveit/console-api';
import { keys } from './query-keys.js';

export type CacheEffect =
  | { kind: 'invalidate'; key: readonly string[] }
  | {
      kind: 'patchDelivery';
      /** The conversation to patch, or null: look in every cached conversation of the restaurant. */
      conversationKey: readonly string[] | null;
      messageId: string;
      status: 'sent' | 'delivered' | 'read' | 'failed';
    };

/** What one live event changes in the cached queries of a restaurant. */
export function effectsOf(businessId: string, event: LiveEvent): CacheEffect[] {
  switch (event.type) {
    case 'conversation':
      return [
        { kind: 'invalidate', key: keys.inbox(businessId) },
        { kind: 'invalidate', key: keys.conversation(businessId, event.conversationId) },
      ];
    case 'delivery':
      return [
        {
          kind: 'patchDelivery',
          conversationKey:
            event.conversationId === null ? null : keys.conversation(businessId, event.conversationId),
          messageId: event.messageId,
          status: event.status,
        },
        // A failed send's reason (a template Meta rejected, 132xxx) is read with the conversation.
        ...(event.status === 'failed'
          ? [{ kind: 'invalidate' as const, key: keys.conversations(businessId) }]
          : []),
      ];
    case 'reservation':
      // A conversation shows the guest's bookings beside it.
      return [
        { kind: 'invalidate', key: keys.day(businessId, event.date) },
        { kind: 'invalidate', key: keys.conversations(businessId) },
      ];
    case 'settings':
      return [{ kind: 'invalidate', key: keys.settings(businessId) }];
    case 'resync':
      // The server could not replay what was missed while away: refetch everything shown.
      return [{ kind: 'invalidate', key: [] }];
  }
}
