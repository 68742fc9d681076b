export { boundUrl } from './bound-url.js';
export { fastifyTracing } from './fastify-tracing.js';
export { type GracefulStop, stopOnSignals } from './graceful-stop.js';
export { createLogger, type Logger } from './logger.js';
export { maskLogFields, maskPhone } from './mask.js';
export { Counter, createMetrics, Gauge, Histogram, type Registry } from './metrics.js';
export { buildProbeServer, type ProbeOptions, probeRoutes, type Readiness } from './probes.js';
export { lazyRequestLoggers } from './request-logger.js';
export { startTelemetry, type Telemetry } from './sdk.js';
