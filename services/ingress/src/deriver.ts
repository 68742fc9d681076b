import type { JetStreamClient, JetStreamManager, JsMsg } from '@nats-io/jetstream';
import { type Context, context } from '@opentelemetry/api';
import { DEFAULT_MAX_PAYLOAD, type ProjectionConsumer, type Topology } from '@reserveit/contracts';
import {
  consumeProjection,
  extractTraceContext,
  type NatsConnection,
  publish,
  type RawBodies,
  type RunningConsumer,
} from '@reserveit/messaging';
import type { Logger } from '@reserveit/telemetry';
import { classifyWebhook, type StorableEvent } from './classify.js';
import type { IngressMetrics } from './metrics.js';

/** How long one event may wait for its ack; a failed batch is tried again (projection class). */
const PUBLISH_TIMEOUT_MS = 5_000;
const HEALTH_TIMEOUT_MS = 1_000;

export interface DeriverOptions {
  nc: NatsConnection;
  js: JetStreamClient;
  jsm: JetStreamManager;
  rawBodies: RawBodies;
  topology: Topology;
  /** The wiring table's `ingress.deriver`. */
  entry: ProjectionConsumer;
  logger: Logger;
  metrics: IngressMetrics;
}

/** What one raw body became, with the trace it arrived in (ingress's publish of it). */
interface Derived {
  receivedAt: Date;
  parent: Context;
  events: StorableEvent[];
}

/**
 * The hop after ingress's one publish: each raw body on WHATSAPP_RAW becomes its events on WHATSAPP
 * (classify.ts: the wamid as Msg-Id, or one quarantine event for a signed body that is no webhook
 * we can store), and the raw messages are acked once JetStream acked every event. A redelivery
 * after a crash between the two publishes its events again, which the Msg-Ids make no-ops.
 *
 * Ordering: the projection class hands raw bodies over in stream order, one batch at a time on one
 * replica (the row's writers: 'one'); within a batch a subject's events (one guest of one number)
 * are published one after the other in body order, different subjects side by side. So a guest's
 * events keep the order in which ingress stored their bodies, as when ingress published them.
 */
export function startDeriver(options: DeriverOptions): Promise<RunningConsumer> {
  const { nc, js, jsm, rawBodies, topology, entry, logger, metrics } = options;
  const log = logger.child({ consumer: entry.id });

  const derive = async (message: JsMsg): Promise<Derived | undefined> => {
    const raw = await rawBodies.completedBy(message);
    if (!raw) return undefined;
    const classified = classifyWebhook(raw.body, {
      receivedAt: raw.receivedAt,
      topology,
      maxPayload: nc.info?.max_payload ?? DEFAULT_MAX_PAYLOAD,
    });
    if (classified.kind === 'quarantine') {
      metrics.quarantined.inc({ reason: classified.reason });
      log.warn(
        { rawId: classified.rawId, reason: classified.reason, detail: classified.detail },
        'signed webhook quarantined',
      );
    }
    return {
      receivedAt: raw.receivedAt,
      parent: extractTraceContext(message.headers),
      events: classified.events,
    };
  };

  const publishEvent = (event: StorableEvent, parent: Context) =>
    context.with(parent, () =>
      publish(js, {
        subject: event.subject,
        msgId: event.msgId,
        data: event.data,
        timeoutMs: PUBLISH_TIMEOUT_MS,
        attributes: spanAttributes(event),
      }),
    );

  const deriveAll = async (messages: JsMsg[]): Promise<void> => {
    const derived: Derived[] = [];
    for (const message of messages) {
      const each = await derive(message);
      if (each) derived.push(each);
    }
    const bySubject = new Map<string, { event: StorableEvent; parent: Context }[]>();
    for (const { events, parent } of derived) {
      for (const event of events) {
        const group = bySubject.get(event.subject);
        if (group) group.push({ event, parent });
        else bySubject.set(event.subject, [{ event, parent }]);
      }
    }
    await Promise.all(
      [...bySubject.values()].map(async (group) => {
        for (const { event, parent } of group) {
          const ack = await publishEvent(event, parent);
          if (ack.duplicate) metrics.duplicates.inc();
          else metrics.events.inc({ kind: event.event.type });
        }
      }),
    );
    const now = Date.now();
    for (const { receivedAt } of derived)
      metrics.deriveLagSeconds.observe((now - receivedAt.getTime()) / 1000);
  };

  return consumeProjection(entry, {
    js,
    jsm,
    logger,
    handleBatch: deriveAll,
    handler: (message) => deriveAll([message]),
    healthy: async () => {
      if (nc.isClosed()) return false;
      const answered = jsm.streams.info(topology.streams.whatsapp.name).then(
        () => true,
        () => false,
      );
      const silent = new Promise<boolean>((resolve) =>
        setTimeout(() => resolve(false), HEALTH_TIMEOUT_MS).unref(),
      );
      return Promise.race([answered, silent]);
    },
  });
}

function spanAttributes({ attributes }: StorableEvent) {
  return {
    ...(attributes.wamid ? { 'whatsapp.message.id': attributes.wamid } : {}),
    ...(attributes.phoneNumberId ? { 'whatsapp.phone_number_id': attributes.phoneNumberId } : {}),
    ...(attributes.messageType ? { 'whatsapp.message.type': attributes.messageType } : {}),
    ...(attributes.status ? { 'whatsapp.status': attributes.status } : {}),
  };
}
