import type { JetStreamClient } from '@nats-io/jetstream';
import { publish } from '@reserveit/messaging';
import type { Logger } from '@reserveit/telemetry';
import type { ConversationStore, OutboxRow } from './conversation-store.js';

/**
 * Publishes outbox rows, Msg-Id = row id, and marks the acknowledged ones published in the
 * background (`notePublished`: the caller does not wait for that UPDATE). The publishes
 * are pipelined on the one connection: NATS keeps their order, and waiting for each ack in turn
 * made a decision's eight-odd rows cost eight round trips. If one fails the call throws after the
 * rest settled, and the message's retry publishes what is left; in that rare case a later row (a
 * second reply) may land before an earlier one, a price paid for not serialising every send.
 */
export async function publishRows(
  js: JetStreamClient,
  store: ConversationStore,
  rows: OutboxRow[],
  timeoutMs: number,
): Promise<void> {
  const results = await Promise.allSettled(
    rows.map((row) => publish(js, { subject: row.subject, msgId: row.id, data: row.payload, timeoutMs })),
  );
  store.notePublished(rows.filter((_, i) => results[i]?.status === 'fulfilled').map((row) => row.id));
  const failed = results.find((result) => result.status === 'rejected');
  if (failed) throw failed.reason;
}

/**
 * Sweeps rows a crashed or dead-lettered handler left unpublished. The handler publishes its own
 * rows right after commit; this only catches what that missed, so it looks at rows a few seconds old.
 */
export function startOutboxSweeper(options: {
  js: JetStreamClient;
  store: ConversationStore;
  logger: Logger;
  intervalMs: number;
  publishTimeoutMs: number;
}): { stop(): Promise<void> } {
  const { js, store, logger } = options;
  let running: Promise<void> = Promise.resolve();
  const sweep = async () => {
    const rows = await store.unpublished({ olderThanMs: options.intervalMs, limit: 500 });
    if (rows.length > 0) {
      logger.warn({ rows: rows.length }, 'publishing outbox rows a handler left behind');
      await publishRows(js, store, rows, options.publishTimeoutMs);
    }
    // The next sweep must not find these rows again.
    await store.flushPublished();
  };
  const timer = setInterval(() => {
    running = running
      .then(sweep)
      .catch((error: unknown) => logger.error({ err: error }, 'outbox sweep failed'));
  }, options.intervalMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
