import { SCHEDULED_WORK_TYPES, type WorkDue, waitlistOfferJobKey, workDueId } from '@reserveit/contracts';
import { publish } from '@reserveit/messaging';
import { errorCodeOf } from '@reserveit/rpc';
import { ReservationStatus, WaitlistStatus } from '@reserveit/rpc/reservation/v1/reservation';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerRequest } from './business-request.js';
import { clientFor, projectionCaughtUp, rpc, useReservationServices } from './reservation-under-test.js';

const BUSINESS = 'wait-bistro';

/**
 * The waitlist over gRPC on two replicas of the service sharing one stream, so confirmations race
 * between processes and only the day aggregate's expected last subject sequence keeps them apart.
 */
describe('waitlist over gRPC against real NATS and Postgres', () => {
  const suite = useReservationServices({ replicas: 2 });
  const client = (index: number) => suite.client(index);

  beforeAll(async () => {
    const a = client(0);
    await rpc(a, a.registerBusiness, registerRequest(BUSINESS, '100000000000301', { capacityCovers: 10 }));
    await rpc(a, a.updateBusinessSettings, {
      businessId: BUSINESS,
      greetings: {},
      hasGreetings: false,
      waitlist: { enabled: true, holdMinutes: 15 },
    });
  });

  const book = (index: number, date: string, key: string, partySize: number) =>
    rpc(client(index), client(index).createReservation, {
      businessId: BUSINESS,
      idempotencyKey: key,
      guestWaId: `97150000${String(index).padStart(4, '0')}`,
      guestName: `Guest ${index}`,
      partySize,
      date,
      time: '19:00',
      notes: '',
      source: 0,
    });
  const join = (index: number, date: string, key: string, partySize: number) =>
    rpc(client(index), client(index).joinWaitlist, {
      businessId: BUSINESS,
      idempotencyKey: key,
      guestWaId: `97155000${String(index).padStart(4, '0')}`,
      guestName: `Waiting ${index}`,
      partySize,
      date,
      time: '19:00',
    });
  const cancel = (index: number, reservationId: string) =>
    rpc(client(index), client(index).cancelReservation, { reservationId, reason: '', byStaff: false });
  const waitlistOf = async (date: string) => {
    const staff = clientFor(suite.replica(1).grpcAddress, { restaurants: [BUSINESS] });
    const sheet = await rpc(staff, staff.getDaySheet, {
      businessId: BUSINESS,
      date,
      includeCancelled: false,
    });
    staff.close();
    return sheet.waitlist;
  };

  it('offers the 4 covers a cancellation frees to the first waiting party that fits, and an expiry moves on', async () => {
    const date = '2026-06-03';
    const booked = [await book(0, date, 'a1', 4), await book(1, date, 'a2', 4), await book(0, date, 'a3', 2)];
    const six = await join(0, date, 'w-six', 6);
    const four = await join(1, date, 'w-four', 4);
    const two = await join(0, date, 'w-two', 2);
    expect(six.entry?.status).toBe(WaitlistStatus.WAITLIST_STATUS_WAITING);
    const repeated = await join(1, date, 'w-six', 6);
    expect(repeated).toMatchObject({ replayed: true, entry: { id: six.entry?.id } });

    await cancel(1, booked[0]?.reservation?.id ?? '');
    const afterCancel = await waitlistOf(date);
    expect(afterCancel.map((e) => [e.id, e.status])).toEqual([
      [six.entry?.id, WaitlistStatus.WAITLIST_STATUS_WAITING],
      [four.entry?.id, WaitlistStatus.WAITLIST_STATUS_OFFERED],
      [two.entry?.id, WaitlistStatus.WAITLIST_STATUS_WAITING],
    ]);
    expect(afterCancel[1]?.offerExpiresAt).toBe('2026-06-01T06:15:00.000Z');

    const ref = { businessId: BUSINESS, date, entryId: four.entry?.id ?? '' };
    const expired = await rpc(client(0), client(0).expireWaitlistOffer, ref);
    expect(expired).toMatchObject({
      expired: true,
      entry: { status: WaitlistStatus.WAITLIST_STATUS_EXPIRED },
    });
    const again = await rpc(client(1), client(1).expireWaitlistOffer, ref);
    expect(again.expired).toBe(false);
    const afterExpiry = await waitlistOf(date);
    expect(afterExpiry.map((e) => e.status)).toEqual([
      WaitlistStatus.WAITLIST_STATUS_WAITING,
      WaitlistStatus.WAITLIST_STATUS_EXPIRED,
      WaitlistStatus.WAITLIST_STATUS_OFFERED,
    ]);
    const late = await rpc(client(0), client(0).acceptWaitlistOffer, { ...ref, guestWaId: '' }).catch(
      (error: unknown) => error,
    );
    expect(errorCodeOf(late)).toBe('OFFER_EXPIRED');

    const offerOfTwo = { businessId: BUSINESS, date, entryId: two.entry?.id ?? '' };
    const stranger = await rpc(client(0), client(0).acceptWaitlistOffer, {
      ...offerOfTwo,
      guestWaId: '971559999999',
    }).catch((error: unknown) => error);
    expect(errorCodeOf(stranger)).toBe('NOT_FOUND');
    const accepted = await rpc(client(1), client(1).acceptWaitlistOffer, {
      ...offerOfTwo,
      guestWaId: two.entry?.guestWaId ?? '',
    });
    expect(accepted.reservation).toMatchObject({
      status: ReservationStatus.RESERVATION_STATUS_CONFIRMED,
      partySize: 2,
      time: '19:00',
      guestWaId: two.entry?.guestWaId,
    });
  });

  it("expires an offer when the scheduler hands over its hold's end, twice or not, and offers the next party", async () => {
    const date = '2026-06-05';
    const [large] = [await book(0, date, 's1', 4), await book(1, date, 's2', 6)];
    const four = await join(0, date, 's-four', 4);
    const two = await join(1, date, 's-two', 2);
    await cancel(0, large?.reservation?.id ?? '');
    const offered = await waitlistOf(date);
    expect(offered.map((e) => e.status)).toEqual([
      WaitlistStatus.WAITLIST_STATUS_OFFERED,
      WaitlistStatus.WAITLIST_STATUS_WAITING,
    ]);
    // The expiry job the scheduler plans for the offer (libs/contracts/src/waitlist-jobs.ts).
    const job = {
      key: waitlistOfferJobKey(BUSINESS, date, four.entry?.id ?? ''),
      dueAt: offered[0]?.offerExpiresAt ?? '',
      entry: four.entry?.id ?? '',
    };
    // Twice, the second under another Msg-Id (a replica that handed it over again later).
    for (const msgId of [workDueId(job.key, job.dueAt), `again-${job.key}`]) {
      const due: WorkDue = {
        v: 1,
        type: SCHEDULED_WORK_TYPES.due,
        id: workDueId(job.key, job.dueAt),
        key: job.key,
        dueAt: job.dueAt,
        at: job.dueAt,
        work: { kind: 'waitlist_offer_expiry', businessId: BUSINESS, serviceDate: date, entryId: job.entry },
      };
      await publish(suite.nats.js, {
        subject: suite.service.topology.subjects.workDue(BUSINESS),
        msgId,
        data: JSON.stringify(due),
        timeoutMs: 5_000,
      });
    }
    await expect
      .poll(async () => (await waitlistOf(date)).map((e) => [e.id, e.status]), { timeout: 15_000 })
      .toEqual([
        [four.entry?.id, WaitlistStatus.WAITLIST_STATUS_EXPIRED],
        [two.entry?.id, WaitlistStatus.WAITLIST_STATUS_OFFERED],
      ]);
  });

  it('confirms concurrent offers and refuses every other claim, never seating more than the capacity', async () => {
    const date = '2026-06-04';
    const booked = [];
    for (let i = 0; i < 5; i++) booked.push(await book(i, date, `b${i}`, 2));
    const entries = [];
    for (let i = 0; i < 5; i++) entries.push((await join(i, date, `wc${i}`, 2)).entry?.id ?? '');
    // Three cancellations at once, on both replicas: three offers, in join order.
    await Promise.all(booked.slice(0, 3).map((b, i) => cancel(i, b.reservation?.id ?? '')));
    const offered = (await waitlistOf(date)).filter(
      (e) => e.status === WaitlistStatus.WAITLIST_STATUS_OFFERED,
    );
    expect(offered.map((e) => e.id)).toEqual(entries.slice(0, 3));

    const accepts = entries.flatMap((entryId, n) =>
      Array.from({ length: 4 }, (_, i) =>
        rpc(client(n + i), client(n + i).acceptWaitlistOffer, {
          businessId: BUSINESS,
          date,
          entryId,
          guestWaId: '',
        }),
      ),
    );
    const walkUps = Array.from({ length: 10 }, (_, i) => book(i, date, `late${i}`, 2));
    const results = await Promise.allSettled([...accepts, ...walkUps]);
    const codes = results.flatMap((r) =>
      r.status === 'rejected' ? [errorCodeOf(r.reason) ?? String(r.reason)] : [],
    );
    const acceptedIds = new Set(
      results
        .slice(0, accepts.length)
        .flatMap((r) => (r.status === 'fulfilled' && 'entry' in r.value ? [r.value.reservation?.id] : [])),
    );
    expect(acceptedIds.size).toBe(3);
    // 12 accepts of the 3 offers succeed (repeats answer the same booking); 8 for the two parties
    // never offered and the 10 walk-ups are refused.
    expect(codes.filter((c) => c === 'OFFER_EXPIRED')).toHaveLength(8);
    expect(codes.filter((c) => c === 'NO_CAPACITY')).toHaveLength(10);
    expect(codes).toHaveLength(18);

    const subject = suite.service.topology.subjects.reservationDay(BUSINESS, date);
    const stream = await suite.nats.jsm.streams.info(suite.service.topology.streams.reservations.name, {
      subjects_filter: subject,
    });
    await projectionCaughtUp(suite.service, stream.state.last_seq);
    const rows = await suite.service.app.queries.byBusinessDay(BUSINESS, date, false);
    expect(rows.reduce((sum, row) => sum + row.partySize, 0)).toBe(10);
    expect(rows.filter((row) => row.idempotencyKey.startsWith('waitlist:'))).toHaveLength(3);
  });
});
