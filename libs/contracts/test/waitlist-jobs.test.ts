import { describe, expect, it } from 'vitest';
import { type ReservationStreamEvent, waitlistOfferJobKey, waitlistOfferJobs } from '../src/index.js';

const ref = {
  v: 1 as const,
  id: 'e1',
  at: '2026-06-01T06:00:00.000Z',
  businessId: 'bistro',
  serviceDate: '2026-06-03',
  entryId: 'w_1',
};
const key = waitlistOfferJobKey('bistro', '2026-06-03', 'w_1');

describe('waitlist offer jobs', () => {
  it('puts an expiry job due when the offer ends', () => {
    const offered: ReservationStreamEvent = {
      ...ref,
      type: 'waitlist.offered',
      guestWaId: '971500000001',
      time: '19:00',
      partySize: 4,
      startsAt: '2026-06-03T15:00:00.000Z',
      endsAt: '2026-06-03T16:30:00.000Z',
      offerExpiresAt: '2026-06-01T06:15:00.000Z',
    };
    expect(waitlistOfferJobs(offered)).toEqual({
      put: [{ key, dueAt: '2026-06-01T06:15:00.000Z', business: 'bistro', date: '2026-06-03', entry: 'w_1' }],
      drop: [],
    });
  });

  it('drops the job once the offer is accepted, expired or left', () => {
    for (const type of ['waitlist.offer_expired', 'waitlist.left'] as const)
      expect(waitlistOfferJobs({ ...ref, type })).toEqual({ put: [], drop: [key] });
    expect(waitlistOfferJobs({ ...ref, type: 'waitlist.offer_accepted', reservationId: 'r_1' })).toEqual({
      put: [],
      drop: [key],
    });
  });

  it('schedules nothing for other events', () => {
    const cancelled: ReservationStreamEvent = {
      v: 1,
      id: 'e2',
      at: ref.at,
      type: 'reservation.cancelled',
      reservationId: 'r_1',
      businessId: 'bistro',
      serviceDate: '2026-06-03',
      reason: '',
    };
    expect(waitlistOfferJobs(cancelled)).toEqual({ put: [], drop: [] });
  });
});
