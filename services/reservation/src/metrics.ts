import { Counter, Gauge, Histogram, type Registry } from '@reserveit/telemetry';

export interface ReservationMetrics {
  calls: Counter<'method' | 'outcome'>;
  refused: Counter<'method' | 'code'>;
  callSeconds: Histogram<'method'>;
  conflicts: Counter;
  scheduledChecks: Counter<'outcome'>;
  projectedSeq: Gauge;
  businessEventsSkipped: Counter<'reason'>;
}

export function reservationMetrics(registry: Registry): ReservationMetrics {
  return {
    calls: new Counter({
      name: 'reservation_grpc_calls_total',
      help: 'gRPC calls by method and outcome (ok or the error code)',
      labelNames: ['method', 'outcome'],
      registers: [registry],
    }),
    refused: new Counter({
      name: 'reservation_grpc_calls_refused_total',
      help: 'gRPC calls refused before any work: no, bad or expired caller token (UNAUTHENTICATED), or not allowed by the policy table (PERMISSION_DENIED)',
      labelNames: ['method', 'code'],
      registers: [registry],
    }),
    callSeconds: new Histogram({
      name: 'reservation_grpc_call_duration_seconds',
      help: 'Time to answer a gRPC call',
      labelNames: ['method'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
      registers: [registry],
    }),
    scheduledChecks: new Counter({
      name: 'reservation_scheduled_checks_total',
      help: "The scheduler's due work taken in: checked, disabled (no-show checks off), not_handled, unreadable, refused_<code>",
      labelNames: ['outcome'],
      registers: [registry],
    }),
    conflicts: new Counter({
      name: 'reservation_append_conflicts_total',
      help: 'Appends refused by JetStream because another writer appended first (reloaded and decided again)',
      registers: [registry],
    }),
    projectedSeq: new Gauge({
      name: 'reservation_projection_stream_sequence',
      help: 'Last RESERVATIONS stream sequence applied to the Postgres projection',
      registers: [registry],
    }),
    businessEventsSkipped: new Counter({
      name: 'reservation_business_events_skipped_total',
      help: 'rsv.biz.> messages the in-memory business directory skipped (invalid: unreadable; failed: threw)',
      labelNames: ['reason'],
      registers: [registry],
    }),
  };
}
