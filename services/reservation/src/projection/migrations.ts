import { inboxMigration } from '@reserveit/db';
import { type Kysely, sql } from 'kysely';
import type { Migration } from 'kysely/migration';
import { PROJECTION_SCHEMA as S } from './tables.js';

const tables: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .withSchema(S)
      .createTable('businesses')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('phone_number_id', 'text', (c) => c.notNull().unique())
      .addColumn('display_phone_number', 'text', (c) => c.notNull())
      .addColumn('timezone', 'text', (c) => c.notNull())
      .addColumn('locales', 'jsonb', (c) => c.notNull())
      .addColumn('greetings', 'jsonb', (c) => c.notNull())
      .addColumn('rules', 'jsonb', (c) => c.notNull())
      .addColumn('hours', 'jsonb', (c) => c.notNull())
      .addColumn('registered_at', 'timestamptz', (c) => c.notNull())
      .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
      .addColumn('version', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema
      .withSchema(S)
      .createTable('menu_items')
      .addColumn('business_id', 'text', (c) => c.notNull())
      .addColumn('item_id', 'text', (c) => c.notNull())
      .addColumn('category', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('description', 'text', (c) => c.notNull())
      .addColumn('price_minor', 'bigint', (c) => c.notNull())
      .addColumn('currency', 'text', (c) => c.notNull())
      .addColumn('dietary_tags', 'jsonb', (c) => c.notNull())
      .addColumn('available', 'boolean', (c) => c.notNull())
      .addColumn('position', 'integer', (c) => c.notNull())
      .addColumn('version', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('menu_items_pk', ['business_id', 'item_id'])
      .execute();
    await db.schema
      .withSchema(S)
      .createTable('reservations')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('business_id', 'text', (c) => c.notNull())
      .addColumn('service_date', 'text', (c) => c.notNull())
      .addColumn('guest_wa_id', 'text', (c) => c.notNull())
      .addColumn('guest_name', 'text', (c) => c.notNull())
      .addColumn('party_size', 'integer', (c) => c.notNull())
      .addColumn('starts_at', 'timestamptz', (c) => c.notNull())
      .addColumn('ends_at', 'timestamptz', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('notes', 'text', (c) => c.notNull())
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('idempotency_key', 'text', (c) => c.notNull())
      .addColumn('created_at', 'timestamptz', (c) => c.notNull())
      .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
      .addColumn('version', 'bigint', (c) => c.notNull())
      .execute();
    await sql`create index reservations_business_day on ${sql.id(S, 'reservations')} (business_id, service_date)`.execute(
      db,
    );
    await sql`create index reservations_guest on ${sql.id(S, 'reservations')} (guest_wa_id, business_id, starts_at)`.execute(
      db,
    );
  },
};

/** Staff statuses and owner settings: when a party finished, the business's message templates. */
const hostStand: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .withSchema(S)
      .alterTable('reservations')
      .addColumn('finished_at', 'timestamptz')
      .execute();
    await db.schema
      .withSchema(S)
      .alterTable('businesses')
      .addColumn('templates', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
      .execute();
  },
};

/**
 * The restaurant's order of menu sections: the stream position an item was first set at (updates
 * keep it), so sections come in the order they were added, not alphabetically. Rows from before
 * take their last change as the best known.
 */
const menuOrder: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.withSchema(S).alterTable('menu_items').addColumn('added_seq', 'bigint').execute();
    await sql`update ${sql.id(S, 'menu_items')} set added_seq = version`.execute(db);
    await sql`alter table ${sql.id(S, 'menu_items')} alter column added_seq set not null`.execute(db);
  },
};

/** The restaurant's booking Flow (Meta's Flow id); '' for every business until an owner sets one. */
const bookingFlow: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .withSchema(S)
      .alterTable('businesses')
      .addColumn('booking_flow_id', 'text', (c) => c.notNull().defaultTo(''))
      .execute();
  },
};

/** The guest's answers to a reminder: confirmed (when), running late (by how much). */
const guestAnswers: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .withSchema(S)
      .alterTable('reservations')
      .addColumn('guest_confirmed_at', 'timestamptz')
      .addColumn('late_minutes', 'integer')
      .execute();
  },
};

/** The waitlist setting; businesses from before keep none (DEFAULT_WAITLIST_SETTINGS). */
const waitlist: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .withSchema(S)
      .alterTable('businesses')
      .addColumn('waitlist', 'jsonb', (c) =>
        c.notNull().defaultTo(sql`'{"enabled":false,"holdMinutes":15}'::jsonb`),
      )
      .execute();
  },
};

/**
 * Each restaurant's follow-up settings (reminders, no-show checks, feedback; null: the defaults)
 * and when a booking was flagged as a possible no-show.
 */
const followUps: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.withSchema(S).alterTable('businesses').addColumn('follow_ups', 'jsonb').execute();
    await db.schema
      .withSchema(S)
      .alterTable('reservations')
      .addColumn('no_show_flagged_at', 'timestamptz')
      .execute();
  },
};

/** A guest's rating of a visit and the comment that may follow it. */
const feedback: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .withSchema(S)
      .alterTable('reservations')
      .addColumn('rating', 'smallint')
      .addColumn('feedback_comment', 'text')
      .execute();
  },
};

export const projectionMigrations: Record<string, Migration> = {
  '0001_inbox': inboxMigration(S),
  '0002_tables': tables,
  '0003_host_stand': hostStand,
  '0004_menu_order': menuOrder,
  '0005_booking_flow': bookingFlow,
  '0006_guest_answers': guestAnswers,
  '0007_waitlist': waitlist,
  '0008_follow_ups': followUps,
  '0009_feedback': feedback,
};
