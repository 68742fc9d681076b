import {
  type ConsumerInfo,
  JetStreamApiError,
  type JetStreamClient,
  type JetStreamManager,
  type JsMsg,
  type MsgRequest,
  type NextMsgRequest,
} from '@nats-io/jetstream';
import { PARTITIONS, type Topology } from '@reserveit/contracts';
import { consume, publishDeadLetter, type RunningConsumer } from '@reserveit/messaging';
import type { Logger } from '@reserveit/telemetry';
import type { SenderMetrics } from './metrics.js';
import type { NewCommand, OutboxRow } from './outbox/outbox-store.js';
import { SENDER_CONSUMER } from './outcome-events.js';
import { readSendCommand } from './send-command.js';

/** Durable consumer of one partition's commands; every replica pulls from the same ones. */
export const commandsDurable = (partition: number) => `sender-commands-${partition}`;
/**
 * The single intake consumer of earlier versions (filter `out.cmd.>`, max_ack_pending 1): one
 * command at a time for every guest (about 170 a second in the e2e benchmark). Retired at start.
 */
export const SINGLE_COMMANDS_DURABLE = 'sender-commands';

export interface CommandIntakeDeps {
  js: JetStreamClient;
  jsm: JetStreamManager;
  topology: Topology;
  logger: Logger;
  metrics: SenderMetrics;
  now(): Date;
  /** Records a new command in the outbox; the dispatcher sends it at once when it has room. */
  admit(command: NewCommand): Promise<OutboxRow | undefined>;
  /** AckWait: how long a command held by a replica that died waits before another takes it. */
  ackWaitMs?: number;
}

/**
 * Moves send commands from OUTBOUND into the outbox. Recording is a single insert (about a
 * millisecond), so the slow part, the Graph API call, happens outside the consumers: the
 * dispatcher sends many guests' messages at once while each guest's stay in order.
 *
 * One durable pull consumer per partition of `out.cmd.<partition>.<pnid>.<guest>`, each with
 * max_ack_pending 1, as the conversation service does for inbound messages (DESIGN §12): a guest's
 * commands all fall into one partition, so a guest's second reply is recorded only after its first
 * was, whichever replica pulls them (the dispatcher sends a guest's oldest unfinished row first and
 * must never see the second without the first), while the other partitions go on. A failing
 * insert (Postgres away) is retried by consume() with backoff and holds its partition, which is
 * what order needs; only an unreadable command is dead-lettered at once.
 */
export async function startCommandIntake(deps: CommandIntakeDeps): Promise<RunningConsumer> {
  const { js, jsm, topology, logger } = deps;
  const stream = topology.streams.outbound.name;
  const base = {
    js,
    jsm,
    // Postgres may be down for a while: about an hour of retries before a command is given up.
    maxDeliver: 150,
    backoff: { baseMs: 200, maxMs: 30_000 },
    mode: 'live' as const,
    logger,
    handler: (message: JsMsg) => record(deps, message),
    deadLetter: (message: JsMsg, error: unknown) =>
      publishDeadLetter(js, topology, SENDER_CONSUMER, message, error),
  };
  const consumer = (durable: string, filterSubject: string, startSequence: number | undefined) => ({
    stream,
    durable,
    filterSubject,
    ackWaitMs: deps.ackWaitMs ?? 30_000,
    maxAckPending: 1,
    deliverPolicy: 'all' as const,
    ...(startSequence !== undefined ? { startSequence } : {}),
  });

  const single = await singleDurable(jsm, stream);
  // Upgrading from the single consumer: everything up to its ack floor is recorded, so the
  // partition consumers start after it rather than re-reading the whole stream (no max_age: it
  // holds every command ever sent; re-reading would be harmless, as the outbox key turns each into
  // a no-op, but new replies would wait behind it).
  const startSequence = single ? single.ack_floor.stream_seq + 1 : undefined;
  const consumers: RunningConsumer[] = [];
  const stopAll = () => Promise.all(consumers.map((c) => c.stop())).then(() => undefined);
  try {
    for (let partition = 0; partition < PARTITIONS; partition += 1) {
      consumers.push(
        await consume({
          ...base,
          consumer: consumer(
            commandsDurable(partition),
            topology.subjects.outboundCommandPartition(partition),
            startSequence,
          ),
        }),
      );
    }
    if (single) {
      // STREAM.MSG.GET takes next_by_subj (wildcards too) since nats-server 2.9; nats.js types it
      // only for direct get, which needs allow_direct on the stream.
      const next: NextMsgRequest = {
        next_by_subj: topology.subjects.outboundCommandUnpartitioned,
        seq: single.ack_floor.stream_seq + 1,
      };
      const unrecorded = await jsm.streams.getMessage(stream, next as unknown as MsgRequest);
      if (!unrecorded) {
        await jsm.consumers.delete(stream, SINGLE_COMMANDS_DURABLE);
        logger.info(
          { durable: SINGLE_COMMANDS_DURABLE, from: startSequence },
          'deleted the single command intake consumer; the partition consumers take over after its ack floor',
        );
      } else {
        // Commands published before the partition token that it has not recorded yet: no
        // partition filter matches `out.cmd.<pnid>.<guest>`, so deleting it would drop them.
        // Narrowed to those subjects it keeps its place and records them; a later start deletes
        // it once nothing is left.
        consumers.push(
          await consume({
            ...base,
            consumer: consumer(
              SINGLE_COMMANDS_DURABLE,
              topology.subjects.outboundCommandUnpartitioned,
              undefined,
            ),
          }),
        );
        logger.warn(
          { durable: SINGLE_COMMANDS_DURABLE, firstUnrecordedSeq: unrecorded.seq },
          'the single command intake consumer still has unpartitioned commands to record; it now reads only those',
        );
      }
    }
  } catch (error) {
    await stopAll();
    throw error;
  }
  return {
    done: Promise.all(consumers.map((c) => c.done)).then(() => undefined),
    stop: stopAll,
  };
}

async function singleDurable(jsm: JetStreamManager, stream: string): Promise<ConsumerInfo | undefined> {
  try {
    return await jsm.consumers.info(stream, SINGLE_COMMANDS_DURABLE);
  } catch (error) {
    if (error instanceof JetStreamApiError && error.code === 10014) return undefined;
    throw error;
  }
}

/** One command into the outbox; a duplicate (redelivered, republished) changes nothing. */
async function record(deps: CommandIntakeDeps, message: JsMsg): Promise<void> {
  const { logger, metrics } = deps;
  const command = await readSendCommand(deps, message, SENDER_CONSUMER);
  if (!command) return;
  const recorded = await deps.admit({
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
  });
  metrics.commands.inc({ result: recorded ? 'recorded' : 'duplicate' });
  if (!recorded)
    logger.debug({ key: command.id, seq: message.seq }, 'send command already recorded; nothing to do');
}
