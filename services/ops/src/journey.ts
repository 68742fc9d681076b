import {
  conversationEventsOf,
  conversationTurnRecordedSchema,
  DIALOGUE_EVENT_TYPES,
  dialogueEventSchema,
  type MessageReceivedEvent,
  outboundEventSchema,
  parseReservationEvent,
  RESERVATION_EVENT_TYPES,
  sendRequestedSchema,
  statusReceivedEventSchema,
} from '@reserveit/contracts';
import { maskPhones } from './mask.js';
import { guestWords, replyWords, terminalSafe } from './message-text.js';

/**
 * One inbound message's path through the system, told by the events alone (pure: the trace
 * command reads the streams and hands each event here).
 */
export type StepKind =
  | 'received'
  | 'interpreted'
  | 'dialogue'
  | 'reserved'
  | 'replied'
  | 'sent'
  | 'failed'
  | 'delivered'
  | 'read'
  | 'status';

export interface JourneyStep {
  at: string;
  step: StepKind;
  detail: string;
  /** Where the event is: `STREAM#seq`. */
  source: string;
  /** What the guest wrote (received) or the bot answered (replied, or an answer not sent yet). */
  said?: { by: 'guest' | 'bot'; text: string };
}

/** `00-<trace id>-<span id>-<flags>` (W3C Trace Context) → the trace id, or undefined. */
export function traceIdOf(traceparent: string | undefined): string | undefined {
  const match = /^[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}$/.exec(traceparent?.trim() ?? '');
  const id = match?.[1];
  return id && !/^0+$/.test(id) ? id : undefined;
}

export function receivedStep(event: MessageReceivedEvent, source: string): JourneyStep {
  const words = guestWords(event.message);
  return {
    at: event.receivedAt,
    step: 'received',
    detail: `${event.message.type} message to phone_number_id ${event.phoneNumberId}, sent by the guest at ${event.occurredAt}`,
    source,
    ...(words ? { said: { by: 'guest', text: words } } : {}),
  };
}

/** The wamid appears in a dialogue event's causation id, or as the middle of its id (`<conv>:<wamid>:<what>`). */
const causedBy = (id: string, causationId: string | undefined, wamid: string) =>
  causationId === wamid || id.includes(`:${wamid}:`) || id.endsWith(`:${wamid}`);

/**
 * The steps in one CONVERSATIONS message (a decision holds several) that this wamid caused. The
 * bot's answer is told by its `replied` step (the command's whole message); an assistant turn
 * whose command is not in `repliedIds` (not relayed to OUTBOUND yet) tells it instead.
 */
export function conversationSteps(
  json: unknown,
  wamid: string,
  source: string,
  repliedIds: ReadonlySet<string>,
): JourneyStep[] {
  return conversationEventsOf(json).flatMap(
    (event) => conversationStep(event, wamid, source, repliedIds) ?? [],
  );
}

function conversationStep(
  json: unknown,
  wamid: string,
  source: string,
  repliedIds: ReadonlySet<string>,
): JourneyStep | undefined {
  const turn = conversationTurnRecordedSchema.safeParse(json);
  if (turn.success) {
    const { id, role, intent, messageId, text, occurredAt } = turn.data;
    if (!causedBy(id, undefined, wamid)) return undefined;
    // Turns written before `messageId` existed: the assistant turn's id is `<command id>:assistant`.
    const replyId = messageId ?? id.replace(/:assistant$/, '');
    const unsent = role === 'assistant' && !repliedIds.has(replyId) && text !== '';
    return {
      at: occurredAt,
      step: 'dialogue',
      detail: `${role} turn recorded${intent ? ` (intent ${intent})` : ''}${unsent ? ', its reply command not found' : ''}`,
      source,
      ...(unsent ? { said: { by: 'bot', text } } : {}),
    };
  }
  const parsed = dialogueEventSchema.safeParse(json);
  if (!parsed.success) return undefined;
  const event = parsed.data;
  if (!causedBy(event.id, event.causationId, wamid)) return undefined;
  const at = event.occurredAt;
  switch (event.type) {
    case DIALOGUE_EVENT_TYPES.intentInterpreted:
      return {
        at,
        step: 'interpreted',
        detail: `intent ${event.intent} by ${event.source}${event.confidence === undefined ? '' : ` (confidence ${event.confidence})`}${event.fallbackReason ? `, fallback: ${event.fallbackReason}` : ''}`,
        source,
      };
    case DIALOGUE_EVENT_TYPES.stateChanged:
      return { at, step: 'dialogue', detail: `dialogue now in phase ${event.phase}`, source };
    case DIALOGUE_EVENT_TYPES.replyRequested:
      return {
        at,
        step: 'dialogue',
        detail: `reply requested (${event.kind}) as ${event.commandId}`,
        source,
      };
    case DIALOGUE_EVENT_TYPES.noted:
      return { at, step: 'dialogue', detail: `noted ${event.note}`, source };
    case DIALOGUE_EVENT_TYPES.unknownBusiness:
      return {
        at,
        step: 'dialogue',
        detail: 'no business has this phone_number_id: recorded, not answered',
        source,
      };
    default:
      return exhaustive(event);
  }
}

