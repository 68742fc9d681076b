import type { RESERVATION_EVENT_TYPES as T, WaitlistEvent } from '@reserveit/contracts';
import type { Business } from '@reserveit/rpc/reservation/v1/reservation';
import { wallClockAt } from '@reserveit/time';
import { conversationIdOf } from './conversation-id.js';
import type { ConversationCommand } from './decider/index.js';
import type { PipelineInput } from './pipeline.js';

export type Offered = Extract<WaitlistEvent, { type: typeof T.waitlistOffered }>;

/** The offer as a decider command for the waiting guest's conversation. */
export function offerInput(event: Offered, business: Business, idKey: string): PipelineInput {
  const command: Extract<ConversationCommand, { type: 'waitlistOffer' }> = {
    type: 'waitlistOffer',
    offer: {
      date: event.serviceDate,
      time: event.time,
      partySize: event.partySize,
      entryId: event.entryId,
      until: wallClockAt(Date.parse(event.offerExpiresAt), business.timezone || 'UTC').time,
    },
    templates: (business.templates?.items ?? [])
      .filter((template) => template.purpose === 'waitlist_offer')
      .map(({ name, language, bodyParameters }) => ({ name, language, bodyParameters })),
  };
  return {
    kind: 'staff',
    conversationId: conversationIdOf(idKey, business.phoneNumberId, event.guestWaId),
    command,
    // The event's id: a redelivered offer is recognised and sends nothing twice.
    requestId: event.id,
  };
}
