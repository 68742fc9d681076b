import type { Kysely } from 'kysely';

export const SCHEDULER_SCHEMA = 'scheduler';
/** graphile-worker's own schema (its jobs, queues and migrations), beside ours. */
export const JOBS_SCHEMA = 'scheduler_jobs';

export interface SchedulerDb {
  'scheduler.businesses': { business_id: string; timezone: string; follow_ups: unknown };
  'scheduler.bookings': { reservation_id: string; business_id: string; state: unknown };
}

export type SchedulerKysely = Kysely<SchedulerDb>;