/** Bookings made for this message carry it in their idempotency key (`<conversation>:<wamid>`). */
export function reservationStep(json: unknown, wamid: string, source: string): JourneyStep | undefined {
  const parsed = parseReservationEvent(json);
  if (!parsed.ok || parsed.event.type !== RESERVATION_EVENT_TYPES.reservationCreated) return undefined;
  const booking = parsed.event.booking;
  if (!booking.idempotencyKey.includes(wamid)) return undefined;
  return {
    at: parsed.event.at,
    step: 'reserved',
    detail: `reservation ${booking.reservationId}: ${booking.partySize} on ${booking.serviceDate} at ${booking.startsAt} (${booking.status})`,
    source,
  };
}

/** A reply command answering the message: its dedupe key contains the wamid, or it quotes it. */
export function commandStep(
  json: unknown,
  wamid: string,
  source: string,
): { step: JourneyStep; key: string } | undefined {
  const parsed = sendRequestedSchema.safeParse(json);
  if (!parsed.success) return undefined;
  const command = parsed.data;
  if (command.replyTo !== wamid && !command.id.includes(wamid)) return undefined;
  const words = replyWords(command.message);
  return {
    key: command.id,
    step: {
      at: command.requestedAt,
      step: 'replied',
      detail: `${command.message.kind} reply ${command.id}`,
      source,
      ...(words ? { said: { by: 'bot', text: words } } : {}),
    },
  };
}

export function outcomeStep(
  json: unknown,
  keys: ReadonlySet<string>,
  source: string,
): { step: JourneyStep; sentWamid?: string } | undefined {
  const parsed = outboundEventSchema.safeParse(json);
  if (!parsed.success || !keys.has(parsed.data.id)) return undefined;
  const event = parsed.data;
  if (event.type === 'whatsapp.send.succeeded') {
    return {
      sentWamid: event.wamid,
      step: {
        at: event.at,
        step: 'sent',
        detail: `${event.id} sent${event.wamid ? ` as ${event.wamid}` : ''} after ${event.attempts} attempt(s)`,
        source,
      },
    };
  }
  return {
    step: {
      at: event.at,
      step: 'failed',
      detail: `${event.id} failed: code ${event.code}, ${event.reason}${event.exhausted ? ' (retries exhausted)' : ''}`,
      source,
    },
  };
}

const STATUS_STEPS: Record<string, StepKind> = { delivered: 'delivered', read: 'read', failed: 'failed' };

/** Delivery statuses of the replies we sent (by their wamid, or by the echoed dedupe key). */
export function statusStep(
  json: unknown,
  sentWamids: ReadonlySet<string>,
  keys: ReadonlySet<string>,
  source: string,
): JourneyStep | undefined {
  const parsed = statusReceivedEventSchema.safeParse(json);
  if (!parsed.success) return undefined;
  const status = parsed.data.status;
  const echoed = status.biz_opaque_callback_data;
  if (!sentWamids.has(status.id) && !(echoed && keys.has(echoed))) return undefined;
  const kind = STATUS_STEPS[status.status] ?? 'status';
  return { at: parsed.data.occurredAt, step: kind, detail: `${status.status}: ${status.id}`, source };
}

/**
 * In time order, ties in the order the events were found; phone numbers masked in every detail and
 * in what was said, which also loses its control characters.
 */
export function sortJourney(steps: readonly JourneyStep[]): JourneyStep[] {
  const clean = (step: JourneyStep): JourneyStep => ({
    ...step,
    detail: maskPhones(step.detail),
    ...(step.said ? { said: { by: step.said.by, text: terminalSafe(maskPhones(step.said.text)) } } : {}),
  });
  return steps
    .map((step, index) => ({ step: clean(step), index }))
    .sort((a, b) => Date.parse(a.step.at) - Date.parse(b.step.at) || a.index - b.index)
    .map(({ step }) => step);
}

function exhaustive(value: never): never {
  throw new Error(`unhandled ${JSON.stringify(value)}`);
}
