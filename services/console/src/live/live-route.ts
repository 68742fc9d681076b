import { fastifySSE } from '@fastify/sse';
import { EVENTS_PATH, type RouteSpec } from '@reserveit/console-api';
import { z } from 'zod';
import { type AccessDeps, authorize } from '../access.js';
import type { ConsoleApp } from '../app.js';
import { decodeCursor } from './cursor.js';
import type { LiveFeed } from './live-feed.js';

const access: RouteSpec = { method: 'GET', path: EVENTS_PATH, access: 'host' };

/** How soon a dropped browser tries again. */
const RETRY_MS = 1_000;

/**
 * `GET /api/restaurants/:businessId/events`: the restaurant's live events as server-sent events.
 * EventSource sends Last-Event-ID by itself when it reconnects; `?lastEventId=` does the same for
 * clients that cannot set headers.
 */
export async function liveRoute(app: ConsoleApp, feed: LiveFeed, deps: AccessDeps): Promise<void> {
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
      const { scope } = await authorize(access, request, deps);
      if (!scope) return;
      const { lastEventId } = request.query as { lastEventId?: string };
      reply.sse.keepAlive();
      // A named event: EventSource's onmessage skips it, and it commits the headers at once.
      await reply.sse.send({ event: 'ready', retry: RETRY_MS, data: { connections: feed.connections } });
      const unsubscribe = await feed.subscribe(
        scope.businessId,
        decodeCursor(reply.sse.lastEventId ?? lastEventId),
        (id, event) => {
          if (reply.sse.isConnected) void reply.sse.send({ id, data: event }).catch(() => undefined);
        },
      );
      reply.sse.onClose(unsubscribe);
      if (!reply.sse.isConnected) unsubscribe();
    },
  );
}
