import type { KeyObject } from 'node:crypto';
import type { Topology } from '@reserveit/contracts';
import {
  fastifyTracing,
  type Logger,
  lazyRequestLoggers,
  probeRoutes,
  type Registry,
} from '@reserveit/telemetry';
import Fastify, { type FastifyBaseLogger, LogController } from 'fastify';
import { ERROR_STATUS, errorBody } from './errors.js';
import type { FlowAvailability } from './flows/booking-screens.js';
import { flowRoutes } from './flows/flow-routes.js';
import type { IngressMetrics } from './metrics.js';
import type { WebhookSink } from './nats-sink.js';
import { webhookRoutes } from './webhook-routes.js';

export interface AppDeps {
  sink: WebhookSink;
  topology: Topology;
  appSecrets: readonly string[];
  verifyToken: string;
  bodyLimitBytes: number;
  /** INGRESS_PUBLISH_TIMEOUT_MS: a webhook is answered within it, 503 when JetStream has not acked by then. */
  publishTimeoutMs: number;
  logger: Logger;
  registry: Registry;
  metrics: IngressMetrics;
  /** The booking Flow's endpoint key (WHATSAPP_FLOW_PRIVATE_KEY_FILE). */
  flowPrivateKey: KeyObject;
  flowAvailability: FlowAvailability;
}

export function buildApp(deps: AppDeps) {
  // Typed as Fastify's logger interface: the request loggers are not pino instances themselves.
  const logger: FastifyBaseLogger = deps.logger;
  const app = Fastify({
    loggerInstance: logger,
    childLoggerFactory: lazyRequestLoggers,
    // Request logs would print the hub challenge's verify token from the query string.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: deps.bodyLimitBytes,
    // Behind a load balancer Meta's retries can pile up; answer slow uploads before Meta gives up.
    requestTimeout: 10_000,
  });
  app.register(fastifyTracing());
  app.setErrorHandler((error: { code?: string; statusCode?: number; message: string }, request, reply) => {
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      deps.metrics.requests.inc({ outcome: 'too_large' });
      return reply
        .code(ERROR_STATUS.BODY_TOO_LARGE)
        .send(errorBody('BODY_TOO_LARGE', `The body is larger than ${deps.bodyLimitBytes} bytes.`));
    }
    if (error.statusCode && error.statusCode < 500) {
      deps.metrics.requests.inc({ outcome: 'bad_request' });
      return reply.code(ERROR_STATUS.BAD_REQUEST).send(errorBody('BAD_REQUEST', error.message));
    }
    request.log.error({ err: error }, 'unexpected error');
    return reply.code(ERROR_STATUS.INTERNAL).send(errorBody('INTERNAL', 'Internal error.'));
  });
  app.setNotFoundHandler((_request, reply) => reply.code(404).send(errorBody('NOT_FOUND', 'No such route.')));
  app.register(webhookRoutes, deps);
  app.register(flowRoutes, {
    appSecrets: deps.appSecrets,
    privateKey: deps.flowPrivateKey,
    availability: deps.flowAvailability,
    bodyLimitBytes: deps.bodyLimitBytes,
    count: (outcome) => deps.metrics.flowRequests.inc({ outcome }),
  });
  app.register(probeRoutes, { registry: deps.registry, readiness: () => deps.sink.readiness() });
  return app;
}
