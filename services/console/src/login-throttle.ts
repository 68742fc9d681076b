import { sql } from 'kysely';
import type { Db } from './database.js';

export interface ThrottlePolicy {
  maxFailures: number;
  windowMs: number;
}

/**
 * Failed logins counted per email and per client address in a fixed window, in Postgres so every
 * replica sees one count: guessing one account's password, or many accounts' from one address,
 * stops after `maxFailures` until the window ends.
 */
export class LoginThrottle {
  constructor(
    private readonly db: Db,
    private readonly policy: ThrottlePolicy,
    private readonly now: () => number = Date.now,
  ) {}

  /** Milliseconds until one of the keys may try again; 0 when none is blocked. */
  async retryAfterMs(keys: string[]): Promise<number> {
    const windowStart = new Date(this.now() - this.policy.windowMs);
    const rows = await this.db
      .selectFrom('console.login_failures')
      .select(['window_started_at'])
      .where('key', 'in', keys)
      .where('failures', '>=', this.policy.maxFailures)
      .where('window_started_at', '>', windowStart)
      .execute();
    const latest = Math.max(0, ...rows.map((row) => row.window_started_at.getTime()));
    return latest === 0 ? 0 : latest + this.policy.windowMs - this.now();
  }

  async fail(keys: string[]): Promise<void> {
    const now = new Date(this.now());
    const windowStart = new Date(this.now() - this.policy.windowMs);
    for (const key of keys) {
      await this.db
        .insertInto('console.login_failures')
        .values({ key, window_started_at: now, failures: 1 })
        .onConflict((c) =>
          c.column('key').doUpdateSet({
            // A window that ended starts over at this failure.
            failures: sql`case when ${sql.ref('console.login_failures.window_started_at')} > ${windowStart} then ${sql.ref('console.login_failures.failures')} + 1 else 1 end`,
            window_started_at: sql`case when ${sql.ref('console.login_failures.window_started_at')} > ${windowStart} then ${sql.ref('console.login_failures.window_started_at')} else ${now} end`,
          }),
        )
        .execute();
    }
  }

  /** A successful login forgets the account's failures (the address keeps its count). */
  async succeed(key: string): Promise<void> {
    await this.db.deleteFrom('console.login_failures').where('key', '=', key).execute();
  }
}
