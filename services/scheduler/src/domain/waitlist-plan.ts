import { type ReservationStreamEvent, waitlistOfferJobs } from '@reserveit/contracts';
import type { JobPlan } from './job-plan.js';

/**
 * A waitlist event's expiry job (libs/contracts/src/waitlist-jobs.ts) as the queue takes it: an
 * offer puts the job at its hold's end, an accepted, expired or left entry drops it.
 */
export function waitlistPlan(event: ReservationStreamEvent): JobPlan {
  const { put, drop } = waitlistOfferJobs(event);
  return {
    put: put.map((job) => ({
      key: job.key,
      dueAt: job.dueAt,
      work: {
        kind: 'waitlist_offer_expiry',
        businessId: job.business,
        serviceDate: job.date,
        entryId: job.entry,
      },
    })),
    drop,
  };
}
