import { sql, type Transaction } from 'kysely';
import type { JobPlan } from '../domain/job-plan.js';
import type { SchedulerDb } from './tables.js';

/** The one task every job runs (due-work.ts): hand the work over when it is due. */
export const DUE_TASK = 'work_due';
/**
 * Attempts at handing one job over (a NATS outage) before graphile-worker gives it up; its
 * backoff is exp(attempts) seconds, so 20 attempts wait out well over a day of outage.
 */
const MAX_ATTEMPTS = 20;

/**
 * Applies a plan inside the intake's transaction through graphile-worker's SQL API
 * (https://worker.graphile.org/docs/sql-add-job): a job is put under its key with job_key_mode
 * `replace`, which moves a queued job to the new instant and payload, and removed by key
 * (remove_job: a job running at that moment finishes but is not retried). The jobs commit or roll
 * back with the inbox row of the event that planned them.
 */
export async function applyPlan(
  trx: Transaction<SchedulerDb>,
  jobsSchema: string,
  plan: JobPlan,
): Promise<void> {
  if (plan.put.length > 0) {
    await sql`
      select ${sql.id(jobsSchema, 'add_job')}(
        identifier => ${DUE_TASK}, payload => j.payload, run_at => j.due_at, max_attempts => ${MAX_ATTEMPTS},
        job_key => j.key, job_key_mode => 'replace')
      from json_to_recordset(${JSON.stringify(plan.put.map((job) => ({ key: job.key, due_at: job.dueAt, payload: job })))}::json)
        as j(key text, due_at timestamptz, payload json)`.execute(trx);
  }
  if (plan.drop.length > 0) {
    await sql`select ${sql.id(jobsSchema, 'remove_job')}(k) from unnest(${plan.drop}::text[]) as k`.execute(
      trx,
    );
  }
}
