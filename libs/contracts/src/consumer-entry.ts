/**
 * The shape of one row of the wiring table (consumers.ts): everything that says how one JetStream
 * consumer runs, in plain data. libs/messaging runs a row with the helper of its ordering class;
 * `reserveit-ops` (streams, dlq, replay) reads names from the same rows.
 */

/** The services that create consumers. */
export type ConsumerOwner = 'ingress' | 'conversation' | 'sender' | 'intent' | 'reservation' | 'scheduler';

/**
 * How the messages of one consumer may be handled relative to each other:
 * - `per-conversation`: one durable per partition of the conversations (or guests), each with
 *   max_ack_pending 1, so a conversation's messages are handled one at a time in stream order
 *   whichever replica pulls them, while the partitions go on side by side (libs/contracts/src/partition.ts).
 * - `projection`: one durable over the stream (or a filter of it), handed over in batches in
 *   stream order and applied one batch per transaction; a failure is retried in place, never
 *   overtaken by a later message.
 * - `free`: order does not matter (monotonic or idempotent work); several messages are handled at
 *   once, and a retried one may come after later ones.
 */
export type OrderingClass = 'per-conversation' | 'projection' | 'free';

/** Retry delays: from baseMs, doubling each attempt, capped at maxMs (half of each step random). */
export interface BackoffPolicy {
  /** Milliseconds before the second attempt. */
  baseMs: number;
  /** Milliseconds no wait exceeds. */
  maxMs: number;
}

/**
 * A Postgres inbox (libs/db/src/inbox.ts): the row "event E was applied by consumer C" is written in
 * the same transaction as the effect, so a redelivery, a replay or a redrive applies nothing twice.
 */
export interface InboxSpec {
  /** The schema holding the `inbox` table. */
  schema: string;
  /** The `consumer` column of its rows; the highest stream_seq under it is the checkpoint. */
  consumer: string;
}

/** Where a consumer puts a message that failed every attempt (`reserveit-ops dlq` reads it). */
export interface DeadLetterTarget {
  /** The Dlq-Consumer header and what `ops dlq --consumer` takes. */
  consumer: string;
  /** `dlq.<consumer>` on the DEADLETTERS stream, with the deployment prefix. */
  subject: string;
  /**
   * How `reserveit-ops dlq redrive` sends one back. `republish`: on its subject again with a new
   * Msg-Id, which the consumer's inbox (or idempotent handler) applies once. `replay`: never
   * republished, because the stream is a history that aggregates are loaded from and the event
   * would be in it twice (a second `booked` takes the seats again); once the cause is fixed, the
   * projection is rebuilt from the stream instead (`reserveit-ops replay <projection>`). `none`:
   * from a history too, and late is as good as never (`reason` says why), so it is only purged.
   */
  redrive: { kind: 'republish' } | { kind: 'replay'; projection: string } | { kind: 'none'; reason: string };
}

interface ConsumerEntryBase {
  /** `<owner>.<key>` in the table, e.g. `conversation.inbound`: how logs and `ops streams` name it. */
  id: string;
  owner: ConsumerOwner;
  ordering: OrderingClass;
  /** What it does, in a line. */
  purpose: string;
  /** The stream it reads, with the deployment prefix. */
  stream: string;
  /**
   * AckWait in milliseconds: how long the server waits for an acknowledgement before it hands the
   * message out again (to another replica, when the one holding it died). Handlers mark progress
   * every third of it (libs/messaging/src/consume.ts), so a slow handler keeps its message.
   */
  ackWaitMs: number;
  /**
   * Attempts at one message before it is dead-lettered. Counted by the handler, not the server:
   * the server's max_deliver stays unlimited, as on reaching it the server moves on silently.
   */
  maxDeliver: number;
  /** Delays between attempts. */
  backoff: BackoffPolicy;
  deadLetter: DeadLetterTarget;
  /** The Postgres inbox its handler writes, or null when repeating a message is harmless without one. */
  inbox: InboxSpec | null;
}

