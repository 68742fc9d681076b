/**
 * pnpm bench:replay — rebuilds the reservation projection from 100,000 events on RESERVATIONS
 * (replayProjection: an ordered consumer, batches of 256 applied in one transaction each with their
 * inbox rows) into a fresh database. Baselines measured in the same run over the same messages:
 * reading them with the same ordered consumer and nothing else, and reading plus decoding them
 * (JSON and the contracts' zod schema), so what is left of the replay's time is Postgres.
 *
 * Events are made up here but realistic: businesses registered with hours and menus, then
 * bookings created, modified, cancelled and moved between days, all valid under the contracts'
 * event schemas (checked before publishing). Uses NATS_URL / DATABASE_URL when set (a fresh
 * database is created and dropped); otherwise a private nats-server and the Postgres at
 * 127.0.0.1:5432. BENCH_EVENTS changes the count.
 */
import { randomBytes } from 'node:crypto';
import { cpus } from 'node:os';
import { DeliverPolicy, type JetStreamClient, jetstream, jetstreamManager } from '@nats-io/jetstream';
import {
  DEFAULT_FOLLOW_UPS,
  parseReservationEvent,
  type ReservationStreamEvent,
  reservationStreamEventSchema,
  RESERVATION_EVENT_TYPES as T,
  type Topology,
  topology,
} from '@reserveit/contracts';
import { createDatabase, migrateSchema } from '@reserveit/db';
import { ensureStream } from '@reserveit/messaging';
import { type Kysely, sql } from 'kysely';
import pg from 'pg';
import { projectionMigrations } from '../src/projection/migrations.js';
import { replayProjection } from '../src/projection/projector.js';
import { PROJECTION_SCHEMA, type ProjectionDb } from '../src/projection/tables.js';
import { benchInfra } from './bench-infra.js';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 100_000);
const TARGET_PER_SECOND = 10_000;
const BUSINESSES = 50;
const MENU_ITEMS = 10;
const DAYS = 60;
const out = (line: string) => process.stdout.write(`${line}\n`);

