import {
  type ConsumerInfo,
  JetStreamApiCodes,
  JetStreamApiError,
  type JetStreamClient,
  type JetStreamManager,
  type JsMsg,
  type MsgRequest,
  type NextMsgRequest,
} from '@nats-io/jetstream';
import type { PartitionedConsumer } from '@reserveit/contracts';
import { consumePartitioned, consumeRetired, type RunningConsumer } from '@reserveit/messaging';
import type { Logger } from '@reserveit/telemetry';
import type { AdmittedCommand } from './dispatcher.js';
import type { SenderMetrics } from './metrics.js';
import type { OutboxRow } from './outbox/outbox-store.js';
import { readSendCommand } from './send-command.js';

export interface CommandIntakeDeps {
  js: JetStreamClient;
  jsm: JetStreamManager;
  /** Its row of the wiring table, `sender.commands`, as the environment tunes it (SENDER_INTAKE_ACK_WAIT_MS). */
  row: PartitionedConsumer;
  logger: Logger;
  metrics: SenderMetrics;
  now(): Date;
  /** Records a new command in the outbox; the dispatcher sends it at once when it has room. */
  admit(command: AdmittedCommand): Promise<OutboxRow | undefined>;
}

/**
 * Moves send commands from OUTBOUND into the outbox. Recording is a single insert (about a
 * millisecond), so the slow part, the Graph API call, happens outside the consumers: the
 * dispatcher sends many guests' messages at once while each guest's stay in order.
 *
 * Its row (`sender.commands`, libs/contracts/src/consumers.ts) is per-conversation, as the
 * conversation service's inbound one: a guest's commands all fall into one partition, so a guest's
 * second reply is recorded only after its first was, whichever replica pulls them (the dispatcher
 * sends a guest's oldest unfinished row first and must never see the second without the first),
 * while the other partitions go on. A failing insert (Postgres away) is retried with backoff and
 * holds its partition, which is what order needs; only an unreadable command is dead-lettered at once.
 */
export async function startCommandIntake(deps: CommandIntakeDeps): Promise<RunningConsumer> {
  const { js, jsm, row, logger } = deps;
  const wired = { js, jsm, logger, handler: (message: JsMsg) => record(deps, message) };
  const retired = row.retired;
  const single = retired ? await retiredConsumer(jsm, row.stream, retired.durable) : undefined;
  // Upgrading from the single consumer: everything up to its ack floor is recorded, so the
  // partition consumers start after it rather than re-reading the whole stream (no max_age: it
  // holds every command ever sent; re-reading would be harmless, as the outbox key turns each into
  // a no-op, but new replies would wait behind it).
  const startSequence = single ? single.ack_floor.stream_seq + 1 : undefined;
  const partitions = await consumePartitioned(row, { ...wired, startSequence });
  if (!retired || !single) return partitions;
  try {
    // STREAM.MSG.GET takes next_by_subj (wildcards too) since nats-server 2.9; nats.js types it
    // only for direct get, which needs allow_direct on the stream.
    const next: NextMsgRequest = {
      next_by_subj: retired.filterSubject,
      seq: single.ack_floor.stream_seq + 1,
    };
    const unrecorded = await jsm.streams.getMessage(row.stream, next as unknown as MsgRequest);
    if (!unrecorded) {
      await jsm.consumers.delete(row.stream, retired.durable);
      logger.info(
        { durable: retired.durable, from: startSequence },
        'deleted the single command intake consumer; the partition consumers take over after its ack floor',
      );
      return partitions;
    }
    // Commands published before the partition token that it has not recorded yet: no partition
    // filter matches `out.cmd.<pnid>.<guest>`, so deleting it would drop them. Narrowed to those
    // subjects it keeps its place and records them; a later start deletes it once nothing is left.
    const old = await consumeRetired(row, wired);
    logger.warn(
      { durable: retired.durable, firstUnrecordedSeq: unrecorded.seq },
      'the single command intake consumer still has unpartitioned commands to record; it now reads only those',
    );
    return {
      done: Promise.all([partitions.done, old.done]).then(() => undefined),
      stop: () => Promise.all([partitions.stop(), old.stop()]).then(() => undefined),
    };
  } catch (error) {
    await partitions.stop();
    throw error;
  }
}

async function retiredConsumer(
  jsm: JetStreamManager,
  stream: string,
  durable: string,
): Promise<ConsumerInfo | undefined> {
  try {
    return await jsm.consumers.info(stream, durable);
  } catch (error) {
    if (error instanceof JetStreamApiError && error.code === JetStreamApiCodes.ConsumerNotFound)
      return undefined;
    throw error;
  }
}

/** One command into the outbox; a duplicate (redelivered, republished) changes nothing. */
async function record(deps: CommandIntakeDeps, message: JsMsg): Promise<void> {
  const { logger, metrics } = deps;
  const command = await readSendCommand(deps, message, deps.row.deadLetter);
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
