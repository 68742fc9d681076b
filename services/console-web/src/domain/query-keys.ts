/** TanStack Query keys, one place, so the live events invalidate exactly what the screens read. */
export const keys = {
  session: ['session'] as const,
  day: (businessId: string, date: string) => ['day', businessId, date] as const,
  days: (businessId: string) => ['day', businessId] as const,
  inbox: (businessId: string) => ['conversations', businessId] as const,
  inboxFiltered: (businessId: string, query: string, state: string) =>
    ['conversations', businessId, query, state] as const,
  conversation: (businessId: string, conversationId: string) =>
    ['conversation', businessId, conversationId] as const,
  conversations: (businessId: string) => ['conversation', businessId] as const,
  timeline: (businessId: string, conversationId: string, reservationId: string) =>
    ['timeline', businessId, conversationId, reservationId] as const,
  settings: (businessId: string) => ['settings', businessId] as const,
  staff: (businessId: string) => ['staff', businessId] as const,
  tokens: (businessId: string) => ['tokens', businessId] as const,
};
