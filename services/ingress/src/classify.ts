import { createHash } from 'node:crypto';
import {
  buildQuarantineEvent,
  type DerivedEvent,
  deriveEvents,
  natsMessageProblem,
  parseWebhook,
  type Topology,
} from '@reserveit/contracts';
import secureJson from 'secure-json-parse';
import { nestsDeeperThan } from './json-depth.js';

/**
 * How deep a body may nest. Meta's go 12 levels deep at most (a shared contact's phone numbers,
 * libs/contracts/test/fixtures/contacts.json); deeper than 64 is no webhook, and every step of
 * the publish path (parse, schema, JSON.stringify) handles 64 without recursing near its limits.
 */
export const MAX_JSON_DEPTH = 64;

/**
 * How many events one body may yield: twice the 1,000 updates Meta batches at most in a POST
 * (https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/create-webhook-endpoint).
 * A body with tens of thousands could never be acknowledged within INGRESS_PUBLISH_TIMEOUT_MS
 * (1,000 events took 0.8 to 1 s on two loaded cores), so every retry would get a 503.
 */
export const MAX_EVENTS_PER_BODY = 2_000;

/** The `reason` label of ingress_quarantined_total. */
export type QuarantineReason =
  | 'not_json'
  | 'too_deep'
  | 'unknown_shape'
  | 'too_many_events'
  | 'over_nats_limits';

/** An event with the bytes it is published as, checked to be a message NATS accepts. */
export interface StorableEvent extends DerivedEvent {
  data: Buffer;
}

/** Either way `events` is what to publish: the body's events, or the one quarantine event. */
export type Classified =
  | { kind: 'events'; rawId: string; events: StorableEvent[] }
  | {
      kind: 'quarantine';
      rawId: string;
      reason: QuarantineReason;
      /** Names paths and sizes, never values: bodies hold phone numbers. */
      detail: string;
      events: [StorableEvent];
    };

export interface ClassifyContext {
  receivedAt: Date;
  topology: Topology;
  /** The connected server's max_payload: an event must fit it with its headers. */
  maxPayload: number;
}

/** The id a raw body is kept under: its sha256, so the same delivery always maps to the same id. */
export function rawIdOf(rawBody: Buffer): string {
  return createHash('sha256').update(rawBody).digest('hex');
}

const encode = (derived: DerivedEvent): StorableEvent => ({
  ...derived,
  data: Buffer.from(JSON.stringify(derived.event), 'utf8'),
});

/**
 * What a verified body becomes: the events it carries, or a quarantine when it is not JSON, not a
 * shape we know, or yields an event NATS would refuse. Meta signed it, so it is kept either way;
 * a body no retry could store must not be answered with an error that makes Meta retry it for a
 * week, nor be sent to NATS (a subject over the control line would cost every other webhook in
 * flight its connection). `__proto__` and `constructor.prototype` keys are refused by the parser
 * rather than copied into objects.
 */
export function classifyWebhook(rawBody: Buffer, ctx: ClassifyContext): Classified {
  const rawId = rawIdOf(rawBody);
  const quarantine = (reason: QuarantineReason, detail: string): Classified => {
    const event = buildQuarantineEvent(rawId, ctx.receivedAt, rawBody.length, detail);
    return {
      kind: 'quarantine',
      rawId,
      reason,
      detail,
      events: [encode({ subject: ctx.topology.subjects.quarantine, msgId: event.id, event, attributes: {} })],
    };
  };

  if (nestsDeeperThan(rawBody, MAX_JSON_DEPTH)) {
    return quarantine('too_deep', `too deep: objects and arrays nested over ${MAX_JSON_DEPTH} levels`);
  }
  let json: unknown;
  try {
    json = secureJson.parse(rawBody.toString('utf8'), undefined, {
      protoAction: 'error',
      constructorAction: 'error',
    });
  } catch (error) {
    return quarantine('not_json', `not JSON: ${withoutQuotedBody((error as Error).message)}`.slice(0, 300));
  }
  const parsed = parseWebhook(json);
  if (!parsed.ok) return quarantine('unknown_shape', `unknown shape: ${parsed.reason}`);

  const derived = deriveEvents(parsed.webhook, { rawId, receivedAt: ctx.receivedAt, topology: ctx.topology });
  if (derived.length > MAX_EVENTS_PER_BODY) {
    return quarantine('too_many_events', `too many events: ${derived.length}, over ${MAX_EVENTS_PER_BODY}`);
  }
  const events: StorableEvent[] = [];
  for (const [index, each] of derived.entries()) {
    const storable = encode(each);
    const problem = natsMessageProblem(
      { subject: storable.subject, msgId: storable.msgId, payloadBytes: storable.data.length },
      ctx.maxPayload,
    );
    if (problem) {
      return quarantine(
        'over_nats_limits',
        `over NATS limits: event ${index} (${each.event.type}), ${problem}`,
      );
    }
    events.push(storable);
  }
  return { kind: 'events', rawId, events };
}

/**
 * V8's JSON.parse message quotes the body around the error (`Unexpected token 'x', "{"from":
 * "9715…" is not valid JSON`), which may hold a guest's number or words; the reason is logged
 * and stored, so the quote goes.
 */
function withoutQuotedBody(message: string): string {
  return message.replace(/".*"/s, '"…"');
}
