import { Counter, Histogram, type Registry } from '@reserveit/telemetry';

export type SchedulerMetrics = ReturnType<typeof schedulerMetrics>;

export function schedulerMetrics(registry: Registry) {
  return {
    planned: new Counter({
      name: 'scheduler_intake_events_total',
      help: 'RESERVATIONS events taken in: applied (jobs planned), duplicate, unreadable, unknown_booking',
      labelNames: ['outcome'],
      registers: [registry],
    }),
    handedOver: new Counter({
      name: 'scheduler_work_due_total',
      help: 'Due work published on SCHEDULE, by kind; duplicate: JetStream had it already (a job run again)',
      labelNames: ['kind', 'outcome'],
      registers: [registry],
    }),
    lateness: new Histogram({
      name: 'scheduler_work_lateness_seconds',
      help: 'From the instant work was due to its publish being acknowledged',
      labelNames: ['kind'],
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
      registers: [registry],
    }),
  };
}
