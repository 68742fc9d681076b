import type { OpsConfig } from '@reserveit/config';
import {
  MAX_OUTBOX_KEYS_PER_RUN,
  type OutboxAdminLine,
  type OutboxReset,
  outboxAdminLineSchema,
} from '@reserveit/contracts';
import { runEntry } from './entry-process.js';
import { OpsError } from './exit-codes.js';
import { binPath } from './replay/projections.js';

/**
 * The sender's dead letters (consumer `sender`, services/sender/src/outcome-events.ts) are
 * exhausted sends whose outbox row is final (`failed`): republishing the command does nothing, the
 * intake finds the row (services/sender/README.md). Sending again means resetting the row, which
 * only the sender does: ops runs its outbox entry (`reserveit-sender-outbox`) as a child process,
 * as it runs the replay entries, and never reads the sender's tables.
 */
export type { OutboxReset };

/** What a redrive asks of the sender's outbox; tests may hand in their own. */
export interface SenderOutbox {
  /** The state of each key's row; a key without a row is left out. */
  states(keys: readonly string[]): Promise<Map<string, string>>;
  /** Resets each failed row so the sender sends it again, in its guest's order. */
  reset(keys: readonly string[]): Promise<Map<string, OutboxReset>>;
}

/** The dead letter's payload is the command as recorded; its `id` is the outbox key. */
export function outboxKeyOf(payload: Uint8Array): string | undefined {
  try {
    const parsed: unknown = JSON.parse(new TextDecoder().decode(payload));
    if (typeof parsed === 'object' && parsed !== null && 'id' in parsed && typeof parsed.id === 'string') {
      return parsed.id;
    }
  } catch {
    // Not JSON: an unreadable command the intake dead-lettered; it never had a row.
  }
  return undefined;
}

/** Runs the entry once per batch of keys (its command line stays short) and collects its lines. */
async function eachBatch(
  config: OpsConfig,
  command: 'state' | 'reset',
  keys: readonly string[],
  onLine: (line: OutboxAdminLine) => void,
): Promise<void> {
  const entry = binPath('@reserveit/sender', 'reserveit-sender-outbox');
  const unique = [...new Set(keys)];
  for (let i = 0; i < unique.length; i += MAX_OUTBOX_KEYS_PER_RUN) {
    const batch = unique.slice(i, i + MAX_OUTBOX_KEYS_PER_RUN);
    await runEntry(
      "the sender's outbox entry",
      entry,
      config,
      [command, ...batch],
      outboxAdminLineSchema,
      onLine,
    );
  }
}

/** The sender's outbox through its own entry, with ops' DATABASE_URL. */
export function senderOutbox(config: OpsConfig): SenderOutbox {
  return {
    async states(keys) {
      const states = new Map<string, string>();
      await eachBatch(config, 'state', keys, (line) => {
        if (line.type === 'state' && line.state !== null) states.set(line.key, line.state);
      });
      return states;
    },
    async reset(keys) {
      const outcomes = new Map<string, OutboxReset>();
      await eachBatch(config, 'reset', keys, (line) => {
        if (line.type === 'reset') outcomes.set(line.outcome.key, line.outcome);
      });
      const missing = keys.find((key) => !outcomes.has(key));
      if (missing !== undefined)
        throw new OpsError(`the sender's outbox entry said nothing about ${missing}`);
      return outcomes;
    },
  };
}