/** Ordering class `per-conversation`: one durable per partition. */
export interface PartitionedConsumer extends ConsumerEntryBase {
  ordering: 'per-conversation';
  /** Durable name of a partition: `{partition}` stands for its number. */
  durablePattern: string;
  /** Filter subject of a partition (with the prefix): `{partition}` stands for its number. */
  filterSubjectPattern: string;
  /** Partitions 0 … partitions - 1, one durable each: PARTITIONS. */
  partitions: number;
  /**
   * The Topology subject its messages are published on, keyed by (phone_number_id, guest) with the
   * partition partitionOf gives them: what the partition filters must cover.
   */
  keyedSubject: 'inboundMessage' | 'outboundCommand';
  /** Messages one durable hands out before the first is acknowledged: 1 keeps a partition in order. */
  maxAckPending: 1;
  /**
   * A single durable earlier versions ran instead of the partitions. Its owner deletes it at start,
   * or narrows it to `filterSubject` while it still has messages no partition filter matches.
   */
  retired?: { durable: string; filterSubject: string };
}

/** Ordering class `projection`: one durable, batches in stream order. */
export interface ProjectionConsumer extends ConsumerEntryBase {
  ordering: 'projection';
  durable: string;
  /** The subjects it reads (with the prefix), or null for the whole stream. */
  filterSubject: string | null;
  /** Most messages one batch (one transaction) holds; also the durable's max_ack_pending. */
  batchSize: number;
  /**
   * Processes that may run it at once. `one`: two would split the stream between them and could
   * apply one row's events out of order (a change before its creation). `any`: its rows are keyed
   * by stream sequence, so the order they are written in does not matter.
   */
  writers: 'one' | 'any';
}

/** Ordering class `free`: one durable, several messages at once. */
export interface FreeConsumer extends ConsumerEntryBase {
  ordering: 'free';
  durable: string;
  /** The subjects it reads, with the prefix. */
  filterSubject: string;
  /** Messages the server hands one durable before the first is acknowledged, across replicas. */
  maxAckPending: number;
  /** Handlers running at once in one process; at most maxAckPending. */
  concurrency: number;
}

export type ConsumerEntry = PartitionedConsumer | ProjectionConsumer | FreeConsumer;

const PARTITION = '{partition}';

/** The durable name and filter subject of one partition of a per-conversation consumer. */
export function partitionConsumer(
  entry: PartitionedConsumer,
  partition: number,
): { durable: string; filterSubject: string } {
  if (!Number.isInteger(partition) || partition < 0 || partition >= entry.partitions) {
    throw new RangeError(`${entry.id} has partitions 0 to ${entry.partitions - 1}, not ${partition}`);
  }
  return {
    durable: entry.durablePattern.replace(PARTITION, String(partition)),
    filterSubject: entry.filterSubjectPattern.replace(PARTITION, String(partition)),
  };
}

/** Every durable a row stands for: each partition's, and a retired one's. */
export function durablesOf(entry: ConsumerEntry): string[] {
  if (entry.ordering !== 'per-conversation') return [entry.durable];
  const durables = Array.from({ length: entry.partitions }, (_, p) => partitionConsumer(entry, p).durable);
  return entry.retired ? [...durables, entry.retired.durable] : durables;
}

/** What the environment may change in a row; the rest (names, subjects, ordering) is fixed. */
export type Tuning<E extends ConsumerEntry> = Partial<
  Pick<E, 'ackWaitMs' | 'maxDeliver' | 'backoff'> &
    (E extends FreeConsumer ? Pick<FreeConsumer, 'maxAckPending' | 'concurrency'> : unknown)
>;

/**
 * A row with some values of the environment instead of the table's (which libs/config uses as the
 * defaults of those variables). Undefined values keep the table's.
 */
export function tuned<E extends ConsumerEntry>(entry: E, tuning: Tuning<E>): E {
  const given = Object.fromEntries(Object.entries(tuning).filter(([, value]) => value !== undefined));
  return { ...entry, ...given };
}
