import type { JetStreamClient, JetStreamManager } from '@nats-io/jetstream';
import { sendRequestedSchema, type Topology } from '@reserveit/contracts';
import { consume, publishDeadLetter, type RunningConsumer } from '@reserveit/messaging';
import type { Logger } from '@reserveit/telemetry';
import type { SenderMetrics } from './metrics.js';
import type { OutboxStore } from './outbox/outbox-store.js';
import { SENDER_CONSUMER } from './outcome-events.js';

export const COMMANDS_DURABLE = 'sender-commands';

export interface CommandIntakeDeps {
  js: JetStreamClient;
  jsm: JetStreamManager;
  topology: Topology;
  store: OutboxStore;
  logger: Logger;
  metrics: SenderMetrics;
  now(): Date;
  /** A new row is waiting: wake the dispatcher instead of letting it find it on its next poll. */
  onRecorded(): void;
  /** AckWait: how long a command held by a replica that died waits before another takes it. */
  ackWaitMs?: number;
}

/**
 * Moves send commands from OUTBOUND into the outbox, one at a time in stream order. Recording is a
 * single insert (about a millisecond), so the slow part, the Graph API call, happens outside the
 * consumer: the dispatcher sends many guests' messages at once while each guest's stay in order.
 *
 * max_ack_pending 1 keeps stream order across replicas too: a message is recorded only after the
 * one before it was, so the dispatcher never sees a guest's second reply without the first. A
 * failing insert (Postgres away) is retried by consume() with backoff and holds the line, which is
 * what order needs; only an unreadable command is dead-lettered at once.
 */
export function startCommandIntake(deps: CommandIntakeDeps): Promise<RunningConsumer> {
  const { js, jsm, topology, store, logger, metrics } = deps;
  return consume({
    js,
    jsm,
    consumer: {
      stream: topology.streams.outbound.name,
      durable: COMMANDS_DURABLE,
      filterSubject: topology.subjects.outboundCommandAll,
      ackWaitMs: deps.ackWaitMs ?? 30_000,
      maxAckPending: 1,
      deliverPolicy: 'all',
    },
    // Postgres may be down for a while: about an hour of retries before a command is given up.
    maxDeliver: 150,
    backoff: { baseMs: 200, maxMs: 30_000 },
    mode: 'live',
    logger,
    handler: async (message) => {
      let json: unknown;
      try {
        json = message.json();
      } catch {
        json = undefined;
      }
      const parsed = sendRequestedSchema.safeParse(json);
      if (!parsed.success) {
        metrics.commands.inc({ result: 'invalid' });
        const paths = parsed.error.issues.map((i) => i.path.join('.') || '(root)').join(', ');
        logger.error({ seq: message.seq, paths }, 'unreadable send command; dead-lettered');
        await publishDeadLetter(
          js,
          topology,
          SENDER_CONSUMER,
          message,
          new Error(`invalid command: ${paths}`),
        );
        return;
      }
      const command = parsed.data;
      const recorded = await store.insert(
        {
          key: command.id,
          streamSeq: message.seq,
          subject: message.subject,
          msgId: message.headers?.get('Nats-Msg-Id') || command.id,
          phoneNumberId: command.phoneNumberId,
          recipient: command.to,
          kind: command.message.kind,
          command,
          traceparent: message.headers?.get('traceparent') || undefined,
          tracestate: message.headers?.get('tracestate') || undefined,
        },
        deps.now(),
      );
      metrics.commands.inc({ result: recorded ? 'recorded' : 'duplicate' });
      if (recorded) deps.onRecorded();
      else
        logger.debug({ key: command.id, seq: message.seq }, 'send command already recorded; nothing to do');
    },
    deadLetter: (message, error) => publishDeadLetter(js, topology, SENDER_CONSUMER, message, error),
  });
}
