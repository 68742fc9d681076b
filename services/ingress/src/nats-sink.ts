import type { JetStreamClient, JetStreamManager } from '@nats-io/jetstream';
import { buildQuarantineEvent, type DerivedEvent, type Topology } from '@reserveit/contracts';
import { type NatsConnection, publish, RawBodies } from '@reserveit/messaging';
import type { Readiness } from '@reserveit/telemetry';
import type { Classified } from './classify.js';

export interface StoreResult {
  published: number;
  duplicates: number;
}

/** Where verified webhooks go; the app only needs these two things from it. */
export interface WebhookSink {
  /** Resolves once JetStream acknowledged the raw body and every event; rejects otherwise. */
  store(classified: Classified, rawBody: Buffer, receivedAt: Date): Promise<StoreResult>;
  readiness(): Promise<Readiness>;
}

export interface NatsSinkOptions {
  nc: NatsConnection;
  js: JetStreamClient;
  jsm: JetStreamManager;
  topology: Topology;
  timeoutMs: number;
}

const READINESS_TIMEOUT_MS = 1_000;

export function natsWebhookSink({ nc, js, jsm, topology, timeoutMs }: NatsSinkOptions): WebhookSink {
  const rawBodies = new RawBodies(nc, js, jsm, topology);

  const publishEvent = (derived: DerivedEvent, deadline: number) =>
    publish(js, {
      subject: derived.subject,
      msgId: derived.msgId,
      data: JSON.stringify(derived.event),
      timeoutMs: remaining(deadline),
      attributes: spanAttributes(derived),
    });

  /**
   * Events of one subject (one guest of one business) go one after the other so the stream keeps
   * the order of the body; different subjects go in parallel.
   */
  const publishInOrder = async (events: DerivedEvent[], deadline: number): Promise<StoreResult> => {
    const bySubject = new Map<string, DerivedEvent[]>();
    for (const event of events)
      bySubject.set(event.subject, [...(bySubject.get(event.subject) ?? []), event]);
    const acks = await Promise.all(
      [...bySubject.values()].map(async (group) => {
        const results = [];
        for (const event of group) results.push(await publishEvent(event, deadline));
        return results;
      }),
    );
    const flat = acks.flat();
    return { published: flat.length, duplicates: flat.filter((ack) => ack.duplicate).length };
  };

  return {
    async store(classified, rawBody, receivedAt) {
      const events =
        classified.kind === 'events'
          ? classified.events
          : [quarantined(topology, classified.rawId, receivedAt, rawBody.length, classified.reason)];
      // One deadline for the whole body, however many events one guest has in it: Meta gets its
      // 503 within the timeout, not a multiple of it.
      const deadline = Date.now() + timeoutMs;
      const [, result] = await Promise.all([
        rawBodies.put(classified.rawId, rawBody, timeoutMs),
        publishInOrder(events, deadline),
      ]);
      return result;
    },

    async readiness() {
      if (nc.isClosed()) return { ready: false, detail: 'NATS connection closed' };
      const streams = [topology.streams.whatsapp.name, topology.streams.raw.name];
      const check = Promise.all(streams.map((name) => jsm.streams.info(name))).then(
        () => ({ ready: true, detail: `NATS ${nc.getServer()}, streams ${streams.join(', ')} present` }),
        (error: Error) => ({ ready: false, detail: `JetStream: ${error.message}` }),
      );
      const timeout = new Promise<Readiness>((resolve) =>
        setTimeout(
          () => resolve({ ready: false, detail: 'JetStream did not answer within 1 s' }),
          READINESS_TIMEOUT_MS,
        ).unref(),
      );
      return Promise.race([check, timeout]);
    },
  };
}

/** What is left of the deadline; at least 1 ms so a late publish still fails by timing out. */
const remaining = (deadline: number) => Math.max(1, deadline - Date.now());

function quarantined(
  topology: Topology,
  rawId: string,
  receivedAt: Date,
  size: number,
  reason: string,
): DerivedEvent {
  const event = buildQuarantineEvent(rawId, receivedAt, size, reason);
  return { subject: topology.subjects.quarantine, msgId: event.id, event, attributes: {} };
}

function spanAttributes({ attributes }: DerivedEvent) {
  return {
    ...(attributes.wamid ? { 'whatsapp.message.id': attributes.wamid } : {}),
    ...(attributes.phoneNumberId ? { 'whatsapp.phone_number_id': attributes.phoneNumberId } : {}),
    ...(attributes.messageType ? { 'whatsapp.message.type': attributes.messageType } : {}),
    ...(attributes.status ? { 'whatsapp.status': attributes.status } : {}),
  };
}
