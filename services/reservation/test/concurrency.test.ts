import { errorCodeOf } from '@reserveit/rpc';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerRequest } from './business-request.js';
import { projectionCaughtUp, rpc, useReservationServices } from './reservation-under-test.js';

/**
 * Two replicas of the service share one stream: each serializes its own calls per aggregate, so
 * the races that remain are between replicas, settled by JetStream's expected last subject sequence.
 */
describe('concurrent bookings over gRPC against real NATS and Postgres', () => {
  const suite = useReservationServices({ replicas: 2 });
  const client = (index: number) => suite.client(index);

  beforeAll(async () => {
    await rpc(
      client(0),
      client(0).registerBusiness,
      registerRequest('race-bistro', '100000000000201', { capacityCovers: 10 }),
    );
  });

  const create = (index: number, key: string) =>
    rpc(client(index), client(index).createReservation, {
      businessId: 'race-bistro',
      idempotencyKey: key,
      guestWaId: `97150000${String(index).padStart(4, '0')}`,
      guestName: `Guest ${index}`,
      partySize: 2,
      date: '2026-06-03',
      time: '19:00',
      notes: '',
      source: 0,
    });

  it('confirms exactly 5 of 200 concurrent parties of 2 for 10 covers and refuses 195 with NO_CAPACITY', async () => {
    const results = await Promise.allSettled(Array.from({ length: 200 }, (_, i) => create(i, `race-${i}`)));
    const confirmed = results.filter((r) => r.status === 'fulfilled');
    const codes = results.flatMap((r) =>
      r.status === 'rejected' ? [errorCodeOf(r.reason) ?? String(r.reason)] : [],
    );
    expect(confirmed).toHaveLength(5);
    expect(codes).toHaveLength(195);
    expect(new Set(codes)).toEqual(new Set(['NO_CAPACITY']));

    const subject = suite.service.topology.subjects.reservationDay('race-bistro', '2026-06-03');
    const stream = await suite.nats.jsm.streams.info(suite.service.topology.streams.reservations.name, {
      subjects_filter: subject,
    });
    expect(stream.state.subjects?.[subject]).toBe(5);

    await projectionCaughtUp(suite.service, stream.state.last_seq);
    const rows = await suite.service.app.queries.byBusinessDay('race-bistro', '2026-06-03', true);
    expect(rows).toHaveLength(5);
    expect(rows.reduce((sum, row) => sum + row.partySize, 0)).toBe(10);
    const ids = confirmed.map((r) => (r.status === 'fulfilled' ? r.value.reservation?.id : undefined)).sort();
    expect(rows.map((row) => row.reservationId).sort()).toEqual(ids);
  });

  it('books one reservation for 20 concurrent calls with the same idempotency key', async () => {
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        rpc(client(i), client(i).createReservation, {
          businessId: 'race-bistro',
          idempotencyKey: 'same-key',
          guestWaId: '971500009999',
          guestName: 'Omar',
          partySize: 3,
          date: '2026-06-04',
          time: '20:00',
          notes: 'window seat',
          source: 0,
        }),
      ),
    );
    const ids = new Set(results.map((r) => r.reservation?.id));
    expect(ids.size).toBe(1);
    expect(results.filter((r) => !r.replayed).length).toBe(1);

    const subject = suite.service.topology.subjects.reservationDay('race-bistro', '2026-06-04');
    const stream = await suite.nats.jsm.streams.info(suite.service.topology.streams.reservations.name, {
      subjects_filter: subject,
    });
    expect(stream.state.subjects?.[subject]).toBe(1);
    await projectionCaughtUp(suite.service, stream.state.last_seq);
    const rows = await suite.service.app.queries.byGuest('971500009999', { includeCancelled: true });
    expect(rows.map((row) => row.reservationId)).toEqual([...ids]);
  });
});
