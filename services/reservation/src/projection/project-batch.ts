import { type ReservationStreamEvent, RESERVATION_EVENT_TYPES as T } from '@reserveit/contracts';
import { sql, type Transaction } from 'kysely';
import { bookingColumns } from './booking-columns.js';
import { answerColumns, projectEvent, statusColumns } from './project-event.js';
import type { ProjectionDb } from './tables.js';

export interface SequencedEvent {
  event: ReservationStreamEvent;
  /** Stream sequence: the `version` a row gets from this event. */
  streamSeq: number;
}

/** The columns a reservation event can set; `undefined` = left as the row has it. */
interface Changes {
  business_id?: string;
  service_date?: string;
  guest_wa_id?: string;
  guest_name?: string;
  party_size?: number;
  starts_at?: string;
  ends_at?: string;
  status?: string;
  notes?: string;
  source?: string;
  idempotency_key?: string;
  /** The one column that can go back to null (a booking created again has not finished). */
  finished_at?: string | null;
  /** Set once, by the guest's answers (or carried by a booking created again on a new date). */
  guest_confirmed_at?: string | null;
  late_minutes?: number | null;
  no_show_flagged_at?: string | null;
  rating?: number | null;
  feedback_comment?: string | null;
  updated_at?: string;
}

/** A reservation row that exists (in the table or since an event of the batch), as the batch leaves it. */
interface Folded {
  /** True when the row was not in the table before this batch: it is inserted with every column. */
  inserted: boolean;
  serviceDate: string | undefined;
  version: number;
  createdAt: string | undefined;
  changes: Changes;
  changed: boolean;
}

const COLUMNS = [
  'business_id',
  'service_date',
  'guest_wa_id',
  'guest_name',
  'party_size',
  'starts_at',
  'ends_at',
  'status',
  'notes',
  'source',
  'idempotency_key',
  'finished_at',
  'guest_confirmed_at',
  'late_minutes',
  'no_show_flagged_at',
  'rating',
  'feedback_comment',
  'updated_at',
] as const satisfies readonly (keyof Changes)[];

const TYPES: Record<(typeof COLUMNS)[number], string> = {
  business_id: 'text',
  service_date: 'text',
  guest_wa_id: 'text',
  guest_name: 'text',
  party_size: 'int',
  starts_at: 'timestamptz',
  ends_at: 'timestamptz',
  status: 'text',
  notes: 'text',
  source: 'text',
  idempotency_key: 'text',
  finished_at: 'timestamptz',
  guest_confirmed_at: 'timestamptz',
  late_minutes: 'int',
  no_show_flagged_at: 'timestamptz',
  rating: 'smallint',
  feedback_comment: 'text',
  updated_at: 'timestamptz',
};

const isReservationEvent = (event: ReservationStreamEvent) =>
  event.type === T.reservationCreated ||
  event.type === T.reservationModified ||
  event.type === T.reservationCancelled ||
  event.type === T.reservationMovedOut ||
  event.type === T.reservationSeated ||
  event.type === T.reservationFinished ||
  event.type === T.reservationNoShow ||
  event.type === T.reservationGuestConfirmed ||
  event.type === T.reservationRunningLate ||
  event.type === T.reservationNoShowFlagged ||
  event.type === T.reservationFeedbackGiven;

/**
 * Applies events in order with the same result as projectEvent applied to each in turn, but a
 * reservation row is written once per batch, not once per event: a replay is mostly reservation
 * events, and one statement each made Postgres round trips most of its time. The rows the batch
 * touches are read (and locked) first, so the version guards (a row only moves forward) and the
 * cancellation's service-date check are decided in memory exactly as the per-event statements
 * decide them. Business and menu events are rare and touch other tables: they go one by one.
 */
