import type { Role } from '@reserveit/console-api';
import { type ColumnType, type Generated, type Kysely, sql } from 'kysely';
import type { Migration } from 'kysely/migration';

export const SCHEMA = 'console';

type Timestamp = ColumnType<Date, Date | string, Date | string>;

export interface StaffTable {
  id: string;
  /** Lower-cased. */
  email: string;
  name: string;
  /** argon2id PHC string; null until a password is set. */
  password_hash: string | null;
  created_at: Generated<Date>;
}

export interface MembershipsTable {
  staff_id: string;
  business_id: string;
  role: Role;
}

/**
 * Server-side sessions: the cookie holds a random secret, the table its SHA-256, so a leaked table
 * cannot be replayed as cookies. Expiry and logout are decided here, not by the cookie.
 */
export interface SessionsTable {
  id_hash: string;
  staff_id: string;
  csrf_token: string;
  expires_at: Timestamp;
  last_seen_at: Timestamp;
  created_at: Generated<Date>;
}

/** Integration tokens: one restaurant, one role, stored hashed, revocable. */
export interface ApiTokensTable {
  id: string;
  business_id: string;
  name: string;
  role: Role;
  secret_hash: string;
  created_by: string;
  created_at: Generated<Date>;
  last_used_at: Timestamp | null;
  revoked_at: Timestamp | null;
}

/** Failed logins per key (an email or a client address) in the current window. */
export interface LoginFailuresTable {
  key: string;
  window_started_at: Timestamp;
  failures: number;
}

export interface ConsoleDb {
  'console.staff': StaffTable;
  'console.memberships': MembershipsTable;
  'console.sessions': SessionsTable;
  'console.api_tokens': ApiTokensTable;
  'console.login_failures': LoginFailuresTable;
}

export type Db = Kysely<ConsoleDb>;

export const migrations: Record<string, Migration> = {
  '0001_accounts': {
    async up(db) {
      const t = (name: string) => sql.id(SCHEMA, name);
      await sql`create table ${t('staff')} (
        id uuid primary key,
        email text not null unique,
        name text not null,
        password_hash text,
        created_at timestamptz not null default now())`.execute(db);
      await sql`create table ${t('memberships')} (
        staff_id uuid not null references ${t('staff')} (id) on delete cascade,
        business_id text not null,
        role text not null check (role in ('owner', 'host')),
        primary key (staff_id, business_id))`.execute(db);
      await sql`create index memberships_by_business on ${t('memberships')} (business_id)`.execute(db);
      await sql`create table ${t('sessions')} (
        id_hash text primary key,
        staff_id uuid not null references ${t('staff')} (id) on delete cascade,
        csrf_token text not null,
        expires_at timestamptz not null,
        last_seen_at timestamptz not null,
        created_at timestamptz not null default now())`.execute(db);
      await sql`create index sessions_by_staff on ${t('sessions')} (staff_id)`.execute(db);
      await sql`create index sessions_by_expiry on ${t('sessions')} (expires_at)`.execute(db);
      await sql`create table ${t('api_tokens')} (
        id uuid primary key,
        business_id text not null,
        name text not null,
        role text not null check (role in ('owner', 'host')),
        secret_hash text not null unique,
        created_by uuid not null,
        created_at timestamptz not null default now(),
        last_used_at timestamptz,
        revoked_at timestamptz)`.execute(db);
      await sql`create index api_tokens_by_business on ${t('api_tokens')} (business_id)`.execute(db);
      await sql`create table ${t('login_failures')} (
        key text primary key,
        window_started_at timestamptz not null,
        failures integer not null)`.execute(db);
    },
  },
};
