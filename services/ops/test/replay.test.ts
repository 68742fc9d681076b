import { fileURLToPath } from 'node:url';
import { credentials } from '@grpc/grpc-js';
import { type OpsConfig, opsEnv, reservationEnv } from '@reserveit/config';
import { checkpoint, createDatabase } from '@reserveit/db';
import { type RunningReservation, startReservation } from '@reserveit/reservation/dist/server.js';
import { errorCodeOf, unaryCall } from '@reserveit/rpc';
import { ReservationServiceClient } from '@reserveit/rpc/reservation/v1/reservation';
import { createLogger } from '@reserveit/telemetry';
import {
  devCallerOptions,
  type TestDatabase,
  type TestNatsWithUsers,
  useDatabase,
  useNatsWithUsers,
} from '@reserveit/testkit';
import { type Kysely, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { replayCommand } from '../src/commands/replay.js';
import { applyRange } from '../src/replay/child.js';
import { replayEntryOf } from '../src/replay/projections.js';
import { createShadow } from '../src/replay/schemas.js';
import { runOps } from './ops-process.js';

const SEED = fileURLToPath(new URL('../../../deploy/local/seed.json', import.meta.url));
const BIZ = 'demo-dubai';
const NOW = Date.parse('2026-06-01T06:00:00Z');
const PROJECTOR = 'reservation-projector';

/** Every projection row in primary-key order, and the inbox without its wall-clock column. */
async function snapshot(db: Kysely<unknown>, schema: string) {
  const q = (query: string) => sql.raw(query.replaceAll('S.', `"${schema}".`));
  const rows = async (query: string) => (await q(query).execute(db)).rows;
  return {
    businesses: await rows('select * from S.businesses order by id'),
    menu: await rows('select * from S.menu_items order by business_id, item_id'),
    reservations: await rows('select * from S.reservations order by id'),
    inbox: await rows(
      'select consumer, event_id, stream_seq::text from S.inbox order by consumer, stream_seq',
    ),
  };
}

async function indexNames(db: Kysely<unknown>, schema: string): Promise<string[]> {
  const result = await sql<{ name: string }>`
    select indexname as name from pg_indexes where schemaname = ${schema} order by indexname`.execute(db);
  return result.rows.map((row) => row.name);
}

describe('reserveit-ops replay reservation, against the real reservation service', () => {
  let nats: TestNatsWithUsers;
  let database: TestDatabase;
  let service: RunningReservation;
  let client: ReservationServiceClient;
  let db: Kysely<unknown>;
  let config: OpsConfig;
  let key = 0;
  let booked = 0;

  beforeAll(async () => {
    // A server with the users of this prefix: the CLI runs as the ops user, under its allow-lists.
    nats = await useNatsWithUsers();
    database = await useDatabase();
    const serviceConfig = reservationEnv.parse({
      NATS_URL: nats.url,
      NATS_PREFIX: nats.prefix,
      DATABASE_URL: database.url,
      RESERVATION_HOST: '127.0.0.1',
      RESERVATION_GRPC_PORT: '0',
      RESERVATION_HTTP_PORT: '0',
      RESERVATION_DB_POOL: '4',
      RESERVATION_SEED_FILE: SEED,
      LOG_LEVEL: 'silent',
    });
    service = await startReservation(serviceConfig, createLogger('ops-replay-test', 'silent'), {
      now: () => NOW,
    });
    client = new ReservationServiceClient(
      service.grpcAddress,
      credentials.createInsecure(),
      devCallerOptions(),
    );
    db = createDatabase<unknown>({ url: database.url, applicationName: 'ops-test', maxConnections: 2 });
    config = opsEnv.parse({ NATS_URL: nats.url, NATS_PREFIX: nats.prefix, DATABASE_URL: database.url });
  });

  afterAll(async () => {
    client?.close();
    await service?.close(2_000);
    await db?.destroy();
    await database?.drop();
    // Last: it fails when NATS refused the CLI or a service anything (a missing permission).
    await nats?.cleanup();
  });

  const lastSeq = async () =>
    (await nats.jsm.streams.info(service.topology.streams.reservations.name)).state.last_seq;

  const caughtUp = async () => {
    const target = await lastSeq();
    const deadline = Date.now() + 15_000;
    while ((await checkpoint(db, 'reservation', PROJECTOR)) < target) {
      if (Date.now() > deadline) throw new Error(`live projector did not reach ${target}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  };

  /** A full evening is a refusal, not a failure: the load just books elsewhere next time. */
  const refusal = (error: unknown) => {
    if (errorCodeOf(error) === 'NO_CAPACITY') return undefined;
    throw error;
  };

  /** A create, and for some a modify or a cancel: every event type of a booking's life. */
  const bookingLife = async (n: number) => {
    // Spread over 25 days and 12 seatings, so the 40 covers of a slot never run out.
    const day = 3 + (n % 25);
    const minutes = 18 * 60 + (Math.floor(n / 25) % 12) * 15;
    const created = await unaryCall(
      client,
      client.createReservation,
      {
        businessId: BIZ,
        idempotencyKey: `ops-${++key}`,
        guestWaId: `97150000${String(n).padStart(4, '0')}`,
        guestName: `Guest ${n}`,
        partySize: 2,
        date: `2026-06-${String(day).padStart(2, '0')}`,
        time: `${Math.floor(minutes / 60)}:${String(minutes % 60).padStart(2, '0')}`,
        notes: '',
        source: 0,
      },
      10_000,
    ).catch(refusal);
    if (!created) return;
    booked++;
    const id = created.reservation?.id ?? '';
    if (n % 3 === 1) {
      await unaryCall(
        client,
        client.modifyReservation,
        { reservationId: id, date: '', time: '', partySize: 3 },
        10_000,
      ).catch(refusal);
    }
    if (n % 5 === 2) {
      await unaryCall(
        client,
        client.cancelReservation,
        { reservationId: id, reason: 'test', byStaff: true },
        10_000,
      );
    }
  };

  it('rebuilds into a shadow schema and swaps it in: rows, versions, inbox and index names equal the live ones', async () => {
    for (let n = 0; n < 30; n++) await bookingLife(n);
    await caughtUp();
    const liveIndexes = await indexNames(db, 'reservation');
    const events = await lastSeq();

    const run = await runOps(['replay', 'reservation', '--json'], {
      NATS_URL: nats.url,
      NATS_PREFIX: nats.prefix,
      DATABASE_URL: database.url,
    });
    expect(run.stderr).not.toContain('reserveit-ops:');
    expect(run.code).toBe(0);
    const summary = JSON.parse(run.stdout) as {
      mode: string;
      applied: number;
      seq: number;
      replaced: string;
    };
    expect(summary).toMatchObject({ mode: 'shadow', applied: events, seq: events });
    expect(summary.replaced).toMatch(/^reservation_replaced_\d{14}$/);

    const rebuilt = await snapshot(db, 'reservation');
    expect(rebuilt.reservations.length).toBe(booked);
    expect(rebuilt.inbox.length).toBe(events);
    expect(rebuilt).toEqual(await snapshot(db, summary.replaced));
    expect(await indexNames(db, 'reservation')).toEqual(liveIndexes);
    // The service still serves from the swapped-in schema.
    const { businesses } = await unaryCall(client, client.listBusinesses, {}, 10_000);
    expect(businesses.map((b) => b.id)).toEqual([BIZ]);
  });

  it('swaps while bookings keep arriving: nothing the live projector applied meanwhile is lost or applied twice', async () => {
    let stop = false;
    let made = 100;
    let failure: unknown;
    const load = (async () => {
      while (!stop) {
        await bookingLife(made++);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    })().catch((error: unknown) => {
      failure = error;
    });
    await new Promise((resolve) => setTimeout(resolve, 200));
    const code = await replayCommand(config, 'reservation', {
      inPlace: false,
      force: false,
      dropOld: true,
      swapGap: 20,
      json: true,
    });
    // Keep booking a little after the swap: the live projector now writes the rebuilt schema.
    await new Promise((resolve) => setTimeout(resolve, 300));
    stop = true;
    await load;
    expect(failure).toBeUndefined();
    expect(code).toBe(0);
    await caughtUp();
    expect(made - 100).toBeGreaterThan(3);
    const bookedBefore = booked;

    // Reference: the whole stream applied from scratch into a fresh copy, with nothing running.
    await createShadow(db, 'reservation', 'reservation_reference', [
      'businesses',
      'menu_items',
      'reservations',
      'inbox',
    ]);
    const done = await applyRange(
      replayEntryOf('reservation'),
      config,
      { schema: 'reservation_reference' },
      () => {},
    );
    const events = await lastSeq();
    expect(done.seq).toBe(events);
    const live = await snapshot(db, 'reservation');
    expect(live.inbox.length).toBe(events);
    expect(live.reservations.length).toBe(bookedBefore);
    expect(live).toEqual(await snapshot(db, 'reservation_reference'));
    const schemas = await sql<{ name: string }>`
      select nspname as name from pg_namespace where nspname like 'reservation%' order by 1`.execute(db);
    expect(schemas.rows.map((row) => row.name)).toEqual([
      'reservation',
      'reservation_reference',
      expect.stringMatching(/^reservation_replaced_/),
    ]);
  });
});
