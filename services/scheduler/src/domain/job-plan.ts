import type { FollowUpSettings, ScheduledWork } from '@reserveit/contracts';
import type { BookingState } from './booking-state.js';
import { beforeLocally, outsideQuietHours } from './reminder-time.js';

const MINUTE = 60_000;
/** Reminder offsets a restaurant may set (followUpSettingsSchema): one key each, by position. */
export const MAX_REMINDERS = 3;

export interface BusinessFollowUps {
  timezone: string;
  followUps: FollowUpSettings;
}

export interface PlannedJob {
  /** One per booking and kind (and reminder position): putting it again moves the one queued. */
  key: string;
  /** ISO instant it is due. */
  dueAt: string;
  work: ScheduledWork;
}

/** Jobs to queue (or move) and keys of jobs to take out of the queue. */
export interface JobPlan {
  put: PlannedJob[];
  drop: string[];
}

export const reminderKey = (reservationId: string, position: number) =>
  `reminder:${reservationId}:${position}`;
export const noShowKey = (reservationId: string) => `no-show:${reservationId}`;
export const feedbackKey = (reservationId: string) => `feedback:${reservationId}`;

/**
 * Every job key a booking can have, each either put (with its due instant) or dropped: so
 * planning again after any change (a new time, a cancellation, new settings) leaves exactly the
 * jobs the booking should have now. Work whose time has passed is dropped, never put: a booking
 * changed after its 24-hour reminder went out does not get that reminder again, and one made an
 * hour ahead gets none for the day before.
 */
export function planJobs(booking: BookingState, business: BusinessFollowUps, now: number): JobPlan {
  const { reminders, noShow, feedback } = business.followUps;
  const { reservationId, businessId, serviceDate, startsAt } = booking;
  const facts = { reservationId, businessId, serviceDate, startsAt };
  const start = Date.parse(startsAt);
  const wanted: PlannedJob[] = [];
  const want = (key: string, due: number, work: ScheduledWork) => {
    if (due > now) wanted.push({ key, dueAt: new Date(due).toISOString(), work });
  };

  if (booking.stage === 'upcoming') {
    if (reminders.enabled) {
      reminders.offsetsMinutes.forEach((offsetMinutes, position) => {
        const planned = beforeLocally(start, offsetMinutes, business.timezone);
        const due = outsideQuietHours(planned, reminders.quietHours, business.timezone);
        want(reminderKey(reservationId, position), due, {
          kind: 'reminder',
          ...facts,
          offsetMinutes,
          guestId: booking.guestId,
          partySize: booking.partySize,
          templateName: reminders.templateName,
        });
      });
    }
    if (noShow.enabled) {
      want(noShowKey(reservationId), start + noShow.graceMinutes * MINUTE, {
        kind: 'no_show_check',
        ...facts,
      });
    }
  }
  if (booking.stage === 'seated' && feedback.enabled && booking.seatedAt) {
    const due = Date.parse(booking.seatedAt) + feedback.delayMinutes * MINUTE;
    want(feedbackKey(reservationId), due, { kind: 'feedback_request', ...facts });
  }

  const every = [
    ...Array.from({ length: MAX_REMINDERS }, (_, position) => reminderKey(reservationId, position)),
    noShowKey(reservationId),
    feedbackKey(reservationId),
  ];
  const put = new Set(wanted.map((job) => job.key));
  return { put: wanted, drop: every.filter((key) => !put.has(key)) };
}
