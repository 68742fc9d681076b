import type { JetStreamClient, JsMsg } from '@nats-io/jetstream';
import { trace } from '@opentelemetry/api';
import { DIALOGUE_EVENT_TYPES, messageReceivedEventSchema, type Topology } from '@reserveit/contracts';
import type { HandlerContext } from '@reserveit/messaging';
import { publish } from '@reserveit/messaging';
import type { Logger } from '@reserveit/telemetry';
import type { BusinessDirectory } from './business-directory.js';
import { conversationIdOf } from './conversation-id.js';
import type { ConversationStore } from './conversation-store.js';
import { VersionConflict } from './conversation-store.js';
import { decisionRecords } from './decision-records.js';
import {
  catalogueFor,
  type DialogueSettings,
  type GuestTurn,
  initialState,
  isTransient,
} from './dialogue/index.js';
import { inboundTurn } from './inbound-turn.js';
import type { MenuCatalog } from './menu-catalog.js';
import type { ConversationMetrics } from './metrics.js';
import { publishDecisions } from './outbox-relay.js';
import { reservationCalls } from './reservation-calls.js';
import { storable } from './storable-text.js';
import { type CallExecutor, runTurn } from './turn-runner.js';
import { type Interpreted, interpret, understoodNothing } from './understanding.js';
import type { Upstreams } from './upstreams.js';

export interface InboundDeps {
  js: JetStreamClient;
  topology: Topology;
  store: ConversationStore;
  directory: BusinessDirectory;
  menus: MenuCatalog;
  upstreams: Upstreams;
  logger: Logger;
  metrics: ConversationMetrics;
  settings: DialogueSettings;
  idKey: string;
  intentDeadlineMs: number;
  reservationDeadlineMs: number;
  publishTimeoutMs: number;
  now: () => number;
}

/** intent.v1 is down and nothing was understood: the guest hears "one moment" and the message is retried. */
export class WaitingForIntent extends Error {
  override name = 'WaitingForIntent';
}

/** reservation.v1 did not answer a call (down, slow, failing over): the message is retried before the guest hears so. */
export class ReservationUnavailable extends Error {
  override name = 'ReservationUnavailable';
}

/**
 * One inbound message, exactly once in effect: skip it if the inbox has it (only re-publishing what
 * its first run may have left), else look up the business, understand, run the dialogue with its
 * calls, commit state + history + outbox + inbox row in one transaction, then publish the outbox.
 * Throws to be retried: the consumer redelivers after a backoff and dead-letters on the last attempt.
 */
