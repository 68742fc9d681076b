import { type DayEvent, RESERVATION_EVENT_TYPES as T, waitlistOfferJobKey } from '@reserveit/contracts';
import { describe, expect, it } from 'vitest';
import { waitlistPlan } from '../src/domain/waitlist-plan.js';

const ref = { v: 1 as const, businessId: 'casa', serviceDate: '2027-03-28', entryId: 'w1' };
const key = waitlistOfferJobKey('casa', '2027-03-28', 'w1');

describe("the scheduler's plan for a waitlist offer", () => {
  it("puts the offer's expiry at its hold's end, for reservation.v1 to expire the entry", () => {
    const offered: DayEvent = {
      ...ref,
      id: 'e1',
      at: '2027-03-28T17:00:00.000Z',
      type: T.waitlistOffered,
      guestWaId: '34600000001',
      time: '20:00',
      partySize: 4,
      startsAt: '2027-03-28T19:00:00.000Z',
      endsAt: '2027-03-28T21:00:00.000Z',
      offerExpiresAt: '2027-03-28T17:15:00.000Z',
    };
    expect(waitlistPlan(offered)).toEqual({
      put: [
        {
          key,
          dueAt: '2027-03-28T17:15:00.000Z',
          work: {
            kind: 'waitlist_offer_expiry',
            businessId: 'casa',
            serviceDate: '2027-03-28',
            entryId: 'w1',
          },
        },
      ],
      drop: [],
    });
  });

  it('drops the expiry once the offer was taken, ran out or the guest left, and plans nothing for a join', () => {
    for (const type of [T.waitlistOfferAccepted, T.waitlistOfferExpired, T.waitlistLeft] as const) {
      const event = {
        ...ref,
        id: 'e2',
        at: '2027-03-28T17:05:00.000Z',
        type,
        ...(type === T.waitlistOfferAccepted ? { reservationId: 'r9' } : {}),
      } as DayEvent;
      expect(waitlistPlan(event)).toEqual({ put: [], drop: [key] });
    }
    const joined: DayEvent = {
      ...ref,
      id: 'e0',
      at: '2027-03-28T16:00:00.000Z',
      type: T.waitlistJoined,
      entry: {
        entryId: 'w1',
        businessId: 'casa',
        serviceDate: '2027-03-28',
        time: '20:00',
        partySize: 4,
        guestWaId: '34600000001',
        guestName: 'Ana',
      },
    };
    expect(waitlistPlan(joined)).toEqual({ put: [], drop: [] });
  });
});
