import type { JetStreamClient, JetStreamManager, JsMsg } from '@nats-io/jetstream';
import {
  dayEventSchema,
  type FreeConsumer,
  RESERVATION_EVENT_TYPES as T,
  type WaitlistEvent,
} from '@reserveit/contracts';
import { consumeFree, type RunningConsumer } from '@reserveit/messaging';
import { unaryCall } from '@reserveit/rpc';
import type { Business } from '@reserveit/rpc/reservation/v1/reservation';
import type { Logger } from '@reserveit/telemetry';
import { wallClockAt } from '@reserveit/time';
import { conversationIdOf } from './conversation-id.js';
import type { ConversationCommand } from './decider/index.js';
import type { Handled, PipelineInput } from './pipeline.js';
import type { Upstreams } from './upstreams.js';

type Offered = Extract<WaitlistEvent, { type: typeof T.waitlistOffered }>;

export interface WaitlistOffersDeps {
  js: JetStreamClient;
  jsm: JetStreamManager;
  logger: Logger;
  row: FreeConsumer;
  upstreams: Upstreams;
  idKey: string;
  deadlineMs: number;
  /** The pipeline (src/pipeline.ts handle): the offer goes the way a staff action goes. */
  run(input: PipelineInput): Promise<Handled>;
}

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

/**
 * Sends each waitlist offer to its guest. The guest joined from this restaurant's WhatsApp
 * conversation, so the conversation is theirs. An offer that cannot go out (no conversation, the
 * window closed and no waitlist-offer template) is logged as a warning and not retried: the hold
 * expires and the reservation service offers the table to the next party.
 */
export async function startWaitlistOffers(deps: WaitlistOffersDeps): Promise<RunningConsumer> {
  const { js, jsm, logger, row, upstreams } = deps;
  return consumeFree(row, {
    js,
    jsm,
    logger,
    handler: async (message: JsMsg) => {
      const parsed = dayEventSchema.safeParse(readJson(message));
      if (!parsed.success || parsed.data.type !== T.waitlistOffered) return;
      const event = parsed.data;
      const { business } = await unaryCall(
        upstreams.reservation,
        upstreams.reservation.getBusiness,
        { businessId: event.businessId },
        deps.deadlineMs,
      );
      if (!business) throw new Error(`no business ${event.businessId}`);
      const handled = await deps.run(offerInput(event, business, deps.idKey));
      if (handled.outcome === 'rejected')
        logger.warn(
          { businessId: event.businessId, entryId: event.entryId, code: handled.rejection.code },
          'waitlist offer not sent',
        );
    },
  });
}

function readJson(message: JsMsg): unknown {
  try {
    return message.json<unknown>();
  } catch {
    return undefined;
  }
}
