import {
  type ConsumerMessages,
  DeliverPolicy,
  JetStreamApiCodes,
  JetStreamApiError,
  type JetStreamClient,
  type JetStreamManager,
  type MsgRequest,
} from '@nats-io/jetstream';
import { isWrongLastSequence, publish } from '@reserveit/messaging';

/** New messages read one by one when catching up before switching to a consumer. */
const FOLLOW_UP_LIMIT = 16;

export interface StoredMessage {
  seq: number;
  data: Uint8Array;
}

export interface AppendEvent {
  /** Nats-Msg-Id. */
  id: string;
  data: string;
}

export type AppendResult =
  /** `seqs`: the stream sequence of each event, in order. */
  | { kind: 'appended'; lastSeq: number; seqs: number[] }
  /** The server had this Msg-Id already (duplicate window): nothing was written, it lives at `seq`. */
  | { kind: 'duplicate'; seq: number };

/**
 * A read of a subject did not finish within its bound (the caller's deadline or the store's read
 * timeout): the command fails instead of holding its aggregate's lock, and every command queued
 * behind it, for as long as the consumer stalls.
 */
export class ReadTimeout extends Error {
  override name = 'ReadTimeout';
}

/** Someone else appended to the subject since we read it (JetStreamApiCodes.StreamWrongLastSequence). */
export class WrongLastSequence extends Error {
  override name = 'WrongLastSequence';
}

/**
 * One subject = one aggregate's event log. Reads use an ordered consumer filtered on the subject
 * (a string filter: an array needs nats-server 2.10); appends go through libs/messaging's publish
 * with JetStream's expected last subject sequence, which is the optimistic lock of the aggregate
 * (https://docs.nats.io/nats-concepts/jetstream/headers).
 */
export class EventStore {
  constructor(
    private readonly js: JetStreamClient,
    private readonly jsm: JetStreamManager,
    readonly stream: string,
    private readonly appendTimeoutMs: number,
    /**
     * Bound of one read with a consumer when the caller has no earlier deadline. A day holds
     * hundreds of events at most, read in one or two pulls: the append's bound is ample for it.
     */
    private readonly readTimeoutMs = appendTimeoutMs,
  ) {}

  /** The subject's last sequence, 0 when it has no message. */
  async lastSequence(subject: string): Promise<number> {
    try {
      const message = await this.jsm.streams.getMessage(this.stream, { last_by_subj: subject });
      return message?.seq ?? 0;
    } catch (error) {
      if (error instanceof JetStreamApiError && error.code === JetStreamApiCodes.NoMessageFound) return 0;
      throw error;
    }
  }

  /**
   * The subject's messages after `afterSeq`. Catching a cached aggregate up after a conflict is
   * usually one or two new messages: fetched one by one (no consumer to create); a cold load or a
   * long gap uses an ordered consumer, bounded by `deadlineMs` (epoch ms) or the read timeout,
   * whichever comes first (ReadTimeout). The one-by-one gets have the JetStream API's own timeout.
   */
  async read(
    subject: string,
    afterSeq: number,
    deadlineMs = Number.POSITIVE_INFINITY,
  ): Promise<{ messages: StoredMessage[]; lastSeq: number }> {
    if (afterSeq === 0) return this.readWithConsumer(subject, 0, deadlineMs);
    const messages: StoredMessage[] = [];
    let seq = afterSeq;
    for (let i = 0; i < FOLLOW_UP_LIMIT; i++) {
      const next = await this.nextAfter(subject, seq);
      if (!next) return { messages, lastSeq: seq };
      messages.push(next);
      seq = next.seq;
    }
    const rest = await this.readWithConsumer(subject, seq, deadlineMs);
    return { messages: [...messages, ...rest.messages], lastSeq: rest.lastSeq };
  }

  /**
   * STREAM.MSG.GET with `next_by_subj`: the first message of the subject after `seq`. nats-server
   * 2.9 accepts it (checked on 2.9.10) though the client types it for direct get only.
   */
  private async nextAfter(subject: string, seq: number): Promise<StoredMessage | undefined> {
    const request = { seq: seq + 1, next_by_subj: subject } as unknown as MsgRequest;
    try {
      const message = await this.jsm.streams.getMessage(this.stream, request);
      return message ? { seq: message.seq, data: message.data } : undefined;
    } catch (error) {
      if (error instanceof JetStreamApiError && error.code === JetStreamApiCodes.NoMessageFound)
        return undefined;
      throw error;
    }
  }

  private async readWithConsumer(
    subject: string,
    afterSeq: number,
    deadlineMs: number,
  ): Promise<{ messages: StoredMessage[]; lastSeq: number }> {
    const budgetMs = Math.min(this.readTimeoutMs, deadlineMs - Date.now());
    const timeout = () => new ReadTimeout(`${subject}: not read within ${Math.max(0, budgetMs)} ms`);
    if (budgetMs <= 0) throw timeout();
    // The consumer waits for messages as long as it is left open: a message that was counted in
    // `lastSeq` and then removed (max age, purge, a stalled server) would keep the loop waiting for
    // ever. The timer closes it, which ends the loop, and the read fails.
    let iterator: ConsumerMessages | undefined;
    let expired = false;
    const timer = setTimeout(() => {
      expired = true;
      void iterator?.close();
    }, budgetMs);
    try {
      const lastSeq = await this.lastSequence(subject);
      if (lastSeq <= afterSeq) return { messages: [], lastSeq: Math.max(lastSeq, afterSeq) };
      const consumer = await this.js.consumers.get(this.stream, {
        filter_subjects: subject,
        deliver_policy: DeliverPolicy.StartSequence,
        opt_start_seq: afterSeq + 1,
      });
      const messages: StoredMessage[] = [];
      iterator = await consumer.consume({ max_messages: 512 });
      try {
        if (expired) throw timeout();
        for await (const message of iterator) {
          messages.push({ seq: message.seq, data: message.data });
          if (message.seq >= lastSeq) break;
        }
        if (expired) throw timeout();
      } finally {
        await iterator.close();
      }
      return { messages, lastSeq };
    } finally {
      clearTimeout(timer);
    }
  }

  async get(seq: number): Promise<StoredMessage | undefined> {
    const message = await this.jsm.streams.getMessage(this.stream, { seq });
    return message ? { seq: message.seq, data: message.data } : undefined;
  }

  /**
   * Appends in order, each expecting the subject's previous sequence (0: the subject must be
   * empty). Throws WrongLastSequence when another writer got there first.
   */
  async append(
    subject: string,
    events: readonly AppendEvent[],
    expectedLastSeq: number,
  ): Promise<AppendResult> {
    let lastSeq = expectedLastSeq;
    const seqs: number[] = [];
    for (const event of events) {
      const result = await this.appendOne(subject, event, lastSeq);
      if (result.kind === 'duplicate') return result;
      lastSeq = result.lastSeq;
      seqs.push(lastSeq);
    }
    return { kind: 'appended', lastSeq, seqs };
  }

  private async appendOne(subject: string, event: AppendEvent, expected: number): Promise<AppendResult> {
    try {
      const ack = await publish(this.js, {
        subject,
        msgId: event.id,
        data: event.data,
        timeoutMs: this.appendTimeoutMs,
        expectedLastSubjectSequence: expected,
      });
      return ack.duplicate
        ? { kind: 'duplicate', seq: ack.seq }
        : { kind: 'appended', lastSeq: ack.seq, seqs: [ack.seq] };
    } catch (error) {
      if (isWrongLastSequence(error)) throw new WrongLastSequence(`${subject} moved past ${expected}`);
      throw error;
    }
  }
}
