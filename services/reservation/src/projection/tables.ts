import type { ColumnType, Generated } from 'kysely';

/** The Postgres schema the projector owns; every row is derived from RESERVATIONS alone. */
export const PROJECTION_SCHEMA = 'reservation';

type Json<T> = ColumnType<T, string, string>;
type Timestamp = ColumnType<Date, string, string>;

export interface BusinessesTable {
  id: string;
  name: string;
  phone_number_id: string;
  display_phone_number: string;
  timezone: string;
  locales: Json<string[]>;
  greetings: Json<Record<string, string>>;
  rules: Json<unknown>;
  hours: Json<unknown>;
  templates: ColumnType<unknown, string | undefined, string>;
  booking_flow_id: ColumnType<string, string | undefined, string>;
  waitlist: ColumnType<unknown, string | undefined, string>;
  follow_ups: ColumnType<unknown, string | undefined, string>;
  registered_at: Timestamp;
  updated_at: Timestamp;
  /** Stream sequence of the last event applied to the row. */
  version: ColumnType<string, number, number>;
}

export interface MenuItemsTable {
  business_id: string;
  item_id: string;
  category: string;
  name: string;
  description: string;
  price_minor: ColumnType<string, number, number>;
  currency: string;
  dietary_tags: Json<string[]>;
  available: boolean;
  position: number;
  /** The stream sequence the item was first set at: sections are listed in the order they were added. */
  added_seq: ColumnType<string, number, never>;
  version: ColumnType<string, number, number>;
}

export interface ReservationsTable {
  id: string;
  business_id: string;
  service_date: string;
  guest_wa_id: string;
  guest_name: string;
  party_size: number;
  starts_at: Timestamp;
  ends_at: Timestamp;
  status: string;
  notes: string;
  source: string;
  idempotency_key: string;
  finished_at: ColumnType<Date | null, string | null | undefined, string | null>;
  guest_confirmed_at: ColumnType<Date | null, string | null | undefined, string | null>;
  late_minutes: ColumnType<number | null, number | null | undefined, number | null>;
  no_show_flagged_at: ColumnType<Date | null, string | null | undefined, string | null>;
  rating: ColumnType<number | null, number | null | undefined, number | null>;
  feedback_comment: ColumnType<string | null, string | null | undefined, string | null>;
  created_at: Timestamp;
  updated_at: Timestamp;
  version: ColumnType<string, number, number>;
}

export interface InboxTable {
  consumer: string;
  event_id: string;
  stream_seq: ColumnType<string, number, number>;
  applied_at: Generated<Date>;
}

export interface ProjectionDb {
  'reservation.businesses': BusinessesTable;
  'reservation.menu_items': MenuItemsTable;
  'reservation.reservations': ReservationsTable;
  'reservation.inbox': InboxTable;
}
