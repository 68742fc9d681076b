import Fastify, { type FastifyPluginAsync, LogController } from 'fastify';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { fastifyTracing } from './fastify-tracing.js';

export interface Readiness {
  ready: boolean;
  /** What was checked, for the on-call engineer reading the probe's body. */
  detail: string;
}

export interface ProbeOptions {
  registry: Registry;
  readiness(): Promise<Readiness>;
}

/** /healthz (the process is up), /readyz (it can serve: 503 otherwise), /metrics (Prometheus). */
export const probeRoutes: FastifyPluginAsync<ProbeOptions> = async (app, { registry, readiness }) => {
  app.get('/healthz', async () => ({ ok: true }));
  app.get('/readyz', async (_request, reply) => {
    const state = await readiness();
    return reply.code(state.ready ? 200 : 503).send(state);
  });
  app.get('/metrics', async (_request, reply) =>
    reply.type(registry.contentType).send(await registry.metrics()),
  );
};

/** The HTTP side of a service whose API is gRPC: only the probes, traced like any Fastify app. */
export function buildProbeServer(options: ProbeOptions & { logger: Logger }) {
  const app = Fastify({
    loggerInstance: options.logger,
    logController: new LogController({ disableRequestLogging: true }),
  });
  app.register(fastifyTracing());
  app.register(probeRoutes, options);
  return app;
}
