import type { JetStreamClient, JetStreamManager, JsMsg } from '@nats-io/jetstream';
import { dayEventSchema, type FreeConsumer, RESERVATION_EVENT_TYPES as T } from '@reserveit/contracts';
import { consumeFree, type RunningConsumer } from '@reserveit/messaging';
import { unaryCall } from '@reserveit/rpc';
import type { Business } from '@reserveit/rpc/reservation/v1/reservation';
import type { Logger } from '@reserveit/telemetry';
import { type MarkedNoShow, noShowInput } from './no-show-messages.js';
import type { Handled, PipelineInput } from './pipeline.js';
import type { Upstreams } from './upstreams.js';
import { type Offered, offerInput } from './waitlist-offers.js';

export interface ReservationNoticesDeps {
  js: JetStreamClient;
  jsm: JetStreamManager;
  logger: Logger;
  row: FreeConsumer;
  upstreams: Upstreams;
  idKey: string;
  deadlineMs: number;
  /** The pipeline (src/pipeline.ts handle): a notice goes the way a staff action goes. */
  run(input: PipelineInput): Promise<Handled>;
}

/**
 * What the reservation service decided that a guest is told of (row `conversation.waitlistOffers`):
 * a table offered from the waitlist, and a booking marked no-show when the restaurant asked for a
 * word to the guest. Each goes to the guest's conversation under the event's id as its cause, so a
 * redelivered event sends nothing twice. One that cannot go out is logged and not retried: an
 * offer's hold expires and the table goes to the next party; a no-show word without a window or a
 * template is a `no_show.undeliverable` note staff see (src/decider/no-show.ts).
 */
export async function startReservationNotices(deps: ReservationNoticesDeps): Promise<RunningConsumer> {
  const { js, jsm, logger, row } = deps;
  return consumeFree(row, {
    js,
    jsm,
    logger,
    handler: async (message: JsMsg) => {
      const parsed = dayEventSchema.safeParse(readJson(message));
      if (!parsed.success) return;
      const event = parsed.data;
      if (event.type === T.waitlistOffered) await offered(deps, event);
      else if (event.type === T.reservationNoShow) await markedNoShow(deps, event);
    },
  });
}

async function offered(deps: ReservationNoticesDeps, event: Offered): Promise<void> {
  const business = await businessOf(deps, event.businessId);
  const handled = await deps.run(offerInput(event, business, deps.idKey));
  if (handled.outcome === 'rejected')
    deps.logger.warn(
      { businessId: event.businessId, entryId: event.entryId, code: handled.rejection.code },
      'waitlist offer not sent',
    );
}

async function markedNoShow(deps: ReservationNoticesDeps, event: MarkedNoShow): Promise<void> {
  const business = await businessOf(deps, event.businessId);
  if (!business.followUps?.noShow?.messageGuest) return;
  const { reservation: client } = deps.upstreams;
  const { reservation } = await unaryCall(
    client,
    client.getReservation,
    { reservationId: event.reservationId, businessId: event.businessId },
    deps.deadlineMs,
  );
  if (!reservation) throw new Error(`no reservation ${event.reservationId}`);
  const handled = await deps.run(noShowInput(event, business, reservation, deps.idKey));
  if (handled.outcome === 'rejected')
    deps.logger.warn(
      { businessId: event.businessId, reservationId: event.reservationId, code: handled.rejection.code },
      'no-show message not sent',
    );
}

async function businessOf(deps: ReservationNoticesDeps, businessId: string): Promise<Business> {
  const { reservation: client } = deps.upstreams;
  const { business } = await unaryCall(client, client.getBusiness, { businessId }, deps.deadlineMs);
  if (!business) throw new Error(`no business ${businessId}`);
  return business;
}

function readJson(message: JsMsg): unknown {
  try {
    return message.json<unknown>();
  } catch {
    return undefined;
  }
}
