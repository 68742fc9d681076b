import { randomUUID } from 'node:crypto';
import { errorCodeOf } from '@reserveit/rpc';
import { type ReservationServiceClient, ReservationStatus } from '@reserveit/rpc/reservation/v1/reservation';
import { createLogger } from '@reserveit/telemetry';
import { type TestDatabase, type TestNats, useDatabase, useNats } from '@reserveit/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProjectionQueries } from '../src/projection/queries.js';
import { type ReservationApp, reservationApp } from '../src/reservation-app.js';
import type { RunningReservation } from '../src/server.js';
import { BusinessDirectory } from '../src/store/business-directory.js';
import { type AppendEvent, type AppendResult, EventStore } from '../src/store/event-store.js';
import { registerRequest } from './business-request.js';
import { clientFor, NOW, projectionCaughtUp, reservationUnderTest, rpc } from './reservation-under-test.js';

const BIZ = 'move-bistro';
/** Wednesday to Saturday; the bistro (Asia/Dubai) seats 4 covers at a time, 12–15 and 18–23:30. */
const WED = '2026-06-03';
const THU = '2026-06-04';
const FRI = '2026-06-05';
const SAT = '2026-06-06';

/** The real store, but the next append to a chosen subject fails as a timed-out publish would. */
class FailingOnce extends EventStore {
  readonly failNext = new Set<string>();
  override append(subject: string, events: readonly AppendEvent[], expected: number): Promise<AppendResult> {
    if (this.failNext.delete(subject)) return Promise.reject(new Error(`publish to ${subject} timed out`));
    return super.append(subject, events, expected);
  }
}

/**
 * Date changes against real NATS and Postgres: one replica over gRPC (with the projector), and one
 * built in-process whose appends can be made to fail between the two steps of a date change.
 */
