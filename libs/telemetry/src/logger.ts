import { trace } from '@opentelemetry/api';
import { type DestinationStream, type Logger, pino } from 'pino';
import { maskLogFields } from './mask.js';

export type { Logger };

/**
 * One JSON line per event, with the active trace and span ids so a log line leads to its trace in
 * Jaeger, and with phone numbers masked and secrets removed whatever object is logged.
 */
export function createLogger(service: string, level = 'info', destination?: DestinationStream): Logger {
  return pino(
    {
      name: service,
      level,
      base: { service },
      // Errors are serialized by the formatter below (before masking); pino's own err serializer
      // would run after it and turn the result back into a bare object.
      serializers: { err: (value: unknown) => value },
      formatters: {
        log: (object) => maskLogFields(object) as Record<string, unknown>,
      },
      mixin() {
        const span = trace.getActiveSpan();
        if (!span) return {};
        const { traceId, spanId } = span.spanContext();
        return { trace_id: traceId, span_id: spanId };
      },
    },
    destination,
  );
}
