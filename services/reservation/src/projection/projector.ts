import { DeliverPolicy, type JetStreamClient, type JetStreamManager, type JsMsg } from '@nats-io/jetstream';
import { parseReservationEvent, type Topology } from '@reserveit/contracts';
import { applyFreshBatch, applyOnce } from '@reserveit/db';
import { consumeBatches, publishDeadLetter, type RunningConsumer } from '@reserveit/messaging';
import type { Logger } from '@reserveit/telemetry';
import { type Kysely, sql } from 'kysely';
import { projectBatch } from './project-batch.js';
import { projectEvent } from './project-event.js';
import { PROJECTION_SCHEMA, type ProjectionDb } from './tables.js';

/** Durable consumer name and inbox consumer of the Postgres projection. */
export const PROJECTOR = 'reservation-projector';

export interface ProjectorDeps {
  js: JetStreamClient;
  jsm: JetStreamManager;
  db: Kysely<ProjectionDb>;
  topology: Topology;
  logger: Logger;
  onApplied?(seq: number): void;
}

/** Events per transaction: catching up after a burst costs one commit per batch, not per event. */
const BATCH = 256;

type Message = Pick<JsMsg, 'seq' | 'json' | 'subject'>;

function readEvent(message: Message) {
  const parsed = parseReservationEvent(message.json());
  if (!parsed.ok) throw new Error(`unreadable event at ${message.subject}#${message.seq}: ${parsed.reason}`);
  return { event: parsed.event, eventId: parsed.event.id, streamSeq: message.seq };
}

/**
 * Applies messages in order in one transaction with their inbox rows (repeats are no-ops).
 * `inboxSchema` is another schema only for `reserveit-ops replay`, whose `db` redirects the tables too.
 */
export async function applyMessages(
  db: Kysely<ProjectionDb>,
  messages: readonly Message[],
  inboxSchema = PROJECTION_SCHEMA,
): Promise<void> {
  await applyFreshBatch(
    db,
    { schema: inboxSchema, consumer: PROJECTOR },
    messages.map(readEvent),
    projectBatch,
  );
}

/** Applies one stream message with its inbox row in the same transaction (a repeat is a no-op). */
export async function applyMessage(db: Kysely<ProjectionDb>, message: Message): Promise<void> {
  const entry = readEvent(message);
  await applyOnce(db, { schema: PROJECTION_SCHEMA, consumer: PROJECTOR, ...entry }, (trx) =>
    projectEvent(trx, entry.event, entry.streamSeq),
  );
}

/**
 * The live projector: a durable pull consumer over the whole stream, in stream order, so the
 * events of one aggregate land in the order they were appended; what arrived together is applied
 * in one transaction, and a batch that fails is retried one message at a time.
 */
export function startProjector(deps: ProjectorDeps): Promise<RunningConsumer> {
  const stream = deps.topology.streams.reservations.name;
  return consumeBatches({
    js: deps.js,
    jsm: deps.jsm,
    consumer: { stream, durable: PROJECTOR, ackWaitMs: 30_000, maxAckPending: BATCH, deliverPolicy: 'all' },
    batchSize: BATCH,
    // Postgres answering means a failing event is the event's fault; otherwise it is an outage.
    healthy: () =>
      sql`select 1`.execute(deps.db).then(
        () => true,
        () => false,
      ),
    handleBatch: async (messages) => {
      await applyMessages(deps.db, messages);
      const last = messages.at(-1);
      if (last) deps.onApplied?.(last.seq);
    },
    maxDeliver: 8,
    backoff: { baseMs: 200, maxMs: 10_000 },
    mode: 'live',
    logger: deps.logger,
    handler: async (message) => {
      await applyMessage(deps.db, message);
      deps.onApplied?.(message.seq);
    },
    deadLetter: (message, error) => publishDeadLetter(deps.js, deps.topology, PROJECTOR, message, error),
  });
}

/**
 * Rebuild: replays the stream from sequence 1 to its last message at the time of the call through
 * the same apply step (an ordered consumer, nothing durable left behind). Run it on an empty
 * schema; events already in the inbox are skipped, so it also repairs a partial projection.
 */
export async function replayProjection(
  deps: Pick<ProjectorDeps, 'js' | 'jsm' | 'db' | 'topology'>,
  onProgress?: (seq: number, lastSeq: number) => void,
): Promise<{ applied: number; lastSeq: number }> {
  const stream = deps.topology.streams.reservations.name;
  const info = await deps.jsm.streams.info(stream);
  const lastSeq = info.state.last_seq;
  if (info.state.messages === 0) return { applied: 0, lastSeq };
  const consumer = await deps.js.consumers.get(stream, { deliver_policy: DeliverPolicy.All });
  const messages = await consumer.consume({ max_messages: 1024 });
  let applied = 0;
  let batch: JsMsg[] = [];
  try {
    for await (const message of messages) {
      batch.push(message);
      const last = message.seq >= lastSeq;
      if (batch.length < BATCH && !last) continue;
      await applyMessages(deps.db, batch);
      applied += batch.length;
      batch = [];
      onProgress?.(message.seq, lastSeq);
      if (last) break;
    }
  } finally {
    await messages.close();
  }
  return { applied, lastSeq };
}
