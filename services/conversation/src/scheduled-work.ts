import type { JetStreamManager } from '@nats-io/jetstream';
import { type FreeConsumer, parseWorkDue } from '@reserveit/contracts';
import { consumeFree, type RunningConsumer } from '@reserveit/messaging';
import { feedbackTarget } from './feedback-requests.js';
import type { ConversationMetrics } from './metrics.js';
import { type FeedbackDue, handle, type PipelineDeps, type ReminderDue } from './pipeline.js';

/**
 * The scheduler's due work (row `conversation.scheduled`): a reminder or a feedback request becomes
 * a decision of the guest's conversation, through the same pipeline as a guest message, its id
 * (`<key>@<due>`) the cause whose inbox row makes a redelivery, or the same work published again, a
 * no-op. A feedback request goes only to a booking still seated or finished (feedback-requests.ts).
 * Work of other kinds, unreadable work and work of an unknown business are acknowledged and counted.
 */
export function startScheduledWork(
  deps: PipelineDeps & { jsm: JetStreamManager; row: FreeConsumer },
): Promise<RunningConsumer> {
  const { metrics, logger } = deps;
  return consumeFree(deps.row, {
    js: deps.js,
    jsm: deps.jsm,
    logger,
    handler: async (message) => {
      let parsed: ReturnType<typeof parseWorkDue>;
      try {
        parsed = parseWorkDue(message.json<unknown>());
      } catch {
        return count(metrics, 'unreadable');
      }
      if (!parsed.ok) return count(metrics, 'unreadable');
      const { event } = parsed;
      const { work } = event;
      if (work.kind !== 'reminder' && work.kind !== 'feedback_request') return count(metrics, 'not_handled');
      const restaurant = await deps.directory.byId(work.businessId);
      if (!restaurant.found) {
        logger.warn({ business: work.businessId, kind: work.kind }, 'work for an unknown business: dropped');
        return count(metrics, 'unknown_business');
      }
      let due: ReminderDue | FeedbackDue;
      if (work.kind === 'reminder') due = { ...event, work };
      else {
        const target = await feedbackTarget(deps.upstreams, work, deps.reservationDeadlineMs);
        if (!target.ok) return count(metrics, target.reason);
        due = { ...event, work: { ...work, guestId: target.guestId } };
      }
      const handled = await handle(deps, { kind: 'work', work: due, streamSeq: message.seq, restaurant });
      count(metrics, handled.outcome === 'done' ? 'decided' : handled.outcome);
    },
    onDeadLetter: () => metrics.deadLetters.inc(),
  });
}

function count(metrics: ConversationMetrics, outcome: string): void {
  metrics.scheduledWork.inc({ outcome });
}
