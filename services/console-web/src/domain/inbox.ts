import type { ConversationSummary } from '@reserveit/console-api';

/** Pages merged, a conversation that moved between pages shown once, most recent first. */
export function mergeInboxPages(
  pages: readonly { conversations: ConversationSummary[] }[],
): ConversationSummary[] {
  const byId = new Map<string, ConversationSummary>();
  for (const page of pages) {
    for (const c of page.conversations) {
      const seen = byId.get(c.id);
      if (!seen || seen.lastMessageAt < c.lastMessageAt) byId.set(c.id, c);
    }
  }
  return [...byId.values()].sort((a, b) => Date.parse(b.lastMessageAt) - Date.parse(a.lastMessageAt));
}

/** Whether a conversation is taken over by this staff member (the server names the taker). */
export function takenByMe(
  conversation: Pick<ConversationSummary, 'state' | 'takenBy'>,
  staff: { id: string; name: string; email: string },
): boolean {
  if (conversation.state !== 'taken') return false;
  return [staff.id, staff.name, staff.email].includes(conversation.takenBy);
}
