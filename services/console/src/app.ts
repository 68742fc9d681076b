import { existsSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import cookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import { type RouteName, type RouteSpec, routes } from '@reserveit/console-api';
import {
  fastifyTracing,
  type Logger,
  probeRoutes,
  type Readiness,
  type Registry,
} from '@reserveit/telemetry';
import Fastify, { type FastifyInstance, LogController, type RawServerDefault } from 'fastify';
import {
  hasZodFastifySchemaValidationErrors,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { authorize } from './access.js';
import { type HandlerDeps, handlers } from './handlers.js';
import { HttpError } from './http-errors.js';
import type { LiveFeed } from './live/live-feed.js';
import { liveRoute } from './live/live-route.js';

export interface AppOptions {
  deps: HandlerDeps;
  feed: LiveFeed;
  logger: Logger;
  registry: Registry;
  readiness(): Promise<Readiness>;
  trustedProxies: string[];
  /** How often an open live stream checks that its caller may still follow the restaurant. */
  liveRecheckMs: number;
  /** The built web app; absent in API-only tests. */
  webDir?: string;
}

/** JSON bodies of the API are small: a settings change with a full menu is the largest. */
const BODY_LIMIT_BYTES = 256 * 1024;

/**
 * The console's HTTP server: every route of the API table (libs/console-api) behind authorize(),
 * the live event stream, the probes, and the web app's files with index.html for its client-side
 * routes.
 */
export type ConsoleApp = FastifyInstance<
  RawServerDefault,
  IncomingMessage,
  ServerResponse,
  Logger,
  ZodTypeProvider
>;

export async function buildApp(options: AppOptions): Promise<ConsoleApp> {
  const app = Fastify({
    loggerInstance: options.logger,
    bodyLimit: BODY_LIMIT_BYTES,
    logController: new LogController({ disableRequestLogging: true }),
    // Behind the ingress controller the client address is in X-Forwarded-For (login throttling);
    // trusted only from the proxies named, or anyone could pick the address they are counted under.
    trustProxy: options.trustedProxies.length > 0 ? options.trustedProxies : false,
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  await app.register(fastifyTracing());
  await app.register(cookie);
  app.setErrorHandler((error, request, reply) => {
    if (error instanceof HttpError) {
      if (error.statusCode >= 500)
        request.log.warn({ err: error.cause ?? error, route: request.routeOptions.url }, error.message);
      return reply
        .code(error.statusCode)
        .send({ error: error.code, message: error.message, field: error.field });
    }
    if (hasZodFastifySchemaValidationErrors(error)) {
      const first = error.validation[0];
      const field = first?.instancePath.replace(/^\//, '').replaceAll('/', '.') ?? '';
      return reply.code(400).send({
        error: 'INVALID_REQUEST',
        message: `${field || error.validationContext || 'request'}: ${first?.message ?? 'invalid'}`,
        field: field || undefined,
      });
    }
    const statusCode = (error as { statusCode?: number }).statusCode ?? 500;
    if (statusCode >= 500) request.log.error({ err: error }, 'console request failed');
    return reply.code(statusCode).send({
      error: statusCode === 413 ? 'TOO_LARGE' : statusCode >= 500 ? 'INTERNAL' : 'BAD_REQUEST',
      message: statusCode >= 500 ? 'Something went wrong on our side; try again.' : (error as Error).message,
    });
  });

  const table = handlers(options.deps);
  for (const name of Object.keys(routes) as RouteName[]) {
    const route: RouteSpec = routes[name];
    const handler = table[name] as (input: unknown, context: object) => Promise<unknown>;
    const success = route.status ?? (route.response ? 200 : 204);
    app.route({
      method: route.method,
      url: route.path,
      // Only the parts a route has: Fastify warns about a key present without a schema.
      schema: {
        ...(route.params ? { params: route.params } : {}),
        ...(route.query ? { querystring: route.query } : {}),
        ...(route.body ? { body: route.body } : {}),
        ...(route.response ? { response: { [success]: route.response } } : {}),
      },
      handler: async (request, reply) => {
        const granted = await authorize(route, request, options.deps);
        const result = await handler(
          { params: request.params, query: request.query, body: request.body },
          { request, reply, ...granted },
        );
        reply.code(success);
        return success === 204 ? reply.send() : result;
      },
    });
  }
  await liveRoute(app, options.feed, options.deps, options.liveRecheckMs);
  await app.register(probeRoutes, { registry: options.registry, readiness: options.readiness });

  app.setNotFoundHandler((request, reply) => {
    if (request.url.startsWith('/api/') || !options.webDir || request.method !== 'GET') {
      return reply.code(404).send({ error: 'NOT_FOUND', message: 'Not found' });
    }
    return reply.type('text/html').sendFile('index.html');
  });
  if (options.webDir && existsSync(options.webDir)) {
    // Files are looked up per request, so a rebuilt app is served without a restart.
    await app.register(fastifyStatic, { root: options.webDir, index: 'index.html' });
  }
  app.addHook('onSend', async (_request, reply) => {
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'same-origin');
    reply.header('x-frame-options', 'DENY');
    reply.header(
      'content-security-policy',
      "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; connect-src 'self'; frame-ancestors 'none'",
    );
  });
  return app;
}
