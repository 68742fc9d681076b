import type { Db } from './database.js';
import { newSecret, secretHash } from './secrets.js';

export interface SessionPolicy {
  ttlMs: number;
  idleMs: number;
}

export interface OpenSession {
  /** The cookie value. */
  secret: string;
  csrfToken: string;
  expiresAt: Date;
}

export interface SessionRow {
  idHash: string;
  staffId: string;
  csrfToken: string;
  expiresAt: Date;
}

/** Seen-at is written at most this often: a busy tablet should not write on every request. */
const TOUCH_EVERY_MS = 60_000;

/** Server-side sessions: expiry and logout hold whatever the browser keeps. */
export class Sessions {
  constructor(
    private readonly db: Db,
    private readonly policy: SessionPolicy,
    private readonly now: () => number = Date.now,
  ) {}

  async open(staffId: string): Promise<OpenSession> {
    const secret = newSecret();
    const csrfToken = newSecret();
    const now = this.now();
    const expiresAt = new Date(now + this.policy.ttlMs);
    await this.db
      .insertInto('console.sessions')
      .values({
        id_hash: secretHash(secret),
        staff_id: staffId,
        csrf_token: csrfToken,
        expires_at: expiresAt,
        last_seen_at: new Date(now),
      })
      .execute();
    return { secret, csrfToken, expiresAt };
  }

  /** The live session of this cookie, or undefined (unknown, expired, idle too long, logged out). */
  async find(secret: string): Promise<SessionRow | undefined> {
    const now = this.now();
    const idHash = secretHash(secret);
    const row = await this.db
      .selectFrom('console.sessions')
      .select(['staff_id', 'csrf_token', 'expires_at', 'last_seen_at'])
      .where('id_hash', '=', idHash)
      .executeTakeFirst();
    if (!row) return undefined;
    if (row.expires_at.getTime() <= now || row.last_seen_at.getTime() + this.policy.idleMs <= now) {
      await this.close(secret);
      return undefined;
    }
    if (now - row.last_seen_at.getTime() >= TOUCH_EVERY_MS) {
      await this.db
        .updateTable('console.sessions')
        .set({ last_seen_at: new Date(now) })
        .where('id_hash', '=', idHash)
        .execute();
    }
    return { idHash, staffId: row.staff_id, csrfToken: row.csrf_token, expiresAt: row.expires_at };
  }

  async close(secret: string): Promise<void> {
    await this.db.deleteFrom('console.sessions').where('id_hash', '=', secretHash(secret)).execute();
  }

  /** After a password change: every other session of the account ends. */
  async closeOthers(staffId: string, keepIdHash: string): Promise<void> {
    await this.db
      .deleteFrom('console.sessions')
      .where('staff_id', '=', staffId)
      .where('id_hash', '!=', keepIdHash)
      .execute();
  }

  async sweep(): Promise<void> {
    await this.db.deleteFrom('console.sessions').where('expires_at', '<=', new Date(this.now())).execute();
  }
}
