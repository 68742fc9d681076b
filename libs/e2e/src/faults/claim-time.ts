import { createDatabase } from '@reserveit/db';
import { OutboxStore } from '@reserveit/sender/dist/outbox/outbox-store.js';
import type { SenderDb } from '@reserveit/sender/dist/outbox/tables.js';
import type { Kysely } from 'kysely';

/** Rows a claim asks for: the sender's default SENDER_CONCURRENCY (libs/contracts/src/consumers.ts). */
const CLAIM_LIMIT = 128;

export interface ClaimSample {
  /** When the claim began (ms since the epoch). */
  at: number;
  ms: number;
  /** Rows the claim would have leased (leases held by the sender are skipped). */
  rows: number;
}

export interface ClaimTimes {
  samples: number;
  p50Ms: number | undefined;
  maxMs: number | undefined;
  /** Most rows a sampled claim would have leased. */
  maxRows: number;
}

class Rollback extends Error {}

/**
 * Times the sender's own claim statement (OutboxStore.claimDue) on the run's outbox, inside a
 * transaction rolled back at once, so the leases it takes never reach the running sender.
 */
export class ClaimTimer {
  private readonly db: Kysely<SenderDb>;

  constructor(databaseUrl: string) {
    this.db = createDatabase<SenderDb>({
      url: databaseUrl,
      applicationName: 'e2e-fault-claims',
      maxConnections: 1,
    });
  }

  async sample(): Promise<ClaimSample> {
    const at = Date.now();
    let sample: ClaimSample = { at, ms: 0, rows: 0 };
    await this.db
      .transaction()
      .execute(async (trx) => {
        const started = performance.now();
        const rows = await new OutboxStore(trx).claimDue('e2e-fault-claims', new Date(), 30_000, CLAIM_LIMIT);
        sample = { at, ms: performance.now() - started, rows: rows.length };
        throw new Rollback();
      })
      .catch((error: unknown) => {
        if (!(error instanceof Rollback)) throw error;
      });
    return sample;
  }

  close(): Promise<void> {
    return this.db.destroy();
  }
}

export function claimTimes(samples: ClaimSample[]): ClaimTimes {
  const sorted = samples.map((s) => s.ms).sort((a, b) => a - b);
  return {
    samples: samples.length,
    p50Ms: sorted[Math.floor(sorted.length / 2)],
    maxMs: sorted.at(-1),
    maxRows: Math.max(0, ...samples.map((s) => s.rows)),
  };
}
