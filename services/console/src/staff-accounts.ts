import { randomUUID } from 'node:crypto';
import type { Role, StaffMember } from '@reserveit/console-api';
import type { Db } from './database.js';
import { hashPassword, passwordMatches } from './passwords.js';
import { oneTimePassword } from './secrets.js';

export interface StaffIdentity {
  id: string;
  email: string;
  name: string;
}

export interface AddedStaff {
  member: StaffMember;
  /** Set when the account was made now: shown once, never stored in clear. */
  oneTimePassword: string | null;
}

/** Staff accounts and their memberships (a role per restaurant). */
export class StaffAccounts {
  constructor(private readonly db: Db) {}

  /**
   * Gives `email` the role at the restaurant, making the account with a one-time password when it
   * is new; an existing account keeps its password and name.
   */
  async add(input: {
    email: string;
    name: string;
    businessId: string;
    role: Role;
    password?: string;
  }): Promise<AddedStaff> {
    const email = input.email.trim().toLowerCase();
    const fresh = input.password ?? oneTimePassword();
    const passwordHash = await hashPassword(fresh);
    return this.db.transaction().execute(async (trx) => {
      const inserted = await trx
        .insertInto('console.staff')
        .values({ id: randomUUID(), email, name: input.name, password_hash: passwordHash })
        .onConflict((c) => c.column('email').doNothing())
        .returning(['id', 'email', 'name'])
        .executeTakeFirst();
      const staff =
        inserted ??
        (await trx
          .selectFrom('console.staff')
          .select(['id', 'email', 'name'])
          .where('email', '=', email)
          .executeTakeFirstOrThrow());
      await trx
        .insertInto('console.memberships')
        .values({ staff_id: staff.id, business_id: input.businessId, role: input.role })
        .onConflict((c) => c.columns(['staff_id', 'business_id']).doUpdateSet({ role: input.role }))
        .execute();
      return {
        member: { staffId: staff.id, email: staff.email, name: staff.name, role: input.role },
        oneTimePassword: inserted && input.password === undefined ? fresh : null,
      };
    });
  }

  /** The account whose password this is, or null (unknown email and wrong password alike). */
  async authenticate(email: string, password: string): Promise<StaffIdentity | null> {
    const row = await this.db
      .selectFrom('console.staff')
      .select(['id', 'email', 'name', 'password_hash'])
      .where('email', '=', email.trim().toLowerCase())
      .executeTakeFirst();
    const matches = await passwordMatches(password, row?.password_hash ?? null);
    return matches && row ? { id: row.id, email: row.email, name: row.name } : null;
  }

  async identity(staffId: string): Promise<StaffIdentity | undefined> {
    return this.db
      .selectFrom('console.staff')
      .select(['id', 'email', 'name'])
      .where('id', '=', staffId)
      .executeTakeFirst();
  }

  /** The account and its roles in one round trip: every request with a session needs both. */
  async withRoles(
    staffId: string,
  ): Promise<{ identity: StaffIdentity; roles: Map<string, Role> } | undefined> {
    const rows = await this.db
      .selectFrom('console.staff as s')
      .leftJoin('console.memberships as m', 'm.staff_id', 's.id')
      .select(['s.id', 's.email', 's.name', 'm.business_id', 'm.role'])
      .where('s.id', '=', staffId)
      .orderBy('m.business_id')
      .execute();
    const first = rows[0];
    if (!first) return undefined;
    const roles = new Map<string, Role>();
    for (const row of rows) if (row.business_id && row.role) roles.set(row.business_id, row.role);
    return { identity: { id: first.id, email: first.email, name: first.name }, roles };
  }

  async roles(staffId: string): Promise<Map<string, Role>> {
    const rows = await this.db
      .selectFrom('console.memberships')
      .select(['business_id', 'role'])
      .where('staff_id', '=', staffId)
      .orderBy('business_id')
      .execute();
    return new Map(rows.map((row) => [row.business_id, row.role]));
  }

  async members(businessId: string): Promise<StaffMember[]> {
    const rows = await this.db
      .selectFrom('console.memberships as m')
      .innerJoin('console.staff as s', 's.id', 'm.staff_id')
      .select(['s.id', 's.email', 's.name', 'm.role'])
      .where('m.business_id', '=', businessId)
      .orderBy('s.email')
      .execute();
    return rows.map((row) => ({ staffId: row.id, email: row.email, name: row.name, role: row.role }));
  }

  /** False when the staff member is not at this restaurant. */
  async removeMembership(businessId: string, staffId: string): Promise<boolean> {
    const result = await this.db
      .deleteFrom('console.memberships')
      .where('business_id', '=', businessId)
      .where('staff_id', '=', staffId)
      .executeTakeFirst();
    return result.numDeletedRows > 0n;
  }

  /** False when `current` is wrong. */
  async changePassword(staffId: string, current: string, next: string): Promise<boolean> {
    const row = await this.db
      .selectFrom('console.staff')
      .select('password_hash')
      .where('id', '=', staffId)
      .executeTakeFirst();
    if (!row || !(await passwordMatches(current, row.password_hash))) return false;
    await this.db
      .updateTable('console.staff')
      .set({ password_hash: await hashPassword(next) })
      .where('id', '=', staffId)
      .execute();
    return true;
  }
}
