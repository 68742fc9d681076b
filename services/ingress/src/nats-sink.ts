import type { JetStreamManager } from '@nats-io/jetstream';
import type { Topology } from '@reserveit/contracts';
import type { NatsConnection, RawBodies } from '@reserveit/messaging';
import type { Readiness } from '@reserveit/telemetry';
import { type Deadline, DeadlineExceeded, remainingMs } from './deadline.js';

/** Where verified webhooks go; the app only needs these things from it. */
export interface WebhookSink {
  /**
   * Resolves once JetStream acknowledged the raw body (every chunk of it), with whether it was a
   * duplicate of one stored earlier; rejects otherwise, at the deadline at the latest. The deriver
   * (deriver.ts) turns it into events.
   */
  store(rawId: string, rawBody: Buffer, deadline: Deadline): Promise<{ duplicate: boolean }>;
  readiness(): Promise<Readiness>;
}

export interface NatsSinkOptions {
  nc: NatsConnection;
  jsm: JetStreamManager;
  rawBodies: RawBodies;
  topology: Topology;
}

const READINESS_TIMEOUT_MS = 1_000;

export function natsWebhookSink({ nc, jsm, rawBodies, topology }: NatsSinkOptions): WebhookSink {
  return {
    async store(rawId, rawBody, deadline) {
      const timeoutMs = remainingMs(deadline);
      // Reading and verifying the body may have used the time up: then nothing is sent at all.
      if (timeoutMs === 0) throw new DeadlineExceeded();
      // The NATS client's request timers hold the deadline, during a reconnect too (a publish waits
      // in its buffer, its timer running): every chunk is sent at once with what is left, so Meta
      // gets its 503 within the timeout however many chunks there are, with no timer of our own.
      return { duplicate: await rawBodies.put(rawId, rawBody, timeoutMs) };
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
