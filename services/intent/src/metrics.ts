import { Counter, Gauge, Histogram, type Registry } from '@reserveit/telemetry';

export interface IntentMetrics {
  inferences: Counter<'provider' | 'intent'>;
  inferenceSeconds: Histogram<'provider'>;
  fallbacks: Counter<'reason'>;
  llmErrors: Counter<'reason'>;
  llmEntityDisagreements: Counter<'field'>;
  breakerOpen: Gauge;
  recordsWritten: Counter;
  recordsDropped: Counter<'reason'>;
  memoryEvents: Counter<'outcome'>;
  memoryUnavailable: Counter;
  grpcRefused: Counter<'method' | 'code'>;
}

export function intentMetrics(registry: Registry): IntentMetrics {
  return {
    grpcRefused: new Counter({
      name: 'intent_grpc_calls_refused_total',
      help: 'gRPC calls refused before any work: no, bad or expired caller token (UNAUTHENTICATED), or not allowed by the policy table (PERMISSION_DENIED)',
      labelNames: ['method', 'code'],
      registers: [registry],
    }),
    inferences: new Counter({
      name: 'intent_inferences_total',
      help: 'Interpretations by the provider that answered and the intent',
      labelNames: ['provider', 'intent'],
      registers: [registry],
    }),
    inferenceSeconds: new Histogram({
      name: 'intent_inference_duration_seconds',
      help: 'Time to interpret one message, by the provider that answered',
      labelNames: ['provider'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
    fallbacks: new Counter({
      name: 'intent_llm_fallbacks_total',
      help: 'Calls the rules answered in place of the configured LLM, by reason',
      labelNames: ['reason'],
      registers: [registry],
    }),
    llmErrors: new Counter({
      name: 'intent_llm_errors_total',
      help: 'Failed LLM calls, by reason',
      labelNames: ['reason'],
      registers: [registry],
    }),
    llmEntityDisagreements: new Counter({
      name: 'intent_llm_entity_disagreements_total',
      help: "LLM answers whose date, time or party size differed from the one the rules read in the text (the rules' value was kept), by field",
      labelNames: ['field'],
      registers: [registry],
    }),
    breakerOpen: new Gauge({
      name: 'intent_llm_breaker_open',
      help: '1 while the LLM circuit breaker is open or half-open',
      registers: [registry],
    }),
    recordsWritten: new Counter({
      name: 'intent_inference_records_written_total',
      help: 'Inference records written to Postgres',
      registers: [registry],
    }),
    recordsDropped: new Counter({
      name: 'intent_inference_records_dropped_total',
      help: 'Inference records lost, by reason (buffer_full, write_failed)',
      labelNames: ['reason'],
      registers: [registry],
    }),
    memoryEvents: new Counter({
      name: 'intent_memory_events_total',
      help: 'CONVERSATIONS events seen by the memory projector, by outcome',
      labelNames: ['outcome'],
      registers: [registry],
    }),
    memoryUnavailable: new Counter({
      name: 'intent_memory_unavailable_total',
      help: 'LLM calls made without conversation memory because reading it failed',
      registers: [registry],
    }),
  };
}
