import type { SendRequested } from '@reserveit/contracts';
import type { Logger } from '@reserveit/telemetry';
import type { GraphClient } from './graph/graph-client.js';
import type { SenderMetrics } from './metrics.js';
import { callReadReceipt } from './read-receipts.js';
import type { SendSlots } from './send-slots.js';

export interface ReadAlongDeps {
  graph: GraphClient;
  slots: SendSlots;
  logger: Logger;
  metrics: SenderMetrics;
  /**
   * Hands a receipt the Graph API did not take this time to `sender.reads` (an `out.read` command),
   * which repeats it with backoff and dead-letters it after its attempts, as it does any receipt.
   */
  deferRead(receipt: SendRequested): Promise<void>;
}

/**
 * The read receipt a reply carries (`markRead`), as the command of its own it once was: the shape
 * `sender.reads` takes, keyed after the reply (`<reply key>:read`).
 */
export function carriedReceipt(command: SendRequested, messageId: string): SendRequested {
  const { markRead: _carried, ...reply } = command;
  return { ...reply, id: `${command.id}:read`, message: { kind: 'read', messageId } };
}

/**
 * Marks the message a reply carries the receipt of read, beside the reply's own call; never
 * throws, so the reply's outcome is its own. Repeated with every attempt of the reply, as marking a
 * message read twice changes nothing at Meta. A refusal for good (the message is gone) is counted
 * and logged, as `sender.reads` does; one worth repeating goes to `sender.reads`.
 */
export async function markReadAlong(deps: ReadAlongDeps, command: SendRequested): Promise<void> {
  if (!command.markRead || command.message.kind === 'read') return;
  const { logger, metrics } = deps;
  const receipt = carriedReceipt(command, command.markRead);
  let reason: string;
  try {
    const verdict = await callReadReceipt(deps, receipt);
    if (verdict.type === 'sent') {
      metrics.sends.inc({ outcome: 'sent' });
      return;
    }
    if (verdict.type === 'permanent') {
      metrics.sends.inc({ outcome: 'failed' });
      logger.warn({ key: receipt.id, code: verdict.code, reason: verdict.reason }, 'read receipt refused');
      return;
    }
    reason = verdict.reason;
  } catch (error) {
    // The shared rate limit did not answer, or the client threw: nothing was marked.
    reason = (error as Error).message;
  }
  metrics.sends.inc({ outcome: 'retry' });
  try {
    await deps.deferRead(receipt);
    logger.warn({ key: receipt.id, reason }, 'read receipt not taken; handed to the read receipt consumer');
  } catch (error) {
    logger.error({ err: error, key: receipt.id, reason }, 'read receipt not taken and not handed on; lost');
  }
}
