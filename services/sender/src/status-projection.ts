import type { JetStreamClient, JetStreamManager, JsMsg } from '@nats-io/jetstream';
import { type FreeConsumer, statusReceivedEventSchema } from '@reserveit/contracts';
import { consumeFree, type RunningConsumer } from '@reserveit/messaging';
import type { Logger } from '@reserveit/telemetry';
import type { StatusUpdate } from './domain/status-fold.js';
import { statusRank } from './domain/status-rank.js';
import type { SenderMetrics } from './metrics.js';
import type { OutboxRow, OutboxStore } from './outbox/outbox-store.js';
import type { StatusStore } from './outbox/status-store.js';

export interface StatusProjectionDeps {
  js: JetStreamClient;
  jsm: JetStreamManager;
  /** Its row of the wiring table, `sender.statuses`. */
  row: FreeConsumer;
  store: OutboxStore;
  statuses: StatusStore;
  logger: Logger;
  metrics: SenderMetrics;
  now(): Date;
  /** A status confirmed a send whose answer was missing: publish its outcome. */
  onConfirmed(row: OutboxRow): Promise<void>;
}

/**
 * Projects `whatsapp.status.received` into sender.statuses, keyed by wamid, keeping the furthest
 * status (statusRank), so order does not matter (its row's ordering class is `free`) and a status
 * may come before the send is recorded: the outbox row finds it by wamid or by the echoed key
 * later. A status that names a key whose send is still unanswered proves Meta took it: the row is
 * marked sent (reconciliation).
 */
export function startStatusProjection(deps: StatusProjectionDeps): Promise<RunningConsumer> {
  const { js, jsm, store, statuses, logger, metrics } = deps;
  return consumeFree(deps.row, {
    js,
    jsm,
    logger,
    handler: async (message) => {
      const update = statusUpdateOf(message);
      if (typeof update === 'string') {
        // Ingress validated it; a shape we cannot read is skipped, not retried forever.
        if (update === 'unreadable') logger.warn({ seq: message.seq }, 'unreadable status event skipped');
        metrics.statuses.inc({ status: update });
        return;
      }
      metrics.statuses.inc({ status: update.status });
      const { callbackKey } = update;
      const now = deps.now();
      await statuses.recordStatus(update, now);
      if (!callbackKey) return;
      const confirmed = await store.confirmByStatus(callbackKey, update.wamid, now);
      if (confirmed) {
        metrics.sends.inc({ outcome: 'reconciled' });
        logger.info({ key: callbackKey, wamid: update.wamid }, 'status webhook confirmed an unanswered send');
        await deps.onConfirmed(confirmed);
      }
    },
  });
}

/** The projection's update from a status event, or why it changes nothing (a status Meta does not document). */
export function statusUpdateOf(message: Pick<JsMsg, 'json'>): StatusUpdate | 'unreadable' | 'unknown' {
  let raw: unknown;
  try {
    raw = message.json();
  } catch {
    return 'unreadable';
  }
  const parsed = statusReceivedEventSchema.safeParse(raw);
  if (!parsed.success) return 'unreadable';
  const { status } = parsed.data;
  const rank = statusRank(status.status);
  if (rank === undefined) return 'unknown';
  return {
    wamid: status.id,
    callbackKey: status.biz_opaque_callback_data || undefined,
    status: status.status,
    rank,
    statusAt: new Date(parsed.data.occurredAt),
    errorCode: status.errors?.[0]?.code,
  };
}
