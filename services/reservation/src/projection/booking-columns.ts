import type { Booking } from '@reserveit/contracts';

/** The reservation row's columns a booking sets; one place for the one-by-one and batch projections. */
export function bookingColumns(b: Booking, at: string) {
  return {
    business_id: b.businessId,
    service_date: b.serviceDate,
    guest_wa_id: b.guestWaId,
    guest_name: b.guestName,
    party_size: b.partySize,
    starts_at: b.startsAt,
    ends_at: b.endsAt,
    status: b.status,
    notes: b.notes,
    source: b.source,
    idempotency_key: b.idempotencyKey,
    finished_at: b.finishedAt ?? null,
    guest_confirmed_at: b.guestConfirmedAt ?? null,
    late_minutes: b.lateMinutes ?? null,
    no_show_flagged_at: b.noShowFlaggedAt ?? null,
    rating: b.feedbackRating ?? null,
    feedback_comment: b.feedbackComment ?? null,
    updated_at: at,
  };
}
