import { createHash, randomUUID } from 'node:crypto';
import type { JetStreamClient, JsMsg } from '@nats-io/jetstream';
import { type Span, trace } from '@opentelemetry/api';
import {
  DIALOGUE_EVENT_TYPES,
  messageReceivedEventSchema,
  type Topology,
  type WorkDue,
} from '@reserveit/contracts';
import type { HandlerContext } from '@reserveit/messaging';
import type { Logger } from '@reserveit/telemetry';
import type { BusinessDirectory, Lookup } from './business-directory.js';
import { conversationIdOf } from './conversation-id.js';
import { type ConversationStore, type StoredConversation, VersionConflict } from './conversation-store.js';
import {
  type Cause,
  type Conversation,
  type ConversationCommand,
  type ConversationEvent,
  causationIdOf,
  type DecideContext,
  type Decision,
  decide,
  decisionIds,
  evolve,
  type FeedbackWork,
  type GuestMessage,
  inboundCommands,
  newConversation,
  settle,
} from './decider/index.js';
import {
  type BusinessProfile,
  type Call,
  type CallResult,
  type DialogueSettings,
  isTransient,
} from './dialogue/index.js';
import { guestMessageOf } from './inbound-turn.js';
import type { MenuCatalog } from './menu-catalog.js';
import type { ConversationMetrics } from './metrics.js';
import { publishDecisions, publishRows } from './outbox-relay.js';
import { outboxOf } from './outbox-rows.js';
import { reservationCalls } from './reservation-calls.js';
import { storable } from './storable-text.js';
import { interpret } from './understanding.js';
import type { Upstreams } from './upstreams.js';

export interface PipelineDeps {
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

/** What staff tools do to a conversation (conversation.v1 Handoff, Release, Reply). */
export type StaffCommand = Extract<
  ConversationCommand,
  { type: 'takeOver' | 'release' | 'staffReply' | 'waitlistOffer' | 'noShowMessage' }
>;

/** Something that happened to a conversation: a guest's message off its partition, or a staff action. */
export type PipelineInput =
  | { kind: 'inbound'; message: JsMsg; attempt: HandlerContext }
  | {
      kind: 'staff';
      conversationId: string;
      command: StaffCommand;
      /** The caller's id for the action: the same id again is recognised and changes nothing. */
      requestId?: string;
    }
  /** A reminder or feedback request that came due, off SCHEDULE; `restaurant` is its business as the directory has it. */
  | { kind: 'work'; work: ReminderDue | FeedbackDue; streamSeq: number; restaurant: RestaurantFound };

/** A `schedule.work.due` whose work is a reminder. */
export type ReminderDue = WorkDue & { work: Extract<WorkDue['work'], { kind: 'reminder' }> };
/** A `schedule.work.due` whose work is a feedback request, with the guest its booking is filed under. */
export type FeedbackDue = WorkDue & { work: FeedbackWork };
/** A business the directory found. */
export type RestaurantFound = Extract<Lookup, { found: true }>;

export type Handled =
  /** An inbound message, for the `conversation_messages_total` metric. */
  | { outcome: 'answered' | 'silent' | 'duplicate' | 'unknown_business' }
  /** A staff action or scheduled work: committed; `sent` are the ids of the OUTBOUND commands it sent. */
  | { outcome: 'done'; sent: string[] }
  | { outcome: 'rejected'; rejection: Extract<Decision, { outcome: 'rejected' }>['rejection'] };

/** intent.v1 is down and nothing was understood: the guest hears "one moment" and the message is retried. */
export class WaitingForIntent extends Error {
  override name = 'WaitingForIntent';
}

/** reservation.v1 did not answer a call (down, slow, failing over): the message is retried before the guest hears so. */
export class ReservationUnavailable extends Error {
  override name = 'ReservationUnavailable';
}

/** Staff actions decide again at once when the conversation changed under them; so many times at most. */
const STAFF_ATTEMPTS = 5;

/** More calls than any flow needs (list → modify is two): a loop past it is a bug, not a guest. */
const MAX_CALLS_PER_DECISION = 4;

/**
 * Everything that happens to a conversation goes this one way, exactly once in effect:
 *   1. inbox check: an inbound message applied before is only published again (what its first run
 *      may have left unpublished);
 *   2. load the conversation;
 *   3. outside lookups (the restaurant, intent.v1's understanding) that make the commands;
 *   4. decide (decider/decide.ts), round after round: the reservation calls the dialogue asks for
 *      run between rounds, never interleaved with the store;
 *   5. one commit: inbox row, the events applied to the tables and the outbox, in one statement,
 *      checked against the version loaded in 2;
 *   6. publish the outbox (and remove it once acknowledged).
 * Throws to be retried: an inbound message is redelivered by its consumer after a backoff (and
 * dead-lettered on its last attempt); a staff action decides again on the new version.
 */
export async function handle(deps: PipelineDeps, input: PipelineInput): Promise<Handled> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await handleOnce(deps, input);
    } catch (error) {
      if (!(error instanceof VersionConflict)) throw error;
      deps.metrics.conflicts.inc();
      if (input.kind === 'inbound' || attempt === STAFF_ATTEMPTS) throw error;
    }
  }
}