/** A small deterministic generator (mulberry32), so two runs replay the same stream. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Live {
  reservationId: string;
  businessId: string;
  serviceDate: string;
  partySize: number;
}

interface Stored {
  subject: string;
  event: ReservationStreamEvent;
}

const hours = {
  weekly: Object.fromEntries(
    ['1', '2', '3', '4', '5', '6', '7'].map((d) => [
      d,
      [
        { start: '12:00', end: '15:00' },
        { start: '18:00', end: '23:30' },
      ],
    ]),
  ),
  closedDates: [],
  specialHours: {},
};

/** The event history of BUSINESSES restaurants: registrations and menus first, then bookings. */
function* history(t: Topology, total: number): Generator<Stored> {
  const rnd = random(42);
  const start = Date.parse('2026-01-01T08:00:00Z');
  let n = 0;
  const at = () => new Date(start + n * 1_000).toISOString();
  const id = () => `ev_${(++n).toString(36).padStart(8, '0')}`;
  const business = (b: number) => `bench-${b}`;
  for (let b = 0; b < BUSINESSES && n < total; b++) {
    yield {
      subject: t.subjects.reservationBusiness(business(b)),
      event: {
        v: 1,
        id: id(),
        at: at(),
        type: T.businessRegistered,
        businessId: business(b),
        profile: {
          name: `Bench Kitchen ${b}`,
          phoneNumberId: String(300000000000000 + b),
          displayPhoneNumber: '15550004444',
          bookingFlowId: '',
          followUps: DEFAULT_FOLLOW_UPS,
          templates: [],
          timezone: 'Asia/Dubai',
          locales: ['en', 'ar'],
          greetings: { en: `Welcome to Bench Kitchen ${b}!` },
          rules: {
            slotMinutes: 15,
            seatingMinutes: 90,
            capacityCovers: 120,
            maxPartySize: 12,
            minLeadMinutes: 60,
            horizonDays: 90,
            cancellationCutoffMinutes: 120,
          },
        },
        hours,
      },
    };
    for (let i = 0; i < MENU_ITEMS && n < total; i++) {
      yield {
        subject: t.subjects.reservationBusiness(business(b)),
        event: {
          v: 1,
          id: id(),
          at: at(),
          type: T.menuItemSet,
          businessId: business(b),
          item: {
            itemId: `item-${i}`,
            category: i < 3 ? 'Starters' : i < 8 ? 'Mains' : 'Desserts',
            name: `Dish ${i}`,
            description: 'Slow-cooked, served with bread',
            priceMinor: 2_500 + i * 500,
            currency: 'AED',
            dietaryTags: i % 3 === 0 ? ['vegetarian'] : [],
            available: true,
            position: i,
          },
        },
      };
    }
  }
  const live: Live[] = [];
  const dateOf = (d: number) => new Date(Date.UTC(2026, 1, 1 + d)).toISOString().slice(0, 10);
  const slot = (date: string, minutes: number) =>
    new Date(Date.parse(`${date}T14:00:00Z`) + minutes * 60_000);
  while (n < total) {
    const roll = rnd();
    const pick = live.length > 0 ? Math.floor(rnd() * live.length) : -1;
    const target = pick >= 0 ? live[pick] : undefined;
    if (!target || roll < 0.7) {
      const businessId = business(Math.floor(rnd() * BUSINESSES));
      const serviceDate = dateOf(Math.floor(rnd() * DAYS));
      const startsAt = slot(serviceDate, Math.floor(rnd() * 20) * 15);
      const reservationId = `r_${randomBytes(8).toString('hex')}`;
      const partySize = 1 + Math.floor(rnd() * 8);
      live.push({ reservationId, businessId, serviceDate, partySize });
      yield {
        subject: t.subjects.reservationDay(businessId, serviceDate),
        event: {
          v: 1,
          id: id(),
          at: at(),
          type: T.reservationCreated,
          booking: {
            reservationId,
            businessId,
            serviceDate,
            guestWaId: `9715${String(Math.floor(rnd() * 1e8)).padStart(8, '0')}`,
            guestName: 'Guest',
            partySize,
            startsAt: startsAt.toISOString(),
            endsAt: new Date(startsAt.getTime() + 90 * 60_000).toISOString(),
            status: 'confirmed',
            notes: '',
            source: 'whatsapp',
            idempotencyKey: `c_bench:${reservationId}`,
          },
        },
      };
    } else if (roll < 0.85) {
      const startsAt = slot(target.serviceDate, Math.floor(rnd() * 20) * 15);
      target.partySize = 1 + Math.floor(rnd() * 8);
      yield {
        subject: t.subjects.reservationDay(target.businessId, target.serviceDate),
        event: {
          v: 1,
          id: id(),
          at: at(),
          type: T.reservationModified,
          reservationId: target.reservationId,
          businessId: target.businessId,
          serviceDate: target.serviceDate,
          partySize: target.partySize,
          startsAt: startsAt.toISOString(),
          endsAt: new Date(startsAt.getTime() + 90 * 60_000).toISOString(),
        },
      };
    } else if (roll < 0.95) {
      live.splice(pick, 1);
      yield {
        subject: t.subjects.reservationDay(target.businessId, target.serviceDate),
        event: {
          v: 1,
          id: id(),
          at: at(),
          type: T.reservationCancelled,
          reservationId: target.reservationId,
          businessId: target.businessId,
          serviceDate: target.serviceDate,
          reason: 'guest cancelled on WhatsApp',
        },
      };
    } else {
      // A date change: created on the new day first, then moved_out on the old one (as the service appends).
      const from = target.serviceDate;
      const to = dateOf(Math.floor(rnd() * DAYS));
      if (to === from) continue;
      target.serviceDate = to;
      const startsAt = slot(to, Math.floor(rnd() * 20) * 15);
      yield {
        subject: t.subjects.reservationDay(target.businessId, to),
        event: {
          v: 1,
          id: id(),
          at: at(),
          type: T.reservationCreated,
          movedFrom: from,
          booking: {
            reservationId: target.reservationId,
            businessId: target.businessId,
            serviceDate: to,
            guestWaId: '971500000000',
            guestName: 'Guest',
            partySize: target.partySize,
            startsAt: startsAt.toISOString(),
            endsAt: new Date(startsAt.getTime() + 90 * 60_000).toISOString(),
            status: 'confirmed',
            notes: 'moved',
            source: 'whatsapp',
            idempotencyKey: `c_bench:${target.reservationId}:move`,
          },
        },
      };
      if (n >= total) break;
      yield {
        subject: t.subjects.reservationDay(target.businessId, from),
        event: {
          v: 1,
          id: id(),
          at: at(),
          type: T.reservationMovedOut,
          reservationId: target.reservationId,
          businessId: target.businessId,
          serviceDate: from,
          movedTo: to,
        },
      };
    }
  }
}

/** Appends the history with up to 1,000 publishes in flight; each event is checked against its schema. */
async function fill(js: JetStreamClient, t: Topology): Promise<Record<string, number>> {
  const types: Record<string, number> = {};
  let inFlight: Promise<unknown>[] = [];
  for (const { subject, event } of history(t, EVENTS)) {
    reservationStreamEventSchema.parse(event);
    types[event.type] = (types[event.type] ?? 0) + 1;
    inFlight.push(js.publish(subject, JSON.stringify(event), { msgID: event.id }));
    if (inFlight.length >= 1_000) {
      await Promise.all(inFlight);
      inFlight = [];
    }
  }
  await Promise.all(inFlight);
  return types;
}

