import { FastifyOtelInstrumentation } from '@fastify/otel';
import type { FastifyPluginCallback } from 'fastify';
import { tracingDisabled } from './sdk.js';

type FastifyTracingPlugin = ReturnType<FastifyOtelInstrumentation['plugin']>;

const UNTRACED = new Set(['/healthz', '/readyz', '/metrics']);

/**
 * The Fastify plugin that opens a span per request under the HTTP server span. Registering it
 * explicitly (rather than through module patching) works in tests and under any loader.
 * Probes and scrapes are not traced: they would drown the traces that matter. With tracing off
 * it is a plugin that does nothing: its hooks would otherwise run on every request all the same.
 */
export function fastifyTracing(): FastifyTracingPlugin | FastifyPluginCallback {
  if (tracingDisabled()) return (_app, _options, done) => done();
  return new FastifyOtelInstrumentation({
    ignorePaths: (opts) => UNTRACED.has(opts.url),
    // The plugin records the raw URL, query string included (the hub challenge's verify token).
    requestHook: (span, request) => span.setAttribute('url.path', request.url.split('?')[0] ?? '/'),
  }).plugin();
}
