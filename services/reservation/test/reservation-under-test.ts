import { credentials, InterceptingCall, type Interceptor } from '@grpc/grpc-js';
import { DEV_RPC_KEYS, reservationEnv } from '@reserveit/config';
import { RPC_POLICY, type RpcCaller } from '@reserveit/contracts';
import { checkpoint } from '@reserveit/db';
import { audienceOf, type TokenSigner, tokenSigner, type UnaryMethod, unaryCall } from '@reserveit/rpc';
import { ReservationServiceClient } from '@reserveit/rpc/reservation/v1/reservation';
import { createLogger } from '@reserveit/telemetry';
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

const signers = new Map<RpcCaller, TokenSigner>();
const signerOf = (caller: RpcCaller): TokenSigner => {
  const known = signers.get(caller);
  if (known) return known;
  const made = tokenSigner(caller, DEV_RPC_KEYS[caller].privateKey);
  signers.set(caller, made);
  return made;
};

export interface TestCaller {
  /** Call as staff: the console (for these restaurants) where it may, else the ops tools. */
  staff?: boolean;
  /** The console's `restaurants` claim, for the methods only the console calls. */
  restaurants?: string[];
}

/**
 * A client whose every call carries the development token of a caller the policy table allows for
 * its method: the dialogue's where it may (so `by_staff` counts for nothing, as for a guest), else
 * the ops tools' (registering, settings), else the console's; staff clients prefer the console.
 */
export function clientFor(address: string, as: TestCaller = {}): ReservationServiceClient {
  const restaurants = as.restaurants ?? [];
  const callerFor = (path: string): RpcCaller => {
    const allowed = RPC_POLICY[path.slice(1)]?.callers ?? [];
    const order: RpcCaller[] = as.staff ? ['console', 'ops'] : ['conversation', 'ops', 'console'];
    return order.find((caller) => allowed.includes(caller)) ?? 'conversation';
  };
  const interceptor: Interceptor = (options, nextCall) =>
    new InterceptingCall(nextCall(options), {
      start(metadata, listener, next) {
        const path = options.method_definition.path;
        const caller = callerFor(path);
        signerOf(caller)(audienceOf(path), caller === 'console' ? { restaurants } : {}).then((token) => {
          metadata.set('authorization', `Bearer ${token}`);
          next(metadata, listener);
        });
      },
    });
  return new ReservationServiceClient(address, credentials.createInsecure(), { interceptors: [interceptor] });
}

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
