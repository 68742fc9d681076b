import { Counter, Histogram, type Registry } from '@reserveit/telemetry';

export type Outcome = 'accepted' | 'unauthorized' | 'too_large' | 'unavailable' | 'bad_request';

export interface IngressMetrics {
  requests: Counter<'outcome'>;
  events: Counter<'kind'>;
  duplicates: Counter;
  rawDuplicates: Counter;
  quarantined: Counter<'reason'>;
  publishSeconds: Histogram;
  deriveLagSeconds: Histogram;
  flowRequests: Counter<'outcome'>;
}

/** The `outcome` label of ingress_flow_requests_total (flows/flow-routes.ts). */
export type FlowOutcome =
  | 'answered'
  | 'bad_signature'
  | 'not_decrypted'
  | 'not_a_flow_request'
  | 'invalid_token'
  | 'unavailable';

export function ingressMetrics(registry: Registry): IngressMetrics {
  return {
    requests: new Counter({
      name: 'ingress_webhook_requests_total',
      help: 'Webhook POSTs by outcome',
      labelNames: ['outcome'],
      registers: [registry],
    }),
    events: new Counter({
      name: 'ingress_events_published_total',
      help: 'Events the deriver published and JetStream acknowledged, by event type',
      labelNames: ['kind'],
      registers: [registry],
    }),
    duplicates: new Counter({
      name: 'ingress_duplicates_total',
      help: 'Events JetStream reported as duplicates of an earlier delivery (a wamid seen before)',
      registers: [registry],
    }),
    rawDuplicates: new Counter({
      name: 'ingress_raw_duplicates_total',
      help: "Webhook bodies JetStream reported as duplicates of one stored earlier (Meta's retries)",
      registers: [registry],
    }),
    quarantined: new Counter({
      name: 'ingress_quarantined_total',
      help: 'Signed bodies kept in quarantine, by reason',
      labelNames: ['reason'],
      registers: [registry],
    }),
    publishSeconds: new Histogram({
      name: 'ingress_publish_duration_seconds',
      help: "Time from a verified body to JetStream's ack of the raw body",
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
    deriveLagSeconds: new Histogram({
      name: 'ingress_derive_lag_seconds',
      help: "Time from JetStream storing a webhook's raw body to its ack of the body's events (the deriver's hop)",
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10, 60],
      registers: [registry],
    }),
    flowRequests: new Counter({
      name: 'ingress_flow_requests_total',
      help: "Booking Flow data-exchange requests by outcome (not_decrypted is answered 421: Meta's key is stale or the body was tampered with)",
      labelNames: ['outcome'],
      registers: [registry],
    }),
  };
}