export async function handleInbound(
  deps: InboundDeps,
  message: JsMsg,
  context: HandlerContext,
): Promise<string> {
  const event = storable(messageReceivedEventSchema.parse(message.json<unknown>()));
  const wamid = event.message.id;
  const span = trace.getActiveSpan();
  span?.setAttributes({ 'reserveit.wamid': wamid, 'reserveit.phone_number_id': event.phoneNumberId });

  const conversationId = conversationIdOf(deps.idKey, event.phoneNumberId, event.guest.id);
  const { applied, stored } = await deps.store.loadForEvent(conversationId, wamid);
  if (applied) {
    await publishDecisions(
      deps.js,
      deps.store,
      await deps.store.unpublished({ causationId: wamid }),
      deps.publishTimeoutMs,
    );
    return 'duplicate';
  }
  span?.setAttribute('reserveit.conversation', conversationId);
  const at = new Date(deps.now()).toISOString();

  const lookup = await deps.directory.byPhoneNumberId(event.phoneNumberId);
  if (!lookup.found) {
    deps.metrics.unknownBusiness.inc();
    const id = `${conversationId}:${wamid}:unknown-business`;
    const payload = {
      v: 1,
      id,
      type: DIALOGUE_EVENT_TYPES.unknownBusiness,
      conversationId,
      occurredAt: at,
      causationId: wamid,
      phoneNumberId: event.phoneNumberId,
    };
    const rows = [
      {
        id,
        subject: deps.topology.subjects.conversationEvent(conversationId),
        payload: JSON.stringify(payload),
      },
    ];
    await deps.store.commitUnknown({ eventId: wamid, streamSeq: message.seq }, { causationId: wamid, rows });
    await publishDecisions(
      deps.js,
      deps.store,
      await deps.store.unpublished({ causationId: wamid }),
      deps.publishTimeoutMs,
    );
    deps.logger.warn(
      { phoneNumberId: event.phoneNumberId },
      'message to an unknown phone_number_id: recorded, not answered',
    );
    return 'unknown_business';
  }
  const { business } = lookup;
  span?.setAttribute('reserveit.business', business.id);

  const state = stored?.state ?? initialState(at);
  const said = inboundTurn(event);

  let interpreted: Interpreted | undefined;
  if (said.answer && said.readable) {
    const expecting = state.phase.kind === 'collecting' ? state.phase.expecting : undefined;
    interpreted = await interpret(
      deps.upstreams,
      {
        text: said.text,
        ...(said.interactive ? { interactive: said.interactive } : {}),
        conversationId,
        timeZone: business.timezone,
        now: at,
        ...(expecting ? { expecting } : {}),
        localeHint: state.language,
      },
      deps.intentDeadlineMs,
    );
    if (interpreted.fallbackReason) {
      deps.metrics.intentFallbacks.inc({ code: interpreted.fallbackReason });
      span?.setAttribute('reserveit.intent_fallback', interpreted.fallbackReason);
      if (understoodNothing(interpreted.understanding) && !said.interactive && !context.lastAttempt) {
        // Never silence: say "one moment" once (its Msg-Id makes later attempts no-ops) and retry.
        await sayOneMoment(
          deps,
          event,
          conversationId,
          wamid,
          interpreted.understanding.language ?? state.language,
          at,
        );
        throw new WaitingForIntent(`intent.v1 failed (${interpreted.fallbackReason}); retrying the message`);
      }
    }
    span?.setAttribute('reserveit.intent', interpreted.understanding.intent);
  }

  let decided: Awaited<ReturnType<typeof runTurn>> = { state, effects: [], calls: [] };
  if (said.answer) {
    const turn: GuestTurn = {
      kind: 'turn',
      messageId: wamid,
      conversationId,
      now: at,
      business,
      text: said.text,
      ...(said.interactive ? { interactive: said.interactive } : {}),
      ...(event.guest.name ? { profileName: event.guest.name } : {}),
      ...(interpreted ? { understanding: interpreted.understanding } : {}),
    };
    const calls = reservationCalls(deps.upstreams, deps.menus, {
      businessId: business.id,
      guestId: event.guest.id,
      deadlineMs: deps.reservationDeadlineMs,
    });
    // A call that did not happen is retried with the whole message (nothing is committed yet, and
    // a booking carries its idempotency key), so a failover of a few seconds costs the guest a
    // short wait rather than "try again in a minute"; only the last attempt answers that.
    const execute: CallExecutor = async (call) => {
      const result = await calls(call);
      if (!context.lastAttempt && !result.result.ok && isTransient(result.result.code))
        throw new ReservationUnavailable(
          `reservation.v1 ${call.kind} failed (${result.result.code}); retrying`,
        );
      return result;
    };
    decided = await runTurn(state, turn, execute, deps.settings);
  }

  const records = decisionRecords(
    {
      topology: deps.topology,
      conversationId,
      businessId: business.id,
      phoneNumberId: event.phoneNumberId,
      guestId: event.guest.id,
      guestName: event.guest.name,
      causationId: wamid,
      at,
    },
    {
      inbound: {
        text: said.text,
        kind: event.message.type,
        ...(interpreted ? { interpreted } : {}),
        markRead: said.answer,
      },
      effects: decided.effects,
      state: decided.state,
    },
  );
  let fresh: boolean;
  try {
    fresh = await deps.store.commitInbound(
      { eventId: wamid, streamSeq: message.seq },
      {
        id: conversationId,
        businessId: business.id,
        phoneNumberId: event.phoneNumberId,
        guestId: event.guest.id,
        guestName: event.guest.name ?? null,
        state: decided.state,
        expectedVersion: stored?.version ?? 0,
        at,
        messages: records.messages,
        outbox: records.outbox,
        causationId: wamid,
      },
    );
  } catch (error) {
    if (error instanceof VersionConflict) deps.metrics.conflicts.inc();
    throw error;
  }
  // Just committed: these are the rows to publish, no need to read them back.
  const decisions = fresh
    ? [{ causationId: wamid, rows: records.outbox }]
    : await deps.store.unpublished({ causationId: wamid });
  await publishDecisions(deps.js, deps.store, decisions, deps.publishTimeoutMs);
  return decided.effects.some((effect) => effect.kind === 'reply') ? 'answered' : 'silent';
}

async function sayOneMoment(
  deps: InboundDeps,
  event: { phoneNumberId: string; guest: { id: string } },
  conversationId: string,
  wamid: string,
  language: 'en' | 'ar',
  at: string,
): Promise<void> {
  const id = `${conversationId}:${wamid}:wait`;
  await publish(deps.js, {
    subject: deps.topology.subjects.outboundCommand(event.phoneNumberId, event.guest.id),
    msgId: id,
    timeoutMs: deps.publishTimeoutMs,
    data: JSON.stringify({
      v: 1,
      type: 'whatsapp.send.requested',
      id,
      phoneNumberId: event.phoneNumberId,
      to: event.guest.id,
      replyTo: wamid,
      conversationId,
      requestedAt: at,
      message: { kind: 'text', body: catalogueFor(language).oneMoment, previewUrl: false },
    }),
  });
}
