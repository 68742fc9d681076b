import type { JetStreamClient } from '@nats-io/jetstream';
import { publish } from '@reserveit/messaging';
import type { Logger } from '@reserveit/telemetry';
import type { ConversationStore, OutboxDecision, OutboxRow } from './conversation-store.js';

/**
 * Publishes the rows of outbox decisions, Msg-Id = row id, and removes each decision whose rows
 * were all acknowledged in the background (`notePublished`: the caller does not wait for that
 * DELETE). The publishes are pipelined on the one connection: NATS keeps their order, and waiting
 * for each ack in turn made a decision's seven rows cost seven round trips. If one fails the call
 * throws after the rest settled, and the message's retry publishes its decision again (the rows
 * that went out are deduplicated); in that rare case a later row (a second reply) may land before
 * an earlier one, a price paid for not serialising every send.
 */
export async function publishDecisions(
  js: JetStreamClient,
  store: ConversationStore,
  decisions: OutboxDecision[],
  timeoutMs: number,
): Promise<void> {
  const results = await Promise.all(decisions.map((decision) => publishEach(js, decision.rows, timeoutMs)));
  store.notePublished(
    decisions
      .filter((_, i) => results[i]?.every((result) => result.status === 'fulfilled'))
      .map((decision) => decision.causationId),
  );
  throwFirstFailure(results.flat());
}

/**
 * Publishes rows that are not in the outbox (the "one moment" of a message that is retried:
 * nothing was committed, the retry decides again), pipelined like a decision's.
 */
export async function publishRows(js: JetStreamClient, rows: OutboxRow[], timeoutMs: number): Promise<void> {
  throwFirstFailure(await publishEach(js, rows, timeoutMs));
}

function publishEach(js: JetStreamClient, rows: OutboxRow[], timeoutMs: number) {
  return Promise.allSettled(
    rows.map((row) => publish(js, { subject: row.subject, msgId: row.id, data: row.payload, timeoutMs })),
  );
}

function throwFirstFailure(results: PromiseSettledResult<unknown>[]): void {
  const failed = results.find((result) => result.status === 'rejected');
  if (failed?.status === 'rejected') throw failed.reason;
}

/**
 * Sweeps decisions a crashed or dead-lettered handler left unpublished. The handler publishes its
 * own right after commit; this only catches what that missed, so it looks at rows a few seconds old.
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
    const decisions = await store.unpublished({ olderThanMs: options.intervalMs, limit: 100 });
    if (decisions.length > 0) {
      logger.warn({ decisions: decisions.length }, 'publishing outbox decisions a handler left behind');
      await publishDecisions(js, store, decisions, options.publishTimeoutMs);
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
