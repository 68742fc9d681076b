import { status } from '@grpc/grpc-js';
import type { RpcCaller } from '@reserveit/contracts';
import { errorCodeOf } from '@reserveit/rpc';
import {
  GuestAnswer,
  type ReservationServiceClient,
  ReservationServiceService,
  ReservationSource,
  ReservationStatus,
} from '@reserveit/rpc/reservation/v1/reservation';
import { callWith, methodsOf, type TestNats, testTokens } from '@reserveit/testkit';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunningReservation } from '../src/server.js';
import { registerRequest } from './business-request.js';
import {
  clientFor,
  projectionCaughtUp,
  reservationUnderTest,
  rpc,
  SEED,
  useReservationServices,
} from './reservation-under-test.js';

const BIZ = 'demo-dubai';
const OTHER = 'other-bistro';
/** A Wednesday; the demo restaurant serves dinner 18:00–23:30 (Asia/Dubai), guests may cancel until 2 h before. */
const WEDNESDAY = '2026-06-03';

const metricValue = async (service: RunningReservation, name: string): Promise<number> => {
  const text = await (await fetch(`${service.httpAddress}/metrics`)).text();
  return text
    .split('\n')
    .filter((line) => line.startsWith(`${name}{`))
    .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
};

const HANDLER_REFUSALS: Record<string, string> = {
  JoinWaitlist: 'keeps no waitlist',
  AcceptWaitlistOffer: 'No waitlist entry',
  ExpireWaitlistOffer: 'No waitlist entry',
  LeaveWaitlist: 'No waitlist entry',
  // Asked before the booking is seated (SetReservationStatus comes after it).
  GiveFeedback: 'takes no feedback',
};

