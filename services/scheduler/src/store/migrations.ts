import { inboxMigration } from '@reserveit/db';
import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import { SCHEDULER_SCHEMA as S } from './tables.js';

/** What the jobs are planned from: each business's zone and settings, each booking's state. */
const plannedFrom: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .withSchema(S)
      .createTable('businesses')
      .addColumn('business_id', 'text', (c) => c.primaryKey())
      .addColumn('timezone', 'text', (c) => c.notNull())
      .addColumn('follow_ups', 'jsonb', (c) => c.notNull())
      .execute();
    await db.schema
      .withSchema(S)
      .createTable('bookings')
      .addColumn('reservation_id', 'text', (c) => c.primaryKey())
      .addColumn('business_id', 'text', (c) => c.notNull())
      .addColumn('state', 'jsonb', (c) => c.notNull())
      .execute();
    // New settings plan a business's bookings again.
    await db.schema
      .withSchema(S)
      .createIndex('bookings_business')
      .on('bookings')
      .column('business_id')
      .execute();
  },
};

// Numbered from 0006, like the other services' migrations of the same change.
export const schedulerMigrations: Record<string, Migration> = {
  '0006_inbox': inboxMigration(S),
  '0006_planned_from': plannedFrom,
};
