import { sql } from 'kysely';
import type { Db } from './database.js';

export interface ThrottlePolicy {
  /** Per account from one address: the guesser's own limit. */
  maxFailures: number;
  /**
   * Per account from anywhere: higher, so one person cannot lock a colleague out with five wrong
   * passwords, while many addresses together still cannot guess on.
   */
  maxFailuresPerAccount: number;
  /**
   * Per client address: higher again, as a restaurant's staff share one address and each may
   * mistype; it stops one address trying many accounts.
   */
  maxFailuresPerAddress: number;
  windowMs: number;
}

export interface LoginKeys {
  email: string;
  address: string;
}

/**
 * Login attempts counted in Postgres (every replica sees one count) in a fixed window per key: the
 * account from this address, the account, the address. An attempt is counted before its password
 * is checked, so parallel guesses cannot all slip through between a check and a count; a success
 * forgets the account's counts.
 */
export class LoginThrottle {
  constructor(
    private readonly db: Db,
    private readonly policy: ThrottlePolicy,
    private readonly now: () => number = Date.now,
  ) {}

  /** Counts an attempt; the milliseconds until it may be made, 0 when it may be made now. */
  async attempt(keys: LoginKeys): Promise<number> {
    const now = new Date(this.now());
    const windowStart = new Date(this.now() - this.policy.windowMs);
    const limits = new Map([
      [pairKey(keys), this.policy.maxFailures],
      [emailKey(keys), this.policy.maxFailuresPerAccount],
      [addressKey(keys), this.policy.maxFailuresPerAddress],
    ]);
    const current = sql.ref('console.login_failures.window_started_at');
    const rows = await this.db
      .insertInto('console.login_failures')
      .values([...limits.keys()].map((key) => ({ key, window_started_at: now, failures: 1 })))
      .onConflict((c) =>
        c.column('key').doUpdateSet({
          // A window that ended starts over at this attempt.
          failures: sql`case when ${current} > ${windowStart} then ${sql.ref('console.login_failures.failures')} + 1 else 1 end`,
          window_started_at: sql`case when ${current} > ${windowStart} then ${current} else ${now} end`,
        }),
      )
      .returning(['key', 'failures', 'window_started_at'])
      .execute();
    const waits = rows
      .filter((row) => row.failures > (limits.get(row.key) ?? Number.POSITIVE_INFINITY))
      .map((row) => row.window_started_at.getTime() + this.policy.windowMs - this.now());
    return Math.max(0, ...waits);
  }

  /**
   * The password was right: the account's counts start over, and the address's loses this attempt
   * (only failures add up there, or a busy restaurant's tablets would lock their own address).
   */
  async succeed(keys: LoginKeys): Promise<void> {
    await this.db
      .deleteFrom('console.login_failures')
      .where('key', 'in', [pairKey(keys), emailKey(keys)])
      .execute();
    await this.db
      .updateTable('console.login_failures')
      .set({ failures: sql`greatest(${sql.ref('failures')} - 1, 0)` })
      .where('key', '=', addressKey(keys))
      .execute();
  }
}

const email = (keys: LoginKeys) => keys.email.trim().toLowerCase();
const emailKey = (keys: LoginKeys) => `email:${email(keys)}`;
const addressKey = (keys: LoginKeys) => `address:${keys.address}`;
const pairKey = (keys: LoginKeys) => `email:${email(keys)}|address:${keys.address}`;