export async function projectBatch(
  trx: Transaction<ProjectionDb>,
  events: readonly SequencedEvent[],
): Promise<void> {
  for (const { event, streamSeq } of events) {
    if (!isReservationEvent(event)) await projectEvent(trx, event, streamSeq);
  }
  const ids = [...new Set(events.flatMap(({ event }) => reservationIdOf(event) ?? []))];
  if (ids.length === 0) return;
  const table = sql.table('reservation.reservations');
  // `for update`, in id order: the fold below decides on these guards, so they must not change under it.
  const current = await sql<{ id: string; service_date: string; version: string }>`
    select id, service_date, version::text as version from ${table}
    where id = any(${ids}::text[]) order by id for update`.execute(trx);
  const rows = new Map<string, Folded>();
  for (const row of current.rows) {
    rows.set(row.id, {
      inserted: false,
      serviceDate: row.service_date,
      version: Number(row.version),
      createdAt: undefined,
      changes: {},
      changed: false,
    });
  }
  for (const { event, streamSeq } of events) fold(rows, event, streamSeq);

  const changed = [...rows.entries()].filter(([, row]) => row.changed);
  const inserts = changed.filter(([, row]) => row.inserted);
  const updates = changed.filter(([, row]) => !row.inserted);
  const columnOf = (list: [string, Folded][]) => ({
    ids: list.map(([id]) => id),
    versions: list.map(([, row]) => row.version),
    column: (name: (typeof COLUMNS)[number]) =>
      sql`${list.map(([, row]) => row.changes[name] ?? null)}::${sql.raw(TYPES[name])}[]`,
  });
  if (inserts.length > 0) {
    const c = columnOf(inserts);
    // A concurrent insert of the same id would be the only conflict; the guard then keeps the newer row.
    await sql`
      insert into ${table} (id, ${sql.join(COLUMNS.map((name) => sql.ref(name)))}, created_at, version)
      select * from unnest(${c.ids}::text[], ${sql.join(COLUMNS.map(c.column))},
        ${inserts.map(([, row]) => row.createdAt)}::timestamptz[], ${c.versions}::bigint[])
      on conflict (id) do update set ${sql.join(COLUMNS.map((name) => sql`${sql.ref(name)} = excluded.${sql.ref(name)}`))},
        version = excluded.version
      where ${sql.ref('reservation.reservations.version')} < excluded.version`.execute(trx);
  }
  if (updates.length > 0) {
    const c = columnOf(updates);
    const kept = COLUMNS.filter((name) => name !== 'finished_at');
    const finishedSet = updates.map(([, row]) => row.changes.finished_at !== undefined);
    // A null column is one no event of the batch changed: the row keeps its value. finished_at
    // may be set to null, so whether the batch set it travels beside it.
    await sql`
      update ${table} as r set ${sql.join(kept.map((name) => sql`${sql.ref(name)} = coalesce(u.${sql.ref(name)}, r.${sql.ref(name)})`))},
        finished_at = case when u.finished_set then u.finished_at else r.finished_at end,
        version = u.version
      from unnest(${c.ids}::text[], ${sql.join(COLUMNS.map(c.column))}, ${finishedSet}::boolean[], ${c.versions}::bigint[])
        as u(id, ${sql.join(COLUMNS.map((name) => sql.ref(name)))}, finished_set, version)
      where r.id = u.id and r.version < u.version`.execute(trx);
  }
}

function reservationIdOf(event: ReservationStreamEvent): string | undefined {
  switch (event.type) {
    case T.reservationCreated:
      return event.booking.reservationId;
    case T.reservationModified:
    case T.reservationCancelled:
    case T.reservationSeated:
    case T.reservationFinished:
    case T.reservationNoShow:
    case T.reservationGuestConfirmed:
    case T.reservationRunningLate:
    case T.reservationNoShowFlagged:
    case T.reservationFeedbackGiven:
      return event.reservationId;
    default:
      return undefined;
  }
}

/** projectEvent's reservation statements, on the folded row instead of the table. */
function fold(rows: Map<string, Folded>, event: ReservationStreamEvent, seq: number): void {
  switch (event.type) {
    case T.reservationCreated: {
      const b = event.booking;
      const row = rows.get(b.reservationId);
      const changes: Changes = bookingColumns(b, event.at);
      if (!row) {
        rows.set(b.reservationId, {
          inserted: true,
          serviceDate: b.serviceDate,
          version: seq,
          createdAt: event.at,
          changes,
          changed: true,
        });
      } else if (row.version < seq) {
        Object.assign(row, { serviceDate: b.serviceDate, version: seq, changed: true });
        Object.assign(row.changes, changes);
      }
      return;
    }
    case T.reservationModified: {
      const row = rows.get(event.reservationId);
      if (!row || row.version >= seq) return;
      Object.assign(row.changes, {
        party_size: event.partySize,
        starts_at: event.startsAt,
        ends_at: event.endsAt,
        ...(event.guestName !== undefined ? { guest_name: event.guestName } : {}),
        ...(event.notes !== undefined ? { notes: event.notes } : {}),
        updated_at: event.at,
      });
      Object.assign(row, { version: seq, changed: true });
      return;
    }
    case T.reservationCancelled: {
      const row = rows.get(event.reservationId);
      if (!row || row.serviceDate !== event.serviceDate || row.version >= seq) return;
      Object.assign(row.changes, { status: 'cancelled', updated_at: event.at });
      Object.assign(row, { version: seq, changed: true });
      return;
    }
    case T.reservationSeated:
    case T.reservationFinished:
    case T.reservationNoShow: {
      const row = rows.get(event.reservationId);
      if (!row || row.serviceDate !== event.serviceDate || row.version >= seq) return;
      Object.assign(row.changes, { ...statusColumns(event), updated_at: event.at });
      Object.assign(row, { version: seq, changed: true });
      return;
    }
    case T.reservationGuestConfirmed:
    case T.reservationRunningLate:
    case T.reservationNoShowFlagged:
    case T.reservationFeedbackGiven: {
      const row = rows.get(event.reservationId);
      if (!row || row.serviceDate !== event.serviceDate || row.version >= seq) return;
      Object.assign(row.changes, { ...answerColumns(event), updated_at: event.at });
      Object.assign(row, { version: seq, changed: true });
      return;
    }
    default:
      return;
  }
}
