import type { JetStreamClient, JetStreamManager, JsMsg } from '@nats-io/jetstream';
import {
  type DayEvent,
  dayEventSchema,
  followUpSettingsSchema,
  type ProjectionConsumer,
  parseReservationEvent,
  type ReservationStreamEvent,
  RESERVATION_EVENT_TYPES as T,
} from '@reserveit/contracts';
import { applyFreshBatch } from '@reserveit/db';
import { consumeProjection, type RunningConsumer } from '@reserveit/messaging';
import type { Counter, Logger } from '@reserveit/telemetry';
import { sql, type Transaction } from 'kysely';
import { type BookingState, evolveBooking } from './domain/booking-state.js';
import { type BusinessFollowUps, planJobs } from './domain/job-plan.js';
import { waitlistPlan } from './domain/waitlist-plan.js';
import { applyPlan } from './store/job-queue.js';
import { SCHEDULER_SCHEMA, type SchedulerDb, type SchedulerKysely } from './store/tables.js';

export interface IntakeDeps {
  js: JetStreamClient;
  jsm: JetStreamManager;
  row: ProjectionConsumer & { inbox: { schema: string; consumer: string } };
  db: SchedulerKysely;
  jobsSchema: string;
  logger: Logger;
  planned: Counter<'outcome'>;
  now(): Date;
}

type Entry = { eventId: string; streamSeq: number; event: ReservationStreamEvent };

/**
 * RESERVATIONS into jobs: each booking's state is folded from its events and its jobs planned
 * again after each (planJobs), business settings kept for the planning. Booking state, jobs and
 * the inbox row commit in one transaction per batch, so a redelivery plans nothing twice and a
 * crash leaves either all or none of it.
 */
export function startIntake(deps: IntakeDeps): Promise<RunningConsumer> {
  return consumeProjection(deps.row, {
    js: deps.js,
    jsm: deps.jsm,
    logger: deps.logger,
    healthy: () =>
      sql`select 1`.execute(deps.db).then(
        () => true,
        () => false,
      ),
    handleBatch: (messages) => intake(deps, messages),
    handler: (message) => intake(deps, [message]),
  });
}

async function intake(deps: IntakeDeps, messages: readonly JsMsg[]): Promise<void> {
  const entries: Entry[] = [];
  for (const message of messages) {
    const parsed = readEvent(message);
    if (parsed) entries.push({ eventId: parsed.id, streamSeq: message.seq, event: parsed });
    else deps.planned.inc({ outcome: 'unreadable' });
  }
  const fresh = await applyFreshBatch(deps.db, deps.row.inbox, entries, async (trx, events) => {
    const now = deps.now().getTime();
    for (const { event } of events) await apply(trx, deps, event, now);
  });
  deps.planned.inc({ outcome: 'applied' }, fresh);
  if (entries.length > fresh) deps.planned.inc({ outcome: 'duplicate' }, entries.length - fresh);
}

function readEvent(message: JsMsg): ReservationStreamEvent | undefined {
  try {
    const result = parseReservationEvent(message.json<unknown>());
    return result.ok ? result.event : undefined;
  } catch {
    return undefined;
  }
}

async function apply(
  trx: Transaction<SchedulerDb>,
  deps: IntakeDeps,
  event: ReservationStreamEvent,
  now: number,
): Promise<void> {
  switch (event.type) {
    case T.businessRegistered:
      await sql`
        insert into ${sql.id(SCHEDULER_SCHEMA, 'businesses')} (business_id, timezone, follow_ups)
        values (${event.businessId}, ${event.profile.timezone}, ${JSON.stringify(event.profile.followUps)}::jsonb)
        on conflict (business_id) do update set timezone = excluded.timezone, follow_ups = excluded.follow_ups`.execute(
        trx,
      );
      return;
    case T.businessSettingsSet: {
      if (!event.followUps) return;
      await sql`
        update ${sql.id(SCHEDULER_SCHEMA, 'businesses')} set follow_ups = ${JSON.stringify(event.followUps)}::jsonb
        where business_id = ${event.businessId}`.execute(trx);
      const business = await businessOf(trx, event.businessId);
      if (!business) return;
      const bookings = await sql<{ state: BookingState }>`
        select state from ${sql.id(SCHEDULER_SCHEMA, 'bookings')}
        where business_id = ${event.businessId} and state->>'stage' <> 'gone'`.execute(trx);
      for (const { state } of bookings.rows)
        await applyPlan(trx, deps.jobsSchema, planJobs(state, business, now));
      return;
    }
    case T.businessHoursSet:
    case T.menuItemSet:
    case T.menuItemRemoved:
      return;
    default:
      return applyDayEvent(trx, deps, dayEventSchema.parse(event), now);
  }
}

async function applyDayEvent(
  trx: Transaction<SchedulerDb>,
  deps: IntakeDeps,
  event: DayEvent,
  now: number,
): Promise<void> {
  switch (event.type) {
    case T.waitlistJoined:
    case T.waitlistOffered:
    case T.waitlistOfferAccepted:
    case T.waitlistOfferExpired:
    case T.waitlistLeft:
      return applyPlan(trx, deps.jobsSchema, waitlistPlan(event));
  }
  const reservationId =
    event.type === T.reservationCreated ? event.booking.reservationId : event.reservationId;
  const found = await sql<{ state: BookingState }>`
    select state from ${sql.id(SCHEDULER_SCHEMA, 'bookings')} where reservation_id = ${reservationId}`.execute(
    trx,
  );
  const state = evolveBooking(found.rows[0]?.state, event);
  if (!state) {
    deps.planned.inc({ outcome: 'unknown_booking' });
    return;
  }
  await sql`
    insert into ${sql.id(SCHEDULER_SCHEMA, 'bookings')} (reservation_id, business_id, state)
    values (${reservationId}, ${state.businessId}, ${JSON.stringify(state)}::jsonb)
    on conflict (reservation_id) do update set state = excluded.state`.execute(trx);
  const business = await businessOf(trx, state.businessId);
  if (!business) {
    deps.logger.warn({ business: state.businessId }, 'booking of an unknown business: no jobs planned');
    return;
  }
  await applyPlan(trx, deps.jobsSchema, planJobs(state, business, now));
}

async function businessOf(
  trx: Transaction<SchedulerDb>,
  businessId: string,
): Promise<BusinessFollowUps | undefined> {
  const found = await sql<{ timezone: string; follow_ups: unknown }>`
    select timezone, follow_ups from ${sql.id(SCHEDULER_SCHEMA, 'businesses')} where business_id = ${businessId}`.execute(
    trx,
  );
  const row = found.rows[0];
  return row && { timezone: row.timezone, followUps: followUpSettingsSchema.parse(row.follow_ups) };
}
