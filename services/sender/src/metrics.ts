import { Counter, Gauge, Histogram, type Registry } from '@reserveit/telemetry';

export interface SenderMetrics {
  commands: Counter<'result'>;
  sends: Counter<'outcome'>;
  graphErrors: Counter<'code'>;
  sendSeconds: Histogram<'outcome'>;
  statuses: Counter<'status'>;
  rateLimitWaiting: Gauge;
  rateLimitWaitSeconds: Histogram;
  rateLimitErrors: Counter;
}

export interface GaugeSources {
  /** Rows not final yet. */
  outboxActive(): Promise<number>;
  /** Messages on this service's dead-letter subject. */
  deadLetters(): Promise<number>;
}

export function senderMetrics(registry: Registry, sources: GaugeSources): SenderMetrics {
  new Gauge({
    name: 'sender_outbox_pending',
    help: 'Outbox rows not sent or failed yet (pending, or sending awaiting an answer or reconciliation)',
    registers: [registry],
    async collect() {
      this.set(await sources.outboxActive().catch(() => Number.NaN));
    },
  });
  new Gauge({
    name: 'sender_dead_letters',
    help: 'Sends on the dead-letter stream under the sender consumer',
    registers: [registry],
    async collect() {
      this.set(await sources.deadLetters().catch(() => Number.NaN));
    },
  });
  return {
    commands: new Counter({
      name: 'sender_commands_total',
      help: 'Send commands consumed: recorded, duplicate (key known), read (a read receipt, sent without a row) or invalid (dead-lettered)',
      labelNames: ['result'],
      registers: [registry],
    }),
    sends: new Counter({
      name: 'sender_sends_total',
      help: 'Send attempts and decisions by outcome: sent, failed, exhausted, retry, unconfirmed, reconciled, dry_run',
      labelNames: ['outcome'],
      registers: [registry],
    }),
    graphErrors: new Counter({
      name: 'sender_graph_errors_total',
      help: 'Graph API errors by Meta error code (0: HTTP or network failure without one)',
      labelNames: ['code'],
      registers: [registry],
    }),
    sendSeconds: new Histogram({
      name: 'sender_graph_request_seconds',
      help: 'Graph API call latency',
      labelNames: ['outcome'],
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    statuses: new Counter({
      name: 'sender_statuses_total',
      help: 'Status webhooks projected, by status',
      labelNames: ['status'],
      registers: [registry],
    }),
    rateLimitWaiting: new Gauge({
      name: 'sender_rate_limit_waiting',
      help: "Sends of this process waiting for their number's shared rate limit (SENDER_RATE_PER_SECOND across all replicas)",
      registers: [registry],
    }),
    rateLimitWaitSeconds: new Histogram({
      name: 'sender_rate_limit_wait_seconds',
      help: "How long sends that had to wait waited for their number's shared rate limit",
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    }),
    rateLimitErrors: new Counter({
      name: 'sender_rate_limit_errors_total',
      help: 'Statements of the shared rate limit that failed (Postgres away); the send waited for a retry',
      registers: [registry],
    }),
  };
}
