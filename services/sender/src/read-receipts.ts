import type { JetStreamClient, JetStreamManager, JsMsg } from '@nats-io/jetstream';
import type { FreeConsumer, SendRequested } from '@reserveit/contracts';
import { consumeFree, publishDeadLetter, type RunningConsumer } from '@reserveit/messaging';
import type { Logger } from '@reserveit/telemetry';
import { classify, type Verdict } from './domain/classify.js';
import { graphBody } from './domain/graph-request.js';
import type { GraphClient } from './graph/graph-client.js';
import type { SenderMetrics } from './metrics.js';
import { readSendCommand } from './send-command.js';
import type { SendSlots } from './send-slots.js';

export interface ReadReceiptDeps {
  js: JetStreamClient;
  jsm: JetStreamManager;
  /**
   * Its row of the wiring table, `sender.reads`, as the environment tunes it: calls at once
   * (concurrency; the Graph client's connections are shared with the replies), attempts and backoff.
   */
  row: FreeConsumer;
  graph: GraphClient;
  /** The number's rate limit, shared with the replies and the other replicas. */
  slots: SendSlots;
  dryRun: boolean;
  logger: Logger;
  metrics: SenderMetrics;
}

/** The Graph API did not take the read receipt this time; consumeFree retries it after a backoff. */
class ReadNotTaken extends Error {
  override name = 'ReadNotTaken';
}

/**
 * Mark-as-read straight from the stream: called, then acknowledged. A read receipt needs none of
 * what the outbox gives a reply: marking a message read twice changes nothing at Meta, no status
 * webhook names it (nothing to reconcile), and it waits for no other message of the guest. Kept
 * out of the outbox it costs no row, no statements and no outcome event, which was a third of the
 * sender's work per guest message. A sender that dies mid-call leaves it unacknowledged and
 * another replica calls again after AckWait. Retryable answers are retried with backoff and
 * dead-lettered after the row's maxDeliver attempts; a permanent one (the message is gone, a bad
 * id) is counted and logged, as there is nothing to repeat.
 */
export function startReadReceipts(deps: ReadReceiptDeps): Promise<RunningConsumer> {
  return consumeFree(deps.row, {
    js: deps.js,
    jsm: deps.jsm,
    logger: deps.logger,
    handler: (message) => markRead(deps, message),
  });
}

/**
 * One mark-as-read call at the Graph API, after the number's rate limit let it through, timed and
 * counted like every send: what Meta answered, classified. Rejects when the limit cannot be read.
 */
export async function callReadReceipt(
  deps: Pick<ReadReceiptDeps, 'graph' | 'slots' | 'metrics'>,
  receipt: SendRequested,
): Promise<Verdict> {
  await deps.slots.wait(receipt.phoneNumberId);
  const started = performance.now();
  const outcome = await deps.graph.send(receipt.phoneNumberId, graphBody(receipt));
  const verdict = classify(outcome);
  deps.metrics.sendSeconds.observe({ outcome: verdict.type }, (performance.now() - started) / 1000);
  if (outcome.type === 'graph_error') deps.metrics.graphErrors.inc({ code: String(outcome.code) });
  return verdict;
}

async function markRead(deps: ReadReceiptDeps, message: JsMsg): Promise<void> {
  const { logger, metrics } = deps;
  const command = await readSendCommand(deps, message, deps.row.deadLetter);
  if (!command) return;
  if (command.message.kind !== 'read') {
    // A reply on the read subject: it needs the outbox's order and once-only send, not this path.
    metrics.commands.inc({ result: 'invalid' });
    logger.error(
      { seq: message.seq, kind: command.message.kind },
      'a reply among the read receipts; dead-lettered',
    );
    await publishDeadLetter(deps.js, deps.row.deadLetter, message, new Error('not a read receipt'));
    return;
  }
  metrics.commands.inc({ result: 'read' });
  if (deps.dryRun) {
    logger.info({ key: command.id, phoneNumberId: command.phoneNumberId }, 'dry run: would mark as read');
    metrics.sends.inc({ outcome: 'dry_run' });
    return;
  }
  // Rejects when the shared limit cannot be read: not called, redelivered after the backoff.
  const verdict = await callReadReceipt(deps, command);
  switch (verdict.type) {
    case 'sent':
      metrics.sends.inc({ outcome: 'sent' });
      return;
    case 'permanent':
      metrics.sends.inc({ outcome: 'failed' });
      logger.warn({ key: command.id, code: verdict.code, reason: verdict.reason }, 'read receipt refused');
      return;
    case 'retryable':
    case 'unconfirmed':
      metrics.sends.inc({ outcome: 'retry' });
      throw new ReadNotTaken(verdict.reason);
    default: {
      const unknown: never = verdict;
      throw new Error(`unknown verdict ${JSON.stringify(unknown)}`);
    }
  }
}
