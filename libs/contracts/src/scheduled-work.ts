import { z } from 'zod';
import { summarizeIssues } from './issues.js';
import { businessIdSchema } from './reservation-events.js';

/**
 * Work the scheduler (services/scheduler) planned from RESERVATIONS events and hands over when it
 * comes due, one event each on `sched.due.<business>`. The id is the job's key and the instant it
 * was due for, also its Nats-Msg-Id: a job run twice (a replica that died after publishing) is one
 * event inside the duplicate window and one inbox row in its receiver after it.
 */
export const SCHEDULED_WORK_TYPES = {
  due: 'schedule.work.due',
} as const;

const isoInstant = z.iso.datetime();
const booking = {
  reservationId: z.string().min(1),
  businessId: businessIdSchema,
  serviceDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  /** The booking's time when the work was planned: a receiver checks it still holds. */
  startsAt: isoInstant,
};

export const scheduledWorkSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('reminder'),
    ...booking,
    offsetMinutes: z.number().int().min(1),
    /** Who is reminded: wa_id or business-scoped user id, as the booking holds it. */
    guestId: z.string().min(1),
    partySize: z.number().int().min(1),
    /** The restaurant's reminder template (followUps.reminders.templateName) when it was planned. */
    templateName: z.string().min(1).nullable(),
  }),
  z.object({ kind: z.literal('no_show_check'), ...booking }),
  z.object({ kind: z.literal('feedback_request'), ...booking }),
  /** A waitlist offer's hold ends (waitlist-jobs.ts): reservation.v1's expiry of that entry. */
  z.object({
    kind: z.literal('waitlist_offer_expiry'),
    businessId: businessIdSchema,
    serviceDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
    entryId: z.string().min(1),
  }),
]);

export const workDueSchema = z.object({
  v: z.literal(1),
  type: z.literal(SCHEDULED_WORK_TYPES.due),
  /** `<job key>@<dueAt>`, the Nats-Msg-Id. */
  id: z.string().min(1).max(512),
  /** The job's key: one per booking and kind (and reminder offset). */
  key: z.string().min(1).max(400),
  dueAt: isoInstant,
  /** When it was handed over; minus dueAt is its lateness. */
  at: isoInstant,
  work: scheduledWorkSchema,
});

export type ScheduledWork = z.infer<typeof scheduledWorkSchema>;
export type WorkDue = z.infer<typeof workDueSchema>;

/** The id (and Nats-Msg-Id) of a job's run for one due instant. */
export const workDueId = (key: string, dueAt: string): string => `${key}@${dueAt}`;

export function parseWorkDue(json: unknown): { ok: true; event: WorkDue } | { ok: false; reason: string } {
  const result = workDueSchema.safeParse(json);
  return result.success
    ? { ok: true, event: result.data }
    : { ok: false, reason: summarizeIssues(result.error.issues) };
}
