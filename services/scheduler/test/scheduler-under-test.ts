import { loadSchedulerConfig } from '@reserveit/config';
import {
  DEFAULT_FOLLOW_UPS,
  type FollowUpSettings,
  topology as makeTopology,
  type ReservationStreamEvent,
  RESERVATION_EVENT_TYPES as T,
  type Topology,
  type WorkDue,
  workDueSchema,
} from '@reserveit/contracts';
import { ensureStream, publish } from '@reserveit/messaging';
import { createLogger } from '@reserveit/telemetry';
import { type TestDatabase, type TestNats, useDatabase, useNats } from '@reserveit/testkit';
import pg from 'pg';
import { type RunningScheduler, startScheduler } from '../src/server.js';

export const BUSINESS = 'casa-madrid';

export interface SchedulerHarness {
  nats: TestNats;
  database: TestDatabase;
  topology: Topology;
  /** Due work as SCHEDULE stored it. */
  due(): Promise<WorkDue[]>;
  start(overrides?: Record<string, string>): Promise<RunningScheduler>;
  /** Appends a RESERVATIONS event as the reservation service does (Msg-Id = event id). */
  append(event: ReservationStreamEvent): Promise<void>;
  /** Jobs queued in graphile-worker (key → run_at ISO). */
  queued(): Promise<Map<string, string>>;
  cleanup(): Promise<void>;
}

export async function schedulerHarness(): Promise<SchedulerHarness> {
  const nats = await useNats();
  const database = await useDatabase();
  const topology = makeTopology(nats.prefix);
  for (const spec of [topology.streams.reservations, topology.streams.schedule]) {
    await ensureStream(nats.jsm, spec, { replicas: 1 });
  }
  const pool = new pg.Pool({ connectionString: database.url, max: 2 });
  const running = new Set<RunningScheduler>();
  return {
    nats,
    database,
    topology,
    async due() {
      const found: WorkDue[] = [];
      const info = await nats.jsm.streams.info(topology.streams.schedule.name);
      for (let seq = info.state.first_seq; seq <= info.state.last_seq && info.state.messages > 0; seq++) {
        const message = await nats.jsm.streams.getMessage(topology.streams.schedule.name, { seq });
        if (message) found.push(workDueSchema.parse(message.json()));
      }
      return found;
    },
    async start(overrides = {}) {
      const config = loadSchedulerConfig({
        NATS_URL: nats.url,
        NATS_PREFIX: nats.prefix,
        DATABASE_URL: database.url,
        SCHEDULER_HTTP_PORT: '0',
        SCHEDULER_POLL_MS: '100',
        ...overrides,
      });
      const scheduler = await startScheduler(config, createLogger('scheduler-test', 'silent'));
      running.add(scheduler);
      const close = scheduler.close;
      return {
        ...scheduler,
        close: async () => {
          running.delete(scheduler);
          await close();
        },
      };
    },
    async append(event) {
      const subject =
        'booking' in event
          ? topology.subjects.reservationDay(event.booking.businessId, event.booking.serviceDate)
          : 'serviceDate' in event
            ? topology.subjects.reservationDay(event.businessId, event.serviceDate)
            : topology.subjects.reservationBusiness(event.businessId);
      await publish(nats.js, { subject, msgId: event.id, data: JSON.stringify(event), timeoutMs: 5_000 });
    },
    async queued() {
      try {
        const result = await pool.query<{ key: string; run_at: Date }>(
          'select key, run_at from scheduler_jobs.jobs where key is not null',
        );
        return new Map(result.rows.map((row) => [row.key, row.run_at.toISOString()]));
      } catch {
        return new Map();
      }
    },
    async cleanup() {
      for (const scheduler of running) await scheduler.close();
      await pool.end();
      await nats.cleanup();
      await database.drop();
    },
  };
}

let counter = 0;

export function registered(followUps: Partial<FollowUpSettings> = {}): ReservationStreamEvent {
  return {
    v: 1,
    id: `biz-${++counter}`,
    at: '2027-03-01T09:00:00.000Z',
    type: T.businessRegistered,
    businessId: BUSINESS,
    profile: {
      name: 'Casa',
      phoneNumberId: '100000000000077',
      displayPhoneNumber: '34910000000',
      timezone: 'Europe/Madrid',
      locales: ['es', 'en'],
      greetings: {},
      rules: {
        slotMinutes: 30,
        seatingMinutes: 120,
        capacityCovers: 40,
        maxPartySize: 8,
        minLeadMinutes: 0,
        horizonDays: 60,
        cancellationCutoffMinutes: 60,
      },
      templates: [],
      bookingFlowId: '',
      followUps: { ...DEFAULT_FOLLOW_UPS, ...followUps },
    },
    hours: { weekly: {}, closedDates: [], specialHours: {} },
  };
}

export function created(
  reservationId: string,
  startsAt: string,
  serviceDate: string,
  at: string,
): ReservationStreamEvent {
  return {
    v: 1,
    id: `${reservationId}:created`,
    at,
    type: T.reservationCreated,
    booking: {
      reservationId,
      businessId: BUSINESS,
      serviceDate,
      guestWaId: '34600000001',
      guestName: 'Ana',
      partySize: 2,
      startsAt,
      endsAt: new Date(Date.parse(startsAt) + 2 * 3_600_000).toISOString(),
      status: 'confirmed',
      notes: '',
      source: 'whatsapp',
      idempotencyKey: `${reservationId}-key`,
    },
  };
}

/** Resolves once `check` holds, polling; fails after `timeoutMs` with what it saw last. */
export async function eventually<T>(
  read: () => Promise<T>,
  check: (value: T) => boolean,
  timeoutMs = 15_000,
): Promise<T> {
  const until = performance.now() + timeoutMs;
  let last = await read();
  while (!check(last)) {
    if (performance.now() > until)
      throw new Error(`condition not met; last seen: ${JSON.stringify(last, replacer)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
    last = await read();
  }
  return last;
}

const replacer = (_key: string, value: unknown) => (value instanceof Map ? Object.fromEntries(value) : value);
