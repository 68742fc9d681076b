import type { JetStreamClient, JetStreamManager } from '@nats-io/jetstream';
import { statusReceivedEventSchema, type Topology } from '@reserveit/contracts';
import { consume, publishDeadLetter, type RunningConsumer } from '@reserveit/messaging';
import type { Logger } from '@reserveit/telemetry';
import { statusRank } from './domain/status-rank.js';
import type { SenderMetrics } from './metrics.js';
import type { OutboxRow, OutboxStore } from './outbox/outbox-store.js';

export const STATUSES_DURABLE = 'sender-statuses';

export interface StatusProjectionDeps {
  js: JetStreamClient;
  jsm: JetStreamManager;
  topology: Topology;
  store: OutboxStore;
  logger: Logger;
  metrics: SenderMetrics;
  now(): Date;
  /** A status confirmed a send whose answer was missing: publish its outcome. */
  onConfirmed(row: OutboxRow): Promise<void>;
}

/**
 * Projects `whatsapp.status.received` into sender.statuses, keyed by wamid, keeping the furthest
 * status (statusRank), so order does not matter and a status may come before the send is recorded:
 * the outbox row finds it by wamid or by the echoed key later. A status that names a key whose
 * send is still unanswered proves Meta took it: the row is marked sent (reconciliation).
 */
export function startStatusProjection(deps: StatusProjectionDeps): Promise<RunningConsumer> {
  const { js, jsm, topology, store, logger, metrics } = deps;
  const durable = STATUSES_DURABLE;
  return consume({
    js,
    jsm,
    consumer: {
      stream: topology.streams.whatsapp.name,
      durable,
      filterSubject: topology.subjects.inboundStatusAll,
      ackWaitMs: 30_000,
      // Order-free: the projection is monotonic.
      maxAckPending: 256,
      deliverPolicy: 'all',
    },
    maxDeliver: 20,
    backoff: { baseMs: 200, maxMs: 30_000 },
    mode: 'live',
    logger,
    handler: async (message) => {
      const parsed = statusReceivedEventSchema.safeParse(message.json());
      if (!parsed.success) {
        // Ingress validated it; a shape we cannot read is skipped, not retried forever.
        logger.warn({ seq: message.seq }, 'unreadable status event skipped');
        metrics.statuses.inc({ status: 'unreadable' });
        return;
      }
      const status = parsed.data.status;
      const rank = statusRank(status.status);
      if (rank === undefined) {
        metrics.statuses.inc({ status: 'unknown' });
        return;
      }
      metrics.statuses.inc({ status: status.status });
      const callbackKey = status.biz_opaque_callback_data || undefined;
      const now = deps.now();
      await store.recordStatus(
        {
          wamid: status.id,
          callbackKey,
          status: status.status,
          rank,
          statusAt: new Date(parsed.data.occurredAt),
          errorCode: status.errors?.[0]?.code,
        },
        now,
      );
      if (!callbackKey) return;
      const confirmed = await store.confirmByStatus(callbackKey, status.id, now);
      if (confirmed) {
        metrics.sends.inc({ outcome: 'reconciled' });
        logger.info({ key: callbackKey, wamid: status.id }, 'status webhook confirmed an unanswered send');
        await deps.onConfirmed(confirmed);
      }
    },
    deadLetter: (message, error) => publishDeadLetter(js, topology, durable, message, error),
  });
}
