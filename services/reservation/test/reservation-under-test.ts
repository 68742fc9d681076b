import { credentials } from '@grpc/grpc-js';
import { reservationEnv } from '@reserveit/config';
import { checkpoint } from '@reserveit/db';
import { type UnaryMethod, unaryCall } from '@reserveit/rpc';
import { ReservationServiceClient } from '@reserveit/rpc/reservation/v1/reservation';
import { createLogger } from '@reserveit/telemetry';
import { devCallerOptions, type TestCaller } from '@reserveit/testkit';
import type { Kysely } from 'kysely';
import { PROJECTOR } from '../src/projection/projector.js';
import { type RunningReservation, type StartOptions, startReservation } from '../src/server.js';

export const NOW = Date.parse('2026-06-01T06:00:00Z');

/** A real reservation service on free loopback ports, isolated on its own NATS prefix and database. */
export async function reservationUnderTest(
  natsUrl: string,
  prefix: string,
  databaseUrl: string,
  env: Record<string, string> = {},
  options: StartOptions = {},
): Promise<RunningReservation> {
  const config = reservationEnv.parse({
    NATS_URL: natsUrl,
    NATS_PREFIX: prefix,
    DATABASE_URL: databaseUrl,
    RESERVATION_HOST: '127.0.0.1',
    RESERVATION_GRPC_PORT: '0',
    RESERVATION_HTTP_PORT: '0',
    RESERVATION_DB_POOL: '4',
    LOG_LEVEL: 'silent',
    ...env,
  });
  return startReservation(config, createLogger('reservation-test', config.LOG_LEVEL), {
    now: () => NOW,
    ...options,
  });
}

/** A client calling with development tokens of the callers the policy table allows (testkit). */
export const clientFor = (address: string, as: TestCaller = {}): ReservationServiceClient =>
  new ReservationServiceClient(address, credentials.createInsecure(), devCallerOptions(as));

/** One unary call over the socket, with a deadline like every production caller. */
export const rpc = <Req, Res>(
  client: ReservationServiceClient,
  method: UnaryMethod<Req, Res>,
  request: Req,
  deadlineMs = 10_000,
): Promise<Res> => unaryCall(client, method, request, deadlineMs);

/** Waits until the projector applied every message the stream holds now. */
export async function projectionCaughtUp(
  service: RunningReservation,
  lastSeq: number,
  timeoutMs = 15_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const applied = await checkpoint(service.db as unknown as Kysely<unknown>, 'reservation', PROJECTOR);
    if (applied >= lastSeq) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`projection did not reach stream sequence ${lastSeq}`);
}