/** Reads the whole stream the way replayProjection does; `decode` adds what it does per message before Postgres. */
async function readAll(
  js: JetStreamClient,
  stream: string,
  lastSeq: number,
  decode: boolean,
): Promise<number> {
  const consumer = await js.consumers.get(stream, { deliver_policy: DeliverPolicy.All });
  const messages = await consumer.consume({ max_messages: 1024 });
  let read = 0;
  try {
    for await (const message of messages) {
      if (decode && !parseReservationEvent(message.json()).ok) throw new Error(`unreadable #${message.seq}`);
      read++;
      if (message.seq >= lastSeq) break;
    }
  } finally {
    await messages.close();
  }
  return read;
}

/**
 * The floor under one-statement-per-event: a trivial statement per event, in transactions of 256
 * like the replay's, on one connection. The replay cannot beat it without batching statements.
 */
async function roundTrips(url: string, count: number): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    for (let done = 0; done < count; ) {
      await client.query('begin');
      for (let i = 0; i < 256 && done < count; i++, done++) await client.query('select $1::bigint', [done]);
      await client.query('commit');
    }
  } finally {
    await client.end();
  }
  return count;
}

async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await fn();
  return { value, ms: performance.now() - started };
}

const rate = (events: number, ms: number) =>
  `${Math.round(events / (ms / 1000)).toLocaleString('en-US')} events/s`;
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

async function benchmark(): Promise<void> {
  const infra = await benchInfra();
  const { natsUrl, dbUrl, dbName, nc } = infra;
  const db = createDatabase<ProjectionDb>({ url: dbUrl, applicationName: 'bench-replay' });
  const js = jetstream(nc);
  const jsm = await jetstreamManager(nc);
  const t = topology(infra.prefix);
  const stream = t.streams.reservations.name;
  try {
    out(
      `replay benchmark: ${EVENTS.toLocaleString('en-US')} events on ${stream} into the reservation projection`,
    );
    out(
      `NATS ${natsUrl}${infra.privateNats ? ' (private)' : ''}, Postgres database ${dbName}, ${cpus().length} CPUs\n`,
    );
    await ensureStream(jsm, t.streams.reservations, { replicas: 1 });
    const filled = await timed(() => fill(js, t));
    const info = await jsm.streams.info(stream);
    out(
      `filled in ${seconds(filled.ms)}: ${info.state.messages.toLocaleString('en-US')} messages, ${(info.state.bytes / 1e6).toFixed(1)} MB`,
    );
    out(
      `  ${Object.entries(filled.value)
        .map(([type, count]) => `${type} ${count}`)
        .join(', ')}\n`,
    );
    await migrateSchema(db as unknown as Kysely<unknown>, PROJECTION_SCHEMA, projectionMigrations);

    const lastSeq = info.state.last_seq;
    const read = await timed(() => readAll(js, stream, lastSeq, false));
    const decoded = await timed(() => readAll(js, stream, lastSeq, true));
    const trips = await timed(() => roundTrips(dbUrl, EVENTS));
    const replay = await timed(() =>
      replayProjection({ js, jsm, db, topology: t }, (seq, last) => {
        if (process.stdout.isTTY)
          process.stdout.write(`\r  replaying … ${Math.round((seq / last) * 100)} % `);
      }),
    );
    if (process.stdout.isTTY) process.stdout.write('\r');
    const rows = await sql<{ inbox: string; reservations: string; menu: string }>`
      select (select count(*) from reservation.inbox)::text as inbox,
             (select count(*) from reservation.reservations)::text as reservations,
             (select count(*) from reservation.menu_items)::text as menu`.execute(db);
    const counts = rows.rows[0];
    if (Number(counts?.inbox) !== EVENTS || replay.value.applied !== EVENTS) {
      throw new Error(
        `replay applied ${replay.value.applied}, inbox holds ${counts?.inbox}, expected ${EVENTS}`,
      );
    }

    const row = (label: string, events: number, ms: number) =>
      out(`${label.padEnd(58)} ${seconds(ms).padStart(8)}  ${rate(events, ms)}`);
    row('baseline  read only (ordered consumer)', read.value, read.ms);
    row('baseline  read + decode (JSON + zod)', decoded.value, decoded.ms);
    row('baseline  Postgres round trips (1 per event, 256 per tx)', trips.value, trips.ms);
    row('replay    read + decode + apply (replayProjection)', replay.value.applied, replay.ms);
    out(
      `\nprojection: ${counts?.reservations} reservations, ${counts?.menu} menu items, ${counts?.inbox} inbox rows`,
    );
    const perSecond = replay.value.applied / (replay.ms / 1000);
    out(
      `Postgres share of the replay: ${Math.round(((replay.ms - decoded.ms) / replay.ms) * 100)} %; target ≥ ${TARGET_PER_SECOND.toLocaleString('en-US')} events/s: ${perSecond >= TARGET_PER_SECOND ? 'met' : 'NOT met'}`,
    );
  } finally {
    await db.destroy();
    await jsm.streams.delete(stream).catch(() => undefined);
    await infra.release();
  }
}

benchmark().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
