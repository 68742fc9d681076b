import { fileURLToPath } from 'node:url';
import { credentials } from '@grpc/grpc-js';
import { reservationEnv } from '@reserveit/config';
import { checkpoint } from '@reserveit/db';
import { type UnaryMethod, unaryCall } from '@reserveit/rpc';
import { ReservationServiceClient } from '@reserveit/rpc/reservation/v1/reservation';
import { createLogger } from '@reserveit/telemetry';
import {
  devCallerOptions,
  type TestCaller,
  type TestDatabase,
  type TestNats,
  useDatabase,
  useNats,
} from '@reserveit/testkit';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll } from 'vitest';
import { PROJECTOR } from '../src/projection/projector.js';
import { type RunningReservation, type StartOptions, startReservation } from '../src/server.js';

export const NOW = Date.parse('2026-06-01T06:00:00Z');
/** The demo restaurants of the local stack (demo-dubai serves dinner 18:00–23:30 with 40 covers). */
export const SEED = fileURLToPath(new URL('../../../deploy/local/seed.json', import.meta.url));

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

/** What `useReservationServices` hands a suite; filled once its beforeAll ran. */
export class ServicesUnderTest {
  nats!: TestNats;
  database!: TestDatabase;
  /** The first replica runs the projector; the others only serve gRPC and append. */
  readonly replicas: RunningReservation[] = [];
  /** One client per replica, calling as the suite asked. */
  readonly clients: ReservationServiceClient[] = [];

  /** The first replica, the one whose projection the suite reads. */
  get service(): RunningReservation {
    return this.replica(0);
  }

  replica(index: number): RunningReservation {
    const replica = this.replicas[index];
    if (!replica) throw new Error(`the suite has no replica ${index} (yet)`);
    return replica;
  }

  /** The clients in turn, so consecutive calls land on different replicas. */
  client(index = 0): ReservationServiceClient {
    const client = this.clients[index % this.clients.length];
    if (!client) throw new Error('the suite has not started its services');
    return client;
  }
}

/**
 * Registers the hooks of a suite against `replicas` reservation services sharing one NATS prefix
 * and database (each test file its own): started before the suite, closed and dropped after it.
 */
export function useReservationServices(
  setup: { replicas?: number; env?: Record<string, string>; options?: StartOptions; as?: TestCaller } = {},
): ServicesUnderTest {
  const suite = new ServicesUnderTest();
  beforeAll(async () => {
    suite.nats = await useNats();
    suite.database = await useDatabase();
    for (let index = 0; index < (setup.replicas ?? 1); index++) {
      const options = index === 0 ? setup.options : { ...setup.options, projector: false };
      const replica = await reservationUnderTest(
        suite.nats.url,
        suite.nats.prefix,
        suite.database.url,
        setup.env,
        options,
      );
      suite.replicas.push(replica);
      suite.clients.push(clientFor(replica.grpcAddress, setup.as));
    }
  });
  afterAll(async () => {
    for (const client of suite.clients) client.close();
    for (const replica of [...suite.replicas].reverse()) await replica.close(2_000);
    await suite.nats?.cleanup();
    await suite.database?.drop();
  });
  return suite;
}
