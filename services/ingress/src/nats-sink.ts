import type { JetStreamClient, JetStreamManager } from '@nats-io/jetstream';
import { DEFAULT_MAX_PAYLOAD, type Topology } from '@reserveit/contracts';
import { type NatsConnection, publish, RawBodies } from '@reserveit/messaging';
import type { Readiness } from '@reserveit/telemetry';
import type { StorableEvent } from './classify.js';
import { beforeDeadline, type Deadline, DeadlineExceeded, remainingMs } from './deadline.js';

export interface StoreResult {
  published: number;
  duplicates: number;
}

/** Where verified webhooks go; the app only needs these things from it. */
export interface WebhookSink {
  /**
   * Resolves once JetStream acknowledged the raw body and every event; rejects otherwise, at the
   * deadline at the latest.
   */
  store(rawId: string, rawBody: Buffer, events: StorableEvent[], deadline: Deadline): Promise<StoreResult>;
  /** The connected server's max_payload, which every event must fit. */
  maxPayload(): number;
  readiness(): Promise<Readiness>;
}

export interface NatsSinkOptions {
  nc: NatsConnection;
  js: JetStreamClient;
  jsm: JetStreamManager;
  topology: Topology;
}

const READINESS_TIMEOUT_MS = 1_000;

export function natsWebhookSink({ nc, js, jsm, topology }: NatsSinkOptions): WebhookSink {
  const rawBodies = new RawBodies(nc, js, jsm, topology);

  const publishEvent = (event: StorableEvent, deadline: Deadline) =>
    publish(js, {
      subject: event.subject,
      msgId: event.msgId,
      data: event.data,
      timeoutMs: natsTimeoutMs(deadline),
      attributes: spanAttributes(event),
    });

  /**
   * Events of one subject (one guest of one business) go one after the other so the stream keeps
   * the order of the body; different subjects go in parallel.
   */
  const publishInOrder = async (events: StorableEvent[], deadline: Deadline): Promise<StoreResult> => {
    const bySubject = new Map<string, StorableEvent[]>();
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
    async store(rawId, rawBody, events, deadline) {
      // Parsing and checking the body may have used the time up: then nothing is sent at all.
      if (remainingMs(deadline) === 0) throw new DeadlineExceeded();
      // One deadline for the raw body and every event, however many chunks and events there are:
      // Meta gets its 503 within the timeout, not a multiple of it.
      const [, result] = await beforeDeadline(
        Promise.all([
          rawBodies.put(rawId, rawBody, natsTimeoutMs(deadline)),
          publishInOrder(events, deadline),
        ]),
        deadline,
      );
      return result;
    },

    maxPayload: () => nc.info?.max_payload ?? DEFAULT_MAX_PAYLOAD,

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

/** What is left of the deadline; the NATS client needs at least 1 ms, and a late publish then times out. */
const natsTimeoutMs = (deadline: Deadline) => Math.max(1, remainingMs(deadline));

function spanAttributes({ attributes }: StorableEvent) {
  return {
    ...(attributes.wamid ? { 'whatsapp.message.id': attributes.wamid } : {}),
    ...(attributes.phoneNumberId ? { 'whatsapp.phone_number_id': attributes.phoneNumberId } : {}),
    ...(attributes.messageType ? { 'whatsapp.message.type': attributes.messageType } : {}),
    ...(attributes.status ? { 'whatsapp.status': attributes.status } : {}),
  };
}