describe('date changes that stop between holding the new date and releasing the old one', () => {
  let nats: TestNats;
  let database: TestDatabase;
  let service: RunningReservation;
  let other: RunningReservation;
  let client: ReservationServiceClient;
  let otherClient: ReservationServiceClient;
  let store: FailingOnce;
  let directory: BusinessDirectory;
  let flaky: ReservationApp;
  let key = 0;

  beforeAll(async () => {
    nats = await useNats();
    database = await useDatabase();
    service = await reservationUnderTest(nats.url, nats.prefix, database.url);
    other = await reservationUnderTest(nats.url, nats.prefix, database.url, {}, { projector: false });
    client = clientFor(service.grpcAddress);
    otherClient = clientFor(other.grpcAddress);
    await rpc(
      client,
      client.registerBusiness,
      registerRequest(BIZ, '100000000000401', { capacityCovers: 4 }),
    );
    const stream = service.topology.streams.reservations.name;
    store = new FailingOnce(nats.js, nats.jsm, stream, 5_000);
    directory = new BusinessDirectory();
    await directory.start(
      nats.js,
      stream,
      service.topology.subjects.reservationBusinessAll,
      createLogger('flaky', 'silent'),
    );
    flaky = reservationApp({
      store,
      topology: service.topology,
      directory,
      queries: new ProjectionQueries(service.db),
      now: () => NOW,
      newId: randomUUID,
      maxRetries: 5,
      cacheSize: 100,
    });
  });

  afterAll(async () => {
    client?.close();
    otherClient?.close();
    await directory?.stop();
    await other?.close(2_000);
    await service?.close(2_000);
    await nats?.cleanup();
    await database?.drop();
  });

  const settle = async () =>
    projectionCaughtUp(
      service,
      (await nats.jsm.streams.info(service.topology.streams.reservations.name)).state.last_seq,
    );
  const dayMessages = async (date: string) => {
    const subject = service.topology.subjects.reservationDay(BIZ, date);
    const info = await nats.jsm.streams.info(service.topology.streams.reservations.name, {
      subjects_filter: subject,
    });
    return info.state.subjects?.[subject] ?? 0;
  };
  const input = (date: string, time: string, partySize: number, idempotencyKey = `move-${++key}`) => ({
    businessId: BIZ,
    idempotencyKey,
    guestWaId: '971500000777',
    guestName: 'Noor',
    partySize,
    date,
    time,
    notes: '',
    source: 'whatsapp' as const,
  });
  const bookOverGrpc = (date: string, time: string, partySize: number, over = client) =>
    rpc(over, over.createReservation, { ...input(date, time, partySize), source: 0 });

  it('releases the old date when the same modify is retried after the release failed', async () => {
    const { booking } = await flaky.bookings.create(input(WED, '13:00', 4));
    store.failNext.add(service.topology.subjects.reservationDay(BIZ, WED));
    const change = { reservationId: booking.reservationId, date: THU };
    await expect(flaky.bookings.modify(change)).rejects.toThrow(/timed out/);
    // Between the two steps: the guest holds both dates, Wednesday's 13:00 is still full (and the
    // gRPC replica has Wednesday cached as full from here on).
    expect(errorCodeOf(await bookOverGrpc(WED, '13:00', 4).catch((e: unknown) => e))).toBe('NO_CAPACITY');

    const moved = await flaky.bookings.modify(change);
    expect(moved).toMatchObject({ reservationId: booking.reservationId, serviceDate: THU, partySize: 4 });
    const freed = await bookOverGrpc(WED, '13:00', 4);
    expect(freed.reservation?.serviceDate).toBe(WED);
  });

  it('releases the old date when another replica cancels the booking it finds on the new date', async () => {
    const { booking } = await flaky.bookings.create(input(WED, '19:00', 4));
    store.failNext.add(service.topology.subjects.reservationDay(BIZ, WED));
    await expect(flaky.bookings.modify({ reservationId: booking.reservationId, date: FRI })).rejects.toThrow(
      /timed out/,
    );
    await settle();
    // The other replica never saw this booking: it finds it on Friday through the projection.
    const cancelled = await rpc(otherClient, otherClient.cancelReservation, {
      reservationId: booking.reservationId,
      reason: 'plans changed',
      byStaff: false,
    });
    expect(cancelled.reservation).toMatchObject({
      serviceDate: FRI,
      status: ReservationStatus.RESERVATION_STATUS_CANCELLED,
    });
    const freed = await bookOverGrpc(WED, '19:00', 4, otherClient);
    expect(freed.reservation?.serviceDate).toBe(WED);
  });

  it('refuses to move a cancelled booking with ALREADY_CANCELLED and writes nothing on the other date', async () => {
    const booking = (await bookOverGrpc(WED, '21:00', 2)).reservation;
    if (!booking) throw new Error('no reservation');
    await rpc(client, client.cancelReservation, { reservationId: booking.id, reason: '', byStaff: false });
    const before = await dayMessages(SAT);
    const refused = await rpc(client, client.modifyReservation, {
      reservationId: booking.id,
      date: SAT,
      time: '',
      partySize: 0,
    }).catch((e: unknown) => e);
    expect(errorCodeOf(refused)).toBe('ALREADY_CANCELLED');
    expect(await dayMessages(SAT)).toBe(before);
  });

  it('answers a create with a reused key on another date, past the duplicate window and on another replica, with the booking made before', async () => {
    const first = await rpc(client, client.createReservation, {
      ...input(WED, '22:00', 2, 'reused-key'),
      source: 0,
    });
    await settle();
    // Past the Nats-Msg-Id window the server no longer drops the create of the same id.
    const name = service.topology.streams.reservations.name;
    const { config } = await nats.jsm.streams.info(name);
    await nats.jsm.streams.update(name, { ...config, duplicate_window: 100_000_000 });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const before = await dayMessages(SAT);

    const again = await rpc(otherClient, otherClient.createReservation, {
      ...input(SAT, '22:00', 2, 'reused-key'),
      source: 0,
    });
    expect(again.replayed).toBe(true);
    expect(again.reservation).toMatchObject({ id: first.reservation?.id, serviceDate: WED, time: '22:00' });
    expect(await dayMessages(SAT)).toBe(before);
  });
});