describe('reservation.v1 checks who calls, for every method of the generated service', () => {
  const suite = useReservationServices({ env: { RESERVATION_SEED_FILE: SEED } });
  let nats: TestNats;
  let service: RunningReservation;
  let guestSide: ReservationServiceClient;
  let key = 0;
  let target = '';

  beforeAll(async () => {
    ({ service, nats } = suite);
    guestSide = suite.client();
    await rpc(guestSide, guestSide.registerBusiness, registerRequest(OTHER, '100000000000777'));
    target = await book('19:00');
    await caughtUp();
  });

  const lastSeq = async () =>
    (await nats.jsm.streams.info(service.topology.streams.reservations.name)).state.last_seq;
  const caughtUp = async () => projectionCaughtUp(service, await lastSeq());

  async function book(time: string, client = guestSide): Promise<string> {
    const { reservation } = await rpc(client, client.createReservation, {
      businessId: BIZ,
      idempotencyKey: `auth-${++key}`,
      guestWaId: `97150000${String(key).padStart(4, '0')}`,
      guestName: 'Layla',
      partySize: 2,
      date: WEDNESDAY,
      time,
      notes: '',
      source: 0,
    });
    if (!reservation) throw new Error('no reservation in the response');
    return reservation.id;
  }

  /** A request per method that would read or change something real if the call were let in. */
  const requestFor = (path: string, empty: Record<string, unknown>): Record<string, unknown> => {
    const name = path.slice(path.lastIndexOf('/') + 1);
    const scoped = 'businessId' in empty ? { businessId: BIZ } : {};
    const samples: Record<string, Record<string, unknown>> = {
      GetBusinessByPhoneNumberId: { phoneNumberId: '100000000000001' },
      CheckAvailability: { partySize: 2, date: WEDNESDAY, preferredTime: '20:00' },
      CreateReservation: {
        idempotencyKey: 'auth-matrix',
        guestWaId: '971500009999',
        guestName: 'Intruder',
        partySize: 2,
        date: WEDNESDAY,
        time: '20:00',
      },
      ModifyReservation: { reservationId: target, partySize: 3 },
      CancelReservation: { reservationId: target, reason: 'intruder', byStaff: true },
      ListReservations: { date: WEDNESDAY },
      GetReservation: { reservationId: target },
      AnswerReminder: { reservationId: target, answer: GuestAnswer.GUEST_ANSWER_CONFIRMED },
      GiveFeedback: { reservationId: target, rating: 5 },
      SetReservationStatus: { reservationId: target, status: ReservationStatus.RESERVATION_STATUS_SEATED },
      GetDaySheet: { date: WEDNESDAY },
      RegisterBusiness: { ...registerRequest('intruder-bistro', '100000000000888') },
      UpdateBusinessSettings: { name: 'Renamed' },
      SetMenuItem: {
        item: {
          id: 'intruder',
          category: 'Mains',
          name: 'Intruder',
          description: '',
          priceMinor: 100,
          currency: 'AED',
          dietaryTags: [],
          available: true,
          position: 9,
        },
      },
      RemoveMenuItem: { itemId: 'hummus' },
      JoinWaitlist: {
        idempotencyKey: 'auth-wait',
        guestWaId: '971500009999',
        guestName: 'Intruder',
        partySize: 2,
        date: WEDNESDAY,
        time: '20:00',
      },
      AcceptWaitlistOffer: { date: WEDNESDAY, entryId: 'w_unknown' },
      ExpireWaitlistOffer: { date: WEDNESDAY, entryId: 'w_unknown' },
      LeaveWaitlist: { date: WEDNESDAY, entryId: 'w_unknown' },
    };
    return { ...empty, ...scoped, ...samples[name] };
  };

  const methods = methodsOf(ReservationServiceService);
  const call = (path: string, authorization: string | undefined, request?: Record<string, unknown>) => {
    const method = methods.find((m) => m.path === path);
    if (!method) throw new Error(path);
    return callWith(
      service.grpcAddress,
      ReservationServiceService,
      path,
      request ?? requestFor(path, method.emptyRequest),
      authorization,
    );
  };
  const claimsOf = (caller: RpcCaller) => (caller === 'console' ? { restaurants: [BIZ, OTHER] } : undefined);

  it('refuses a call without a token, with an untrusted key, expired, for another service, or from a caller the policy leaves out, and runs nothing', async () => {
    expect(methods.length).toBeGreaterThanOrEqual(17);
    const seqBefore = await lastSeq();
    const handledBefore = await metricValue(service, 'reservation_grpc_calls_total');
    const refusedBefore = await metricValue(service, 'reservation_grpc_calls_refused_total');
    let refusals = 0;
    for (const method of methods) {
      const allowed = method.callers[0];
      expect(allowed, `${method.path} has callers in the policy table`).toBeDefined();
      if (!allowed) continue;
      const unauthenticated = await testTokens.unauthenticated(
        allowed,
        'reservation',
        'conversation',
        claimsOf(allowed),
      );
      for (const authorization of unauthenticated) {
        expect((await call(method.path, authorization)).code, method.path).toBe(status.UNAUTHENTICATED);
        refusals += 1;
      }
      for (const caller of method.refused) {
        const token = await testTokens.valid(caller, 'reservation', claimsOf(caller));
        expect((await call(method.path, token)).code, `${method.path} as ${caller}`).toBe(
          status.PERMISSION_DENIED,
        );
        refusals += 1;
      }
    }
    expect(await lastSeq()).toBe(seqBefore);
    expect(await metricValue(service, 'reservation_grpc_calls_total')).toBe(handledBefore);
    expect(await metricValue(service, 'reservation_grpc_calls_refused_total')).toBe(refusedBefore + refusals);
  });

  it("holds the console to its token's restaurants: another business, or none, is PERMISSION_DENIED", async () => {
    const onlyBiz = await testTokens.valid('console', 'reservation', { restaurants: [BIZ] });
    const seqBefore = await lastSeq();
    const sheet = (businessId: string) =>
      call('/reservation.v1.ReservationService/GetDaySheet', onlyBiz, {
        businessId,
        date: WEDNESDAY,
        includeCancelled: false,
      });
    expect((await sheet(BIZ)).code).toBe(status.OK);
    expect((await sheet(OTHER)).code).toBe(status.PERMISSION_DENIED);
    const cancel = (businessId: string | undefined) =>
      call('/reservation.v1.ReservationService/CancelReservation', onlyBiz, {
        reservationId: target,
        reason: '',
        byStaff: true,
        businessId,
      });
    expect((await cancel(undefined)).code).toBe(status.PERMISSION_DENIED);
    expect((await cancel(OTHER)).code).toBe(status.PERMISSION_DENIED);
    const noClaim = await testTokens.valid('console', 'reservation');
    expect(
      (
        await call('/reservation.v1.ReservationService/GetDaySheet', noClaim, {
          businessId: BIZ,
          date: WEDNESDAY,
          includeCancelled: false,
        })
      ).code,
    ).toBe(status.PERMISSION_DENIED);
    expect(await lastSeq()).toBe(seqBefore);
  });

  it('counts by_staff and a staff source only from the console and ops: the dialogue asking for them is held to the guest rules', async () => {
    const late = await book('13:00');
    await caughtUp();
    // Half an hour before the booking: past the two-hour guest cutoff.
    const later = await reservationUnderTest(
      nats.url,
      nats.prefix,
      suite.database.url,
      {},
      { projector: false, now: () => Date.parse(`${WEDNESDAY}T08:30:00Z`) },
    );
    const dialogue = clientFor(later.grpcAddress);
    const consoleSide = clientFor(later.grpcAddress, { staff: true, restaurants: [BIZ] });
    try {
      const asGuest = await rpc(dialogue, dialogue.cancelReservation, {
        reservationId: late,
        reason: '',
        byStaff: true,
      }).catch((error: unknown) => error);
      expect(errorCodeOf(asGuest)).toBe('TOO_LATE');
      const modified = await rpc(dialogue, dialogue.modifyReservation, {
        reservationId: late,
        date: '',
        time: '',
        partySize: 3,
        byStaff: true,
      }).catch((error: unknown) => error);
      expect(errorCodeOf(modified)).toBe('TOO_LATE');
      const asStaff = await rpc(consoleSide, consoleSide.cancelReservation, {
        reservationId: late,
        businessId: BIZ,
        reason: '',
        byStaff: false,
      });
      expect(asStaff.reservation?.status).toBe(ReservationStatus.RESERVATION_STATUS_CANCELLED);
      // Nor does the dialogue make a staff booking by asking for one.
      const { reservation: asked } = await rpc(dialogue, dialogue.createReservation, {
        businessId: BIZ,
        idempotencyKey: 'auth-staff-source',
        guestWaId: '971500007777',
        guestName: 'Walk In',
        partySize: 2,
        date: WEDNESDAY,
        time: '21:00',
        notes: '',
        source: ReservationSource.RESERVATION_SOURCE_STAFF,
      });
      expect(asked?.source).toBe(ReservationSource.RESERVATION_SOURCE_WHATSAPP);
    } finally {
      dialogue.close();
      consoleSide.close();
      await later.close(2_000);
    }
  });

  it('lets every method through to its handler for a caller the policy allows', async () => {
    // The cancellation last: the status change and the reads need the booking as it is.
    const cancelLast = [...methods].sort(
      (a, b) => Number(a.path.endsWith('/CancelReservation')) - Number(b.path.endsWith('/CancelReservation')),
    );
    for (const method of cancelLast) {
      const allowed = method.callers[0];
      if (!allowed) continue;
      const token = await testTokens.valid(allowed, 'reservation', claimsOf(allowed));
      const outcome = await call(method.path, token);
      expect(
        [status.UNAUTHENTICATED, status.PERMISSION_DENIED],
        `${method.path} as ${allowed}`,
      ).not.toContain(outcome.code);
      // The seed restaurant keeps no waitlist: the handlers' own refusals show they ran.
      const refusal = HANDLER_REFUSALS[method.path.slice(method.path.lastIndexOf('/') + 1)];
      if (refusal) expect(outcome.details, method.path).toContain(refusal);
      else expect(outcome.code, `${method.path} as ${allowed}: ${outcome.details}`).toBe(status.OK);
    }
  });
});
