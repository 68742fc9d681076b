import { Counter, Histogram, type Registry } from '@reserveit/telemetry';

export function conversationMetrics(registry: Registry) {
  return {
    grpcRefused: new Counter({
      name: 'conversation_grpc_calls_refused_total',
      help: 'gRPC calls refused before any work: no, bad or expired caller token (UNAUTHENTICATED), or not allowed by the policy table (PERMISSION_DENIED)',
      labelNames: ['method', 'code'] as const,
      registers: [registry],
    }),
    messages: new Counter({
      name: 'conversation_messages_total',
      help: 'Inbound messages handled, by outcome (answered, silent, duplicate, unknown_business)',
      labelNames: ['outcome'] as const,
      registers: [registry],
    }),
    unknownBusiness: new Counter({
      name: 'conversation_unknown_business_total',
      help: 'Inbound messages to a phone_number_id no business is registered with',
      registers: [registry],
    }),
    intentFallbacks: new Counter({
      name: 'conversation_intent_fallbacks_total',
      help: 'Messages understood by the built-in fallback because intent.v1 failed, by gRPC code',
      labelNames: ['code'] as const,
      registers: [registry],
    }),
    scheduledWork: new Counter({
      name: 'conversation_scheduled_work_total',
      help: "The scheduler's due work taken in, by outcome (decided, duplicate, not_handled, unreadable, unknown_business)",
      labelNames: ['outcome'] as const,
      registers: [registry],
    }),
    deadLetters: new Counter({
      name: 'conversation_dead_letters_total',
      help: 'Inbound messages given up on after every attempt',
      registers: [registry],
    }),
    conflicts: new Counter({
      name: 'conversation_version_conflicts_total',
      help: 'Decisions thrown away because the conversation changed meanwhile (retried)',
      registers: [registry],
    }),
    handleSeconds: new Histogram({
      name: 'conversation_handle_seconds',
      help: 'Time to handle one inbound message, from pull to ack',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
  };
}

export type ConversationMetrics = ReturnType<typeof conversationMetrics>;
