import type { JetStreamClient } from '@nats-io/jetstream';
import {
  SCHEDULED_WORK_TYPES,
  scheduledWorkSchema,
  type Topology,
  type WorkDue,
  workDueId,
} from '@reserveit/contracts';
import { publish } from '@reserveit/messaging';
import type { Task } from 'graphile-worker';
import { z } from 'zod';
import type { SchedulerMetrics } from './metrics.js';

/** A job's payload as job-queue.ts puts it (a PlannedJob); checked, as the queue is a table anyone could write. */
const payloadSchema = z.object({
  key: z.string().min(1),
  dueAt: z.iso.datetime(),
  work: scheduledWorkSchema,
});

export interface DueWorkDeps {
  js: JetStreamClient;
  topology: Topology;
  metrics: SchedulerMetrics;
  publishTimeoutMs: number;
  now(): Date;
}

/**
 * The task every job runs: publish its work on `sched.due.<business>` with Msg-Id
 * `<key>@<dueAt>`. graphile-worker hands a job to one worker at a time (it locks the row), and
 * runs it again only when the publish failed or the process died before the job was marked done:
 * that second publish carries the same Msg-Id, which JetStream drops inside its duplicate window
 * and the receiver's inbox after it. A job left unreadable fails for good (it would fail again).
 */
export function dueWorkTask(deps: DueWorkDeps): Task {
  return async (payload, helpers) => {
    const parsed = payloadSchema.safeParse(payload);
    if (!parsed.success) {
      helpers.logger.error(`job ${helpers.job.id} has an unreadable payload; dropped`);
      deps.metrics.handedOver.inc({ kind: 'unreadable', outcome: 'dropped' });
      return;
    }
    const { key, dueAt, work } = parsed.data;
    const at = deps.now();
    const event: WorkDue = {
      v: 1,
      type: SCHEDULED_WORK_TYPES.due,
      id: workDueId(key, dueAt),
      key,
      dueAt,
      at: at.toISOString(),
      work,
    };
    const ack = await publish(deps.js, {
      subject: deps.topology.subjects.workDue(work.businessId),
      msgId: event.id,
      data: JSON.stringify(event),
      timeoutMs: deps.publishTimeoutMs,
      attributes: { 'reserveit.business': work.businessId, 'reserveit.work.kind': work.kind },
    });
    deps.metrics.handedOver.inc({ kind: work.kind, outcome: ack.duplicate ? 'duplicate' : 'published' });
    deps.metrics.lateness.observe(
      { kind: work.kind },
      Math.max(0, deps.now().getTime() - Date.parse(dueAt)) / 1000,
    );
  };
}
