import { sql } from 'kysely';
import type { Db } from './database.js';

export interface ThrottlePolicy {
  /** Per account. */
  maxFailures: number;
  /**
   * Per client address: higher, as a restaurant's staff share one address and each may mistype;
   * it stops one address trying many accounts.
   */
  maxFailuresPerAddress: number;
  windowMs: number;
}

export interface LoginKeys {
  email: string;
  address: string;
}

/**
 * Failed logins counted per email and per client address in a fixed window, in Postgres so every
 * replica sees one count: guessing one account's password, or many accounts' from one address,
 * stops at the limit until the window ends.
 */
export class LoginThrottle {
  constructor(
    private readonly db: Db,
    private readonly policy: ThrottlePolicy,
    private readonly now: () => number = Date.now,
  ) {}

  /** Milliseconds until this login may be tried again; 0 when neither key is blocked. */
  async retryAfterMs(keys: LoginKeys): Promise<number> {
    const windowStart = new Date(this.now() - this.policy.windowMs);
    const rows = await this.db
      .selectFrom('console.login_failures')
      .select(['window_started_at'])
      .where('window_started_at', '>', windowStart)
      .where((eb) =>
        eb.or([
          eb.and([eb('key', '=', emailKey(keys)), eb('failures', '>=', this.policy.maxFailures)]),
          eb.and([eb('key', '=', addressKey(keys)), eb('failures', '>=', this.policy.maxFailuresPerAddress)]),
        ]),
      )
      .execute();
    const latest = Math.max(0, ...rows.map((row) => row.window_started_at.getTime()));
    return latest === 0 ? 0 : latest + this.policy.windowMs - this.now();
  }

  async fail(keys: LoginKeys): Promise<void> {
    const now = new Date(this.now());
    const windowStart = new Date(this.now() - this.policy.windowMs);
    for (const key of [emailKey(keys), addressKey(keys)]) {
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
  async succeed(keys: LoginKeys): Promise<void> {
    await this.db.deleteFrom('console.login_failures').where('key', '=', emailKey(keys)).execute();
  }
}

const emailKey = (keys: LoginKeys) => `email:${keys.email.trim().toLowerCase()}`;
const addressKey = (keys: LoginKeys) => `address:${keys.address}`;
