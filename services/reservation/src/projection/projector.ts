import { DeliverPolicy, type JetStreamClient, type JetStreamManager, type JsMsg } from '@nats-io/jetstream';
import { parseReservationEvent, type Topology, topology } from '@reserveit/contracts';
import { applyFreshBatch, applyOnce } from '@reserveit/db';
import { consumeProjection, type RunningConsumer } from '@reserveit/messaging';
import type { Logger } from '@reserveit/telemetry';
import { type Kysely, sql } from 'kysely';
import { projectBatch } from './project-batch.js';
import { projectEvent } from './project-event.js';
import { PROJECTION_SCHEMA, type ProjectionDb } from './tables.js';

/** The inbox consumer of the Postgres projection, from its row of the wiring table (`reservation.projector`). */
export const PROJECTOR = topology().consumers.reservation.projector.inbox.consumer;

export interface ProjectorDeps {
  js: JetStreamClient;
  jsm: JetStreamManager;
  db: Kysely<ProjectionDb>;
  topology: Topology;
  logger: Logger;
  onApplied?(seq: number): void;
}

/** Events per transaction of a rebuild, as the live projector's (its row's batchSize). */
const BATCH = topology().consumers.reservation.projector.batchSize;

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
 * The live projector, its row of the wiring table (`reservation.projector`, ordering class
 * `projection`): a durable pull consumer over the whole stream, in stream order, so the events of
 * one aggregate land in the order they were appended; what arrived together is applied in one
 * transaction, and a batch that fails is retried one message at a time.
 */
export function startProjector(deps: ProjectorDeps): Promise<RunningConsumer> {
  return consumeProjection(deps.topology.consumers.reservation.projector, {
    js: deps.js,
    jsm: deps.jsm,
    logger: deps.logger,
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
    handler: async (message) => {
      await applyMessage(deps.db, message);
      deps.onApplied?.(message.seq);
    },
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