async function handleOnce(deps: PipelineDeps, input: PipelineInput): Promise<Handled> {
  const span = trace.getActiveSpan();
  const opened = open(deps, input, span);
  const { conversationId, cause } = opened;
  const causationId = causationIdOf(cause);

  // 1, 2: the inbox and the conversation, read together.
  const { applied, stored } = await deps.store.loadForEvent(conversationId, causationId);
  if (applied) {
    await publishDecisions(
      deps.js,
      deps.store,
      await deps.store.unpublished({ causationId }),
      deps.publishTimeoutMs,
    );
    if (opened.kind !== 'staff') return { outcome: 'duplicate' };
    // A retried staff call: what the first one sent, under the same ids.
    const ids = decisionIds(conversationId, cause);
    return { outcome: 'done', sent: opened.command.type === 'staffReply' ? [ids.reply()] : [] };
  }
  span?.setAttribute('reserveit.conversation', conversationId);
  const now = new Date(deps.now()).toISOString();
  const state = stored ? conversationOf(stored) : newConversation(conversationId, now);

  // 3: the commands, with what they need from elsewhere.
  const { commands, business } =
    opened.kind === 'inbound'
      ? await lookUp(deps, opened.message, state, now, opened.attempt.lastAttempt, span)
      : { commands: [opened.command], business: undefined };

  // 4: decide, with the calls between rounds.
  const context: DecideContext = {
    now,
    settings: deps.settings,
    cause,
    ids: decisionIds(conversationId, cause),
  };
  const execute =
    opened.kind === 'inbound' && business
      ? callsOf(deps, business, opened.message.guestId, opened.attempt.lastAttempt)
      : undefined;
  const decision = await decideRounds(state, commands, context, execute);
  if (decision.outcome === 'rejected') return decision;
  if (decision.outcome === 'retry') {
    // Nothing was decided, so nothing is committed: the retry decides again (the Msg-Id makes
    // the repeated "one moment" a no-op).
    const { rows } = outboxOf(deps.topology, {
      conversationId,
      causationId,
      at: now,
      events: [],
      sends: decision.sends,
    });
    await publishRows(deps.js, rows, deps.publishTimeoutMs);
    throw new WaitingForIntent(decision.reason);
  }

  // 5: one commit.
  const outbox = outboxOf(deps.topology, {
    conversationId,
    causationId,
    at: now,
    events: decision.events,
    sends: decision.sends,
  });
  const fresh = await deps.store.commit({
    conversationId,
    expectedVersion: stored?.version ?? 0,
    ...(opened.kind === 'staff' ? {} : { streamSeq: opened.streamSeq }),
    events: decision.events,
    outbox,
  });

  // 6: publish. Just committed, these are the rows; applied before, whatever is still unpublished.
  const decisions = fresh ? [outbox] : await deps.store.unpublished({ causationId });
  if (opened.kind === 'staff') {
    await publishDecisions(deps.js, deps.store, decisions, deps.publishTimeoutMs).catch((error: unknown) =>
      deps.logger.warn({ err: error }, 'staff action committed; its events wait for the outbox sweeper'),
    );
    return { outcome: 'done', sent: decision.sends.map((command) => command.id) };
  }
  // A failed publish fails the message: its redelivery finds the inbox row and publishes what is left.
  await publishDecisions(deps.js, deps.store, decisions, deps.publishTimeoutMs);
  if (opened.kind === 'work') return { outcome: 'done', sent: decision.sends.map((command) => command.id) };
  if (!business) {
    deps.logger.warn(
      { phoneNumberId: opened.message.phoneNumberId },
      'message to an unknown phone_number_id: recorded, not answered',
    );
    return { outcome: 'unknown_business' };
  }
  const answered = decision.events.some((event) => event.type === DIALOGUE_EVENT_TYPES.replyRequested);
  return { outcome: answered ? 'answered' : 'silent' };
}

