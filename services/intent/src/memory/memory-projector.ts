import type { JetStreamClient, JetStreamManager, JsMsg } from '@nats-io/jetstream';
import {
  CONVERSATION_EVENT_TYPES,
  type ConversationTurnRecorded,
  conversationEventsOf,
  conversationTurnRecordedSchema,
  type Topology,
  topology,
} from '@reserveit/contracts';
import { applyFreshBatch, jsonRecords } from '@reserveit/db';
import { consumeProjection, type RunningConsumer } from '@reserveit/messaging';
import type { Counter, Logger } from '@reserveit/telemetry';
import { sql } from 'kysely';
import { z } from 'zod';
import { type IntentDb, SCHEMA } from '../database.js';
import { SESSION_MS, trimConversations } from './memory-store.js';

/** Its inbox consumer name, from its row of the wiring table (`intent.memory`). */
const INBOX = topology().consumers.intent.memory.inbox;

export interface MemoryProjectorDeps {
  js: JetStreamClient;
  jsm: JetStreamManager;
  topology: Topology;
  db: IntentDb;
  logger: Logger;
  applied: Counter<'outcome'>;
  now(): number;
}

type Message = Pick<JsMsg, 'seq' | 'json'>;
type TurnsEntry = { eventId: string; streamSeq: number; turns: ConversationTurnRecorded[] };

/**
 * Projects the turns on CONVERSATIONS (those of each decision, and turns of older streams published
 * one by one) into conversation memory, from the session window before its first start on. Each
 * message is applied once (inbox row in the same transaction), so redeliveries and replays are
 * no-ops; the table can be dropped and rebuilt from the stream. What arrived together is applied
 * in one transaction, in stream order. Anything else found there is acknowledged and skipped.
 */
export function startMemoryProjector(deps: MemoryProjectorDeps): Promise<RunningConsumer> {
  return consumeProjection(deps.topology.consumers.intent.memory, {
    js: deps.js,
    jsm: deps.jsm,
    logger: deps.logger,
    // Older turns are outside every session: a projector switched on later needs only these.
    startTime: new Date(deps.now() - SESSION_MS),
    healthy: () =>
      sql`select 1`.execute(deps.db).then(
        () => true,
        () => false,
      ),
    handleBatch: (messages) => applyTurns(deps.db, messages, deps.applied),
    handler: (message) => applyTurns(deps.db, [message], deps.applied),
  });
}

/**
 * Applies the turns among `messages` with their inbox rows in one transaction and trims each
 * conversation they touch to its newest turns. `schema` is another one only for
 * `reserveit-ops replay`, whose `db` redirects the tables there too.
 */
export async function applyTurns(
  db: IntentDb,
  messages: readonly Message[],
  applied?: Counter<'outcome'>,
  schema = SCHEMA,
): Promise<void> {
  const entries: TurnsEntry[] = [];
  for (const message of messages) {
    const outcome = readTurns(message);
    if (typeof outcome === 'string') applied?.inc({ outcome });
    else entries.push(outcome);
  }
  const fresh = await applyFreshBatch(
    db,
    { schema, consumer: INBOX.consumer },
    entries,
    async (trx, fromMessages) => {
      // As one JSON parameter: the statement's text is the same for any number of turns.
      const rows = fromMessages.flatMap(({ turns, streamSeq }) =>
        turns.map((turn, place) => ({
          conversation_id: turn.conversationId,
          stream_seq: streamSeq,
          turn: place,
          event_id: turn.id,
          role: turn.role,
          text: turn.text,
          intent: turn.intent ?? null,
          occurred_at: turn.occurredAt,
        })),
      );
      await sql`
        insert into ${sql.id(schema, 'conversation_turns')}
          (conversation_id, stream_seq, turn, event_id, role, text, intent, occurred_at)
        select conversation_id, stream_seq, turn, event_id, role, text, intent, occurred_at
        from ${jsonRecords(
          rows,
          'conversation_id text, stream_seq bigint, turn int, event_id text, role text, text text, intent text, occurred_at timestamptz',
        )} as t`.execute(trx);
      await trimConversations(trx, [...new Set(rows.map((row) => row.conversation_id))], schema);
    },
  );
  if (fresh > 0) applied?.inc({ outcome: 'applied' }, fresh);
  if (entries.length > fresh) applied?.inc({ outcome: 'duplicate' }, entries.length - fresh);
}

const withId = z.object({ id: z.string().min(1) });

/**
 * The turns of one message (a decision's, or a turn published on its own) under the message's id
 * for the inbox, or why it is skipped (nothing in it to learn from, retrying changes nothing).
 */
function readTurns(message: Message): TurnsEntry | 'skipped' | 'unreadable' {
  let raw: unknown;
  try {
    raw = message.json<unknown>();
  } catch {
    return 'unreadable';
  }
  const found = conversationEventsOf(raw).filter(
    (event) =>
      typeof event === 'object' &&
      event !== null &&
      'type' in event &&
      event.type === CONVERSATION_EVENT_TYPES.turnRecorded,
  );
  if (found.length === 0) return 'skipped';
  const turns = found.map((event) => conversationTurnRecordedSchema.safeParse(event));
  const id = withId.safeParse(raw);
  if (!id.success || turns.some((turn) => !turn.success)) return 'unreadable';
  return {
    eventId: id.data.id,
    streamSeq: message.seq,
    turns: turns.flatMap((turn) => (turn.success ? [turn.data] : [])),
  };
}
