import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { GrpcInstrumentation } from '@opentelemetry/instrumentation-grpc';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import { NodeSDK } from '@opentelemetry/sdk-node';

const FLUSH_DEADLINE_MS = 2_000;

/**
 * Query parameters whose values must not reach a trace: Meta's hub challenge carries the verify
 * token in the query string, and the instrumentation's default list (signatures) does not know it.
 */
export const SECRET_QUERY_PARAMS = [
  'hub.verify_token',
  'access_token',
  'sig',
  'Signature',
  'AWSAccessKeyId',
  'X-Goog-Signature',
];

/** OTEL_SDK_DISABLED=true, the standard switch, turns tracing off. */
export const tracingDisabled = (): boolean => process.env.OTEL_SDK_DISABLED === 'true';

export interface Telemetry {
  shutdown(): Promise<void>;
}

/**
 * Starts tracing for one service. Call it before the service imports fastify, pg or grpc-js
 * (main.ts starts telemetry, then imports the app dynamically): the instrumentations patch those
 * modules when they are first loaded. The exporter reads the standard OTEL_EXPORTER_OTLP_*
 * variables (default http://localhost:4318, Jaeger's OTLP/HTTP port); OTEL_SDK_DISABLED=true turns
 * it off. Fastify spans come from @fastify/otel, registered as a plugin by each app (see
 * fastifyTracing), because @opentelemetry/instrumentation-fastify is deprecated.
 */
export function startTelemetry(serviceName: string): Telemetry {
  // Instrumentations patch modules as soon as they are constructed, so "disabled" must mean
  // not constructing them, or a service pays for tracing it does not export.
  if (tracingDisabled()) return { shutdown: async () => undefined };
  const sdk = new NodeSDK({
    serviceName,
    traceExporter: new OTLPTraceExporter(),
    instrumentations: [
      new HttpInstrumentation({
        redactedQueryParams: SECRET_QUERY_PARAMS,
        redactedQueryParamsServer: SECRET_QUERY_PARAMS,
      }),
      new PgInstrumentation({ enhancedDatabaseReporting: false }),
      new GrpcInstrumentation(),
      new UndiciInstrumentation(),
    ],
  });
  sdk.start();
  return {
    // The exporter retries a missing collector with backoff for several seconds; a stopping
    // service gives the flush a bounded time instead of holding up a rollout.
    shutdown: () =>
      Promise.race([
        sdk.shutdown(),
        new Promise<void>((resolve) => setTimeout(resolve, FLUSH_DEADLINE_MS).unref()),
      ]),
  };
}
