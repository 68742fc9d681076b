import type { DayEvent, RESERVATION_EVENT_TYPES as T } from '@reserveit/contracts';
import type { Business, Reservation } from '@reserveit/rpc/reservation/v1/reservation';
import { conversationIdOf } from './conversation-id.js';
import type { ConversationCommand } from './decider/index.js';
import type { PipelineInput } from './pipeline.js';

export type MarkedNoShow = Extract<DayEvent, { type: typeof T.reservationNoShow }>;

/**
 * A booking marked no-show (by staff or by the no-show check) as a decider command for the
 * guest's conversation; asked only when the restaurant enabled `followUps.noShow.messageGuest`.
 */
export function noShowInput(
  event: MarkedNoShow,
  business: Business,
  reservation: Reservation,
  idKey: string,
): PipelineInput {
  const command: Extract<ConversationCommand, { type: 'noShowMessage' }> = {
    type: 'noShowMessage',
    noShow: { reservationId: reservation.id, date: reservation.serviceDate, time: reservation.time },
    templates: (business.templates?.items ?? [])
      .filter((template) => template.purpose === 'no_show')
      .map(({ name, language, bodyParameters }) => ({ name, language, bodyParameters })),
    party: {
      businessId: business.id,
      phoneNumberId: business.phoneNumberId,
      guestId: reservation.guestWaId,
    },
  };
  return {
    kind: 'staff',
    conversationId: conversationIdOf(idKey, business.phoneNumberId, reservation.guestWaId),
    command,
    // The event's id: a redelivered no-show, or one marked again after a late seating was undone,
    // is recognised by this cause, and the guest hears once per marking.
    requestId: event.id,
  };
}
