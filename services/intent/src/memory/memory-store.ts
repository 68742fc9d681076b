import { type Kysely, sql } from 'kysely';
import type { IntentDatabase, IntentDb } from '../database.js';

export interface Turn {
  role: 'guest' | 'assistant';
  text: string;
  occurredAt: Date;
}

/** DESIGN §6: the last 20 turns, within a 30-minute session. */
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
        .limit(MEMORY_TURNS)
        .execute();
      return rows.reverse().map((row) => ({ role: row.role, text: row.text, occurredAt: row.occurred_at }));
    },
  };
}

/** Keeps the projection bounded: only the newest MEMORY_TURNS rows of a conversation are worth keeping. */
export async function trimConversation(db: Kysely<IntentDatabase>, conversationId: string): Promise<void> {
  await sql`
    delete from intent.conversation_turns
    where conversation_id = ${conversationId}
      and stream_seq < (
        select min(stream_seq) from (
          select stream_seq from intent.conversation_turns
          where conversation_id = ${conversationId}
          order by stream_seq desc limit ${MEMORY_TURNS}
        ) newest
      )`.execute(db);
}
