import type { ColumnType, Generated } from 'kysely';

/** The Postgres schema the sender owns. */
export const SENDER_SCHEMA = 'sender';

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null, Date | string | null>;
type BigIntColumn = ColumnType<string, number | string, number | string>;
type Json = ColumnType<unknown, string, string>;

/** One row per dedupe key: the send's state machine (pending → sending → sent | failed, or dry_run). */
export interface OutboxTable {
  key: string;
  /** Sequence of the command on OUTBOUND: a guest's messages go out in this order. */
  stream_seq: BigIntColumn;
  subject: string;
  msg_id: string;
  phone_number_id: string;
  /** The guest's wa_id or business-scoped user id: needed to send, never logged. */
  recipient: string;
  kind: string;
  command: Json;
  traceparent: string | null;
  tracestate: string | null;
  state: string;
  attempts: number;
  next_attempt_at: Timestamp;
  last_attempt_at: NullableTimestamp;
  lease_owner: string | null;
  lease_until: NullableTimestamp;
  last_error_code: number | null;
  last_error: string | null;
  exhausted: boolean;
  wamid: string | null;
  /** Whether the outcome event (and for exhausted sends the dead letter) went out. */
  published: boolean;
  created_at: Timestamp;
  updated_at: Timestamp;
  finished_at: NullableTimestamp;
  /**
   * The guest's queue head: its oldest unfinished reply, or a read receipt (which waits for
   * nothing). Only heads are claimed; a row stays one once it was, unless a failed reply of its
   * guest is reset (OutboxAdminStore.resetFailed), which goes before it.
   */
  head: ColumnType<boolean, boolean | undefined, boolean>;
  /**
   * Unfinished: a later reply of the guest was recorded behind this one. Final: the head is still
   * owed to the guest's next reply (a version before heads finished it, or the hand-over lost a race).
   */
  followed: ColumnType<boolean, boolean | undefined, boolean>;
}

/** Delivery status per Meta message id; may arrive before the send is recorded (joined later). */
export interface StatusesTable {
  wamid: string;
  /** biz_opaque_callback_data: the dedupe key of the command that produced the message. */
  callback_key: string | null;
  status: string;
  rank: number;
  status_at: Timestamp;
  error_code: number | null;
  updated_at: Timestamp;
}

/** A business number's shared send rate (GCRA): see src/outbox/rate-limit-store.ts. */
export interface RateLimitsTable {
  phone_number_id: string;
  /** Theoretical arrival time of its next send, microseconds of the database's clock. */
  tat_us: BigIntColumn;
  /** Tokens the last tryTake statement granted the number (rate-limit-store.ts reads it back). */
  granted: Generated<number>;
}

export interface SenderDb {
  'sender.outbox': OutboxTable;
  'sender.statuses': StatusesTable;
  'sender.rate_limits': RateLimitsTable;
}
