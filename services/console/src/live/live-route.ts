import { fastifySSE } from '@fastify/sse';
import { EVENTS_PATH, type RouteSpec } from '@reserveit/console-api';
import { z } from 'zod';
import { type AccessDeps, authorize, principalOf } from '../access.js';
import type { ConsoleApp } from '../app.js';
import { HttpError } from '../http-errors.js';
import type { Principal } from '../principal.js';
import { decodeCursor } from './cursor.js';
import { type LiveFeed, MAX_CONNECTIONS_PER_CALLER } from './live-feed.js';

const access: RouteSpec = { method: 'GET', path: EVENTS_PATH, access: 'host' };

/** How soon a dropped browser tries again. */
const RETRY_MS = 1_000;

const callerOf = (principal: Principal) => principal.sessionHash ?? `token:${principal.staffId}`;

/**
 * `GET /api/restaurants/:businessId/events`: the restaurant's live events as server-sent events.
 * EventSource sends Last-Event-ID by itself when it reconnects; `?lastEventId=` does the same for
 * clients that cannot set headers. The caller's access is checked again every `recheckMs`: a
 * stream ends soon after its session does (logout, expiry, removal from the restaurant).
 */
export async function liveRoute(
  app: ConsoleApp,
  feed: LiveFeed,
  deps: AccessDeps,
  recheckMs: number,
): Promise<void> {
  await app.register(fastifySSE, { heartbeatInterval: 15_000 });
  app.get(
    EVENTS_PATH,
    {
      sse: { kind: 'only' },
      schema: {
        params: z.object({ businessId: z.string().max(64) }),
        querystring: z.object({ lastEventId: z.string().max(100).optional() }),
      },
    },
    async (request, reply) => {
      const { scope, principal } = await authorize(access, request, deps);
      if (!scope || !principal) return;
      const caller = callerOf(principal);
      if (feed.connectionsOf(caller) >= MAX_CONNECTIONS_PER_CALLER) {
        throw new HttpError(429, 'TOO_MANY_CONNECTIONS', 'Too many open live views: close a few tabs.');
      }
      const { lastEventId } = request.query as { lastEventId?: string };
      const from = decodeCursor(reply.sse.lastEventId ?? lastEventId);
      const subscription = feed.subscribe(scope.businessId, caller, from, (id, event) => {
        if (reply.sse.isConnected) void reply.sse.send({ id, data: event }).catch(() => undefined);
      });
      const recheck = setInterval(() => {
        void principalOf(request, deps)
          .then((now) => {
            if (!now?.roles.has(scope.businessId)) reply.sse.close();
          })
          .catch(() => undefined);
      }, recheckMs);
      reply.sse.onClose(() => {
        clearInterval(recheck);
        subscription.close();
      });
      reply.sse.keepAlive();
      // A named event (EventSource's onmessage skips it) that commits the headers at once, with the
      // position the browser resumes from if it drops before any event.
      await reply.sse.send({ event: 'ready', id: subscription.cursor, retry: RETRY_MS, data: {} });
      await subscription.start();
      if (!reply.sse.isConnected) subscription.close();
    },
  );
}
