import type { ScheduledWork } from '@reserveit/contracts';
import { unaryCall } from '@reserveit/rpc';
import { ReservationStatus } from '@reserveit/rpc/reservation/v1/reservation';
import { failureCode, type Upstreams } from './upstreams.js';

type FeedbackRequest = Extract<ScheduledWork, { kind: 'feedback_request' }>;

/** Whom a feedback request goes to: the booking's guest, or why it goes to nobody. */
export type FeedbackTarget =
  | { ok: true; guestId: string }
  | { ok: false; reason: 'not_seated' | 'not_found' };

/**
 * The guest of a feedback request's booking, when the booking is (still) seated or finished: the
 * scheduler planned the request when it was, but staff may have undone it since (a no-show after
 * all, a seating entered by mistake). The work names the booking, not the guest, so the booking
 * is read anyway (reservation.v1 GetReservation). A failure other than NOT_FOUND throws: the work
 * is retried.
 */
export async function feedbackTarget(
  upstreams: Upstreams,
  work: FeedbackRequest,
  deadlineMs: number,
): Promise<FeedbackTarget> {
  const client = upstreams.reservation;
  try {
    const { reservation } = await unaryCall(
      client,
      client.getReservation,
      { reservationId: work.reservationId, businessId: work.businessId },
      deadlineMs,
    );
    if (!reservation) return { ok: false, reason: 'not_found' };
    const seated =
      reservation.status === ReservationStatus.RESERVATION_STATUS_SEATED ||
      reservation.status === ReservationStatus.RESERVATION_STATUS_FINISHED;
    return seated && reservation.guestWaId
      ? { ok: true, guestId: reservation.guestWaId }
      : { ok: false, reason: 'not_seated' };
  } catch (error) {
    if (failureCode(error) === 'NOT_FOUND') return { ok: false, reason: 'not_found' };
    throw error;
  }
}
