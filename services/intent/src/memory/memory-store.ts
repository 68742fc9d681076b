import { type Kysely, sql } from 'kysely';
import type { IntentDatabase, IntentDb } from '../database.js';

export interface Turn {
  role: 'guest' | 'assistant';
  text: string;
  occurredAt: Date;
}

/** What the model is shown of a conversation: its last 20 turns, within a 30-minute session. */
export const MEMORY_TURNS = 20;
export const SESSION_MS = 30 * 60 * 1000;

export interface MemoryStore {
  /** Oldest first, as a chat transcript reads; only turns of the current session. */
  recent(conversationId: string, now: Date): Promise<Turn[]>;
}

export function postgresMemory(db: IntentDb): MemoryStore {
  return {
    async recent(conversationId, now) {
      const rows = await db
        .selectFrom('intent.conversation_turns')
        .select(['role', 'text', 'occurred_at'])
        .where('conversation_id', '=', conversationId)
        .where('occurred_at', '>', new Date(now.getTime() - SESSION_MS))
        .orderBy('stream_seq', 'desc')
        .orderBy('turn', 'desc')
        .limit(MEMORY_TURNS)
        .execute();
      return rows.reverse().map((row) => ({ role: row.role, text: row.text, occurredAt: row.occurred_at }));
    },
  };
}

/**
 * Keeps the projection bounded: only the newest MEMORY_TURNS rows of a conversation are worth
 * keeping. Each conversation's cut-off is one backward probe of its primary key, and the delete a
 * range below it: ranking every row of the touched conversations instead took a third of the
 * projector's Postgres time.
 */
export async function trimConversations(
  db: Kysely<IntentDatabase>,
  conversationIds: readonly string[],
  schema: string,
): Promise<void> {
  if (conversationIds.length === 0) return;
  const turns = sql.id(schema, 'conversation_turns');
  await sql`
    delete from ${turns} t
    using (
      select c.id, oldest_kept.stream_seq, oldest_kept.turn
      from unnest(${conversationIds}::text[]) as c(id)
      cross join lateral (
        select stream_seq, turn from ${turns}
        where conversation_id = c.id
        order by stream_seq desc, turn desc
        offset ${MEMORY_TURNS - 1} limit 1
      ) oldest_kept
    ) cut
    where t.conversation_id = cut.id and (t.stream_seq, t.turn) < (cut.stream_seq, cut.turn)`.execute(db);
}