type Opened =
  | {
      kind: 'inbound';
      conversationId: string;
      cause: Cause;
      message: GuestMessage;
      streamSeq: number;
      attempt: HandlerContext;
    }
  | { kind: 'staff'; conversationId: string; cause: Cause; command: StaffCommand }
  | { kind: 'work'; conversationId: string; cause: Cause; command: ConversationCommand; streamSeq: number };

/**
 * The action's id from the caller's request id, as a UUID named by the conversation and the kind
 * of action too: the caller's id is recognised as a retry only for the same action on the same
 * conversation. A browser that reused an id for another conversation, or a takeover's id for a
 * reply, would otherwise be answered "done" with nothing done.
 */
export function actionIdOf(conversationId: string, action: StaffCommand['type'], requestId: string): string {
  const hex = createHash('sha256').update(`${conversationId}\n${action}\n${requestId}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** Which conversation, and the cause every id of the decision derives from. */
function open(deps: PipelineDeps, input: PipelineInput, span: Span | undefined): Opened {
  if (input.kind === 'staff') {
    // Without the caller's id, a new one per attempt: an attempt that lost a race committed nothing.
    const actionId = input.requestId
      ? actionIdOf(input.conversationId, input.command.type, input.requestId)
      : randomUUID();
    const cause: Cause = { kind: 'staff', actionId };
    return { kind: 'staff', conversationId: input.conversationId, cause, command: input.command };
  }
  if (input.kind === 'work') {
    const { work, restaurant } = input;
    span?.setAttributes({
      'reserveit.business': work.work.businessId,
      'reserveit.work.kind': work.work.kind,
    });
    return {
      kind: 'work',
      conversationId: conversationIdOf(deps.idKey, restaurant.phoneNumberId, work.work.guestId),
      cause: { kind: 'work', workId: work.id },
      command:
        work.work.kind === 'reminder'
          ? {
              type: 'reminderDue',
              reminder: work.work,
              business: restaurant.business,
              phoneNumberId: restaurant.phoneNumberId,
            }
          : {
              type: 'feedbackDue',
              feedback: work.work,
              business: restaurant.business,
              phoneNumberId: restaurant.phoneNumberId,
            },
      streamSeq: input.streamSeq,
    };
  }
  const event = storable(messageReceivedEventSchema.parse(input.message.json<unknown>()));
  const message = guestMessageOf(event);
  span?.setAttributes({
    'reserveit.wamid': message.wamid,
    'reserveit.phone_number_id': message.phoneNumberId,
  });
  return {
    kind: 'inbound',
    conversationId: conversationIdOf(deps.idKey, message.phoneNumberId, message.guestId),
    cause: { kind: 'message', wamid: message.wamid, guestName: message.guestName },
    message,
    streamSeq: input.message.seq,
    attempt: input.attempt,
  };
}

/** The restaurant the message is to and what intent.v1 understood of it, as commands for the decider. */
async function lookUp(
  deps: PipelineDeps,
  message: GuestMessage,
  state: Conversation,
  now: string,
  lastAttempt: boolean,
  span: Span | undefined,
): Promise<{ commands: ConversationCommand[]; business: BusinessProfile | undefined }> {
  const lookup = await deps.directory.byPhoneNumberId(message.phoneNumberId);
  if (!lookup.found) {
    deps.metrics.unknownBusiness.inc();
    return { commands: [{ type: 'unknownBusiness', message }], business: undefined };
  }
  const { business } = lookup;
  span?.setAttribute('reserveit.business', business.id);
  const { said } = message;
  const dialogue = state.dialogue;
  const expecting = dialogue.phase.kind === 'collecting' ? dialogue.phase.expecting : undefined;
  const interpreted =
    said.answer && said.readable
      ? await interpret(
          deps.upstreams,
          {
            text: said.text,
            ...(said.interactive ? { interactive: said.interactive } : {}),
            conversationId: state.id,
            timeZone: business.timezone,
            now,
            ...(expecting ? { expecting } : {}),
            localeHint: dialogue.language,
          },
          deps.intentDeadlineMs,
        )
      : undefined;
  if (interpreted?.fallbackReason) {
    deps.metrics.intentFallbacks.inc({ code: interpreted.fallbackReason });
    span?.setAttribute('reserveit.intent_fallback', interpreted.fallbackReason);
  }
  if (interpreted) span?.setAttribute('reserveit.intent', interpreted.understanding.intent);
  const commands = inboundCommands(
    state,
    { message, business, interpreted, lastAttempt },
    now,
    deps.settings,
  );
  return { commands, business };
}

type CallStep = { business: BusinessProfile; execute: (call: Call) => Promise<CallResult> };

/**
 * The dialogue's calls against reservation.v1. A call that did not happen is retried with the
 * whole message (nothing is committed yet, and a booking carries its idempotency key), so a
 * failover of a few seconds costs the guest a short wait rather than "try again in a minute";
 * only the last attempt answers that.
 */
function callsOf(
  deps: PipelineDeps,
  business: BusinessProfile,
  guestId: string,
  lastAttempt: boolean,
): CallStep {
  const calls = reservationCalls(deps.upstreams, deps.menus, {
    businessId: business.id,
    guestId,
    deadlineMs: deps.reservationDeadlineMs,
  });
  return {
    business,
    async execute(call) {
      const result = await calls(call);
      if (!lastAttempt && !result.result.ok && isTransient(result.result.code))
        throw new ReservationUnavailable(
          `reservation.v1 ${call.kind} failed (${result.result.code}); retrying`,
        );
      return result;
    },
  };
}

/**
 * Decides the commands one after the other, each on the state the ones before left, running the
 * call a round asks for and deciding its result next; the rounds' events settle into one decision.
 */
async function decideRounds(
  initial: Conversation,
  commands: ConversationCommand[],
  context: DecideContext,
  calls: CallStep | undefined,
): Promise<Decision> {
  const events: ConversationEvent[] = [];
  const sends: Extract<Decision, { outcome: 'decided' }>['sends'] = [];
  const queue = [...commands];
  let state = initial;
  let made = 0;
  for (let command = queue.shift(); command; command = queue.shift()) {
    const decision = decide(command, state, context);
    if (decision.outcome !== 'decided') return decision;
    events.push(...decision.events);
    sends.push(...decision.sends);
    state = decision.events.reduce(evolve, state);
    if (!decision.awaiting) continue;
    if (!calls) throw new Error(`${command.type} asked for a ${decision.awaiting.kind} call it cannot make`);
    if (made === MAX_CALLS_PER_DECISION)
      throw new Error(`the dialogue asked for more than ${MAX_CALLS_PER_DECISION} calls in one decision`);
    made += 1;
    queue.unshift({
      type: 'callResult',
      business: calls.business,
      result: await calls.execute(decision.awaiting),
    });
  }
  return { outcome: 'decided', events: settle(events), sends };
}

function conversationOf(stored: StoredConversation): Conversation {
  return {
    id: stored.id,
    party: { businessId: stored.businessId, phoneNumberId: stored.phoneNumberId, guestId: stored.guestId },
    dialogue: stored.state,
  };
}
