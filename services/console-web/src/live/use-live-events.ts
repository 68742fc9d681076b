import { type ConversationDetail, EVENTS_PATH, liveEventSchema, pathOf } from '@reserveit/console-api';
import { type QueryClient, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { type CacheEffect, effectsOf } from '../domain/live-effects.js';
import { patchDelivery } from '../domain/messages.js';
import { keys } from '../domain/query-keys.js';

export type LiveStatus = 'connecting' | 'live' | 'reconnecting';

function apply(queryClient: QueryClient, businessId: string, effect: CacheEffect): void {
  if (effect.kind === 'invalidate') {
    void queryClient.invalidateQueries({ queryKey: effect.key });
    return;
  }
  const cached = queryClient.getQueriesData<ConversationDetail>({
    queryKey: effect.conversationKey ?? keys.conversations(businessId),
  });
  let patched = false;
  for (const [key, detail] of cached) {
    if (!detail) continue;
    const next = patchDelivery(detail, effect.messageId, effect.status);
    if (next) {
      queryClient.setQueryData(key, next);
      patched = true;
    }
  }
  // The message is newer than the cached conversation: fetch it again.
  if (!patched && effect.conversationKey)
    void queryClient.invalidateQueries({ queryKey: effect.conversationKey });
}

const eventTypes = ['message', 'conversation', 'delivery', 'reservation', 'settings'] as const;

/**
 * One EventSource per open restaurant. The browser reconnects by itself with Last-Event-ID; a drop
 * shows "reconnecting", and everything is refetched on reconnect since events may have been missed
 * beyond what the server keeps.
 */
export function useLiveEvents(businessId: string): LiveStatus {
  const queryClient = useQueryClient();
  const [status, setStatus] = useState<LiveStatus>('connecting');
  // Bumped to open a new EventSource when the browser gave up on the old one.
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    const source = new EventSource(pathOf(EVENTS_PATH, { businessId }), { withCredentials: true });
    let dropped = attempt > 0;
    let retry: ReturnType<typeof setTimeout> | undefined;
    setStatus(attempt > 0 ? 'reconnecting' : 'connecting');
    source.onopen = () => {
      setStatus('live');
      if (dropped) {
        dropped = false;
        void queryClient.invalidateQueries();
      }
    };
    source.onerror = () => {
      dropped = true;
      setStatus('reconnecting');
      // Closed for good (an error status): check the session, which leads back to login on a 401,
      // and try again later, since the browser will not.
      if (source.readyState === EventSource.CLOSED) {
        void queryClient.invalidateQueries({ queryKey: keys.session });
        retry = setTimeout(() => setAttempt((n) => n + 1), 5_000);
      }
    };
    const onEvent = (message: MessageEvent<string>) => {
      let data: unknown;
      try {
        data = JSON.parse(message.data);
      } catch {
        return;
      }
      const event = liveEventSchema.safeParse(data);
      if (!event.success) return;
      for (const effect of effectsOf(businessId, event.data)) apply(queryClient, businessId, effect);
    };
    // The server may name its events or not; both reach the same handler.
    for (const type of eventTypes) source.addEventListener(type, onEvent);
    return () => {
      clearTimeout(retry);
      source.close();
    };
  }, [businessId, queryClient, attempt]);
  return status;
}
