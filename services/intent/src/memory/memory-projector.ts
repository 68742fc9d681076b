import type { JetStreamClient, JetStreamManager, JsMsg } from '@nats-io/jetstream';
import {
  CONVERSATION_EVENT_TYPES,
  conversationTurnRecordedSchema,
  type Topology,
} from '@reserveit/contracts';
import { applyOnce } from '@reserveit/db';
import { consume, publishDeadLetter, type RunningConsumer } from '@reserveit/messaging';
import type { Counter, Logger } from '@reserveit/telemetry';
import { type IntentDb, SCHEMA } from '../database.js';
import { trimConversation } from './memory-store.js';

export const MEMORY_CONSUMER = 'intent-memory';

export interface MemoryProjectorDeps {
  js: JetStreamClient;
  jsm: JetStreamManager;
  topology: Topology;
  db: IntentDb;
  logger: Logger;
  applied: Counter<'outcome'>;
}

/**
 * Projects CONVERSATIONS into conversation memory. Each event is applied once (inbox row in the
 * same transaction), so redeliveries and replays are no-ops; the table can be dropped and rebuilt
 * from the stream. Event types this service does not use are acknowledged and skipped.
 */
export function startMemoryProjector(deps: MemoryProjectorDeps): Promise<RunningConsumer> {
  const { topology, logger } = deps;
  return consume({
    js: deps.js,
    jsm: deps.jsm,
    consumer: {
      stream: topology.streams.conversations.name,
      durable: MEMORY_CONSUMER,
      filterSubject: topology.subjects.conversationEventAll,
      ackWaitMs: 30_000,
      maxAckPending: 1,
    },
    maxDeliver: 5,
    backoff: { baseMs: 200, maxMs: 10_000 },
    mode: 'live',
    logger,
    handler: (message) => applyTurn(deps, message),
    deadLetter: (message, error) => publishDeadLetter(deps.js, topology, MEMORY_CONSUMER, message, error),
  });
}

export async function applyTurn(
  deps: Pick<MemoryProjectorDeps, 'db' | 'applied'>,
  message: JsMsg,
): Promise<void> {
  let raw: unknown;
  try {
    raw = message.json<unknown>();
  } catch {
    // Not JSON: nothing to learn from it, and retrying will not change it.
    deps.applied.inc({ outcome: 'unreadable' });
    return;
  }
  const type = typeof raw === 'object' && raw !== null && 'type' in raw ? raw.type : undefined;
  if (type !== CONVERSATION_EVENT_TYPES.turnRecorded) {
    deps.applied.inc({ outcome: 'skipped' });
    return;
  }
  const event = conversationTurnRecordedSchema.safeParse(raw);
  if (!event.success) {
    deps.applied.inc({ outcome: 'unreadable' });
    return;
  }
  const turn = event.data;
  const fresh = await applyOnce(
    deps.db,
    { schema: SCHEMA, consumer: MEMORY_CONSUMER, eventId: turn.id, streamSeq: message.seq },
    async (trx) => {
      await trx
        .insertInto('intent.conversation_turns')
        .values({
          conversation_id: turn.conversationId,
          stream_seq: message.seq,
          event_id: turn.id,
          role: turn.role,
          text: turn.text,
          intent: turn.intent ?? null,
          occurred_at: new Date(turn.occurredAt),
        })
        .execute();
      await trimConversation(trx, turn.conversationId);
    },
  );
  deps.applied.inc({ outcome: fresh ? 'applied' : 'duplicate' });
}
