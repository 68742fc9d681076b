import {
  DeliverPolicy,
  JetStreamApiCodes,
  JetStreamApiError,
  type JetStreamClient,
  type JetStreamManager,
  type MsgRequest,
} from '@nats-io/jetstream';
import { headers as natsHeaders } from '@nats-io/transport-node';
import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { injectTraceContext } from '@reserveit/messaging';

const tracer = trace.getTracer('@reserveit/reservation');

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

/** Someone else appended to the subject since we read it (JetStream 10071). */
export class WrongLastSequence extends Error {
  override name = 'WrongLastSequence';
}

/**
 * One subject = one aggregate's event log. Reads use an ordered consumer filtered on the subject
 * (a string filter: an array needs nats-server 2.10); appends use JetStream's expected last
 * subject sequence, which is the optimistic lock of the aggregate (DESIGN §12).
 */
export class EventStore {
  constructor(
    private readonly js: JetStreamClient,
    private readonly jsm: JetStreamManager,
    readonly stream: string,
    private readonly appendTimeoutMs: number,
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
   * long gap uses an ordered consumer.
   */
  async read(subject: string, afterSeq: number): Promise<{ messages: StoredMessage[]; lastSeq: number }> {
    if (afterSeq === 0) return this.readWithConsumer(subject, 0);
    const messages: StoredMessage[] = [];
    let seq = afterSeq;
    for (let i = 0; i < FOLLOW_UP_LIMIT; i++) {
      const next = await this.nextAfter(subject, seq);
      if (!next) return { messages, lastSeq: seq };
      messages.push(next);
      seq = next.seq;
    }
    const rest = await this.readWithConsumer(subject, seq);
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
  ): Promise<{ messages: StoredMessage[]; lastSeq: number }> {
    const lastSeq = await this.lastSequence(subject);
    if (lastSeq <= afterSeq) return { messages: [], lastSeq: Math.max(lastSeq, afterSeq) };
    const consumer = await this.js.consumers.get(this.stream, {
      filter_subjects: subject,
      deliver_policy: DeliverPolicy.StartSequence,
      opt_start_seq: afterSeq + 1,
    });
    const messages: StoredMessage[] = [];
    const iterator = await consumer.consume({ max_messages: 512 });
    try {
      for await (const message of iterator) {
        messages.push({ seq: message.seq, data: message.data });
        if (message.seq >= lastSeq) break;
      }
    } finally {
      await iterator.close();
    }
    return { messages, lastSeq };
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

  private appendOne(subject: string, event: AppendEvent, expected: number): Promise<AppendResult> {
    return tracer.startActiveSpan(
      `publish ${subject}`,
      {
        kind: SpanKind.PRODUCER,
        attributes: {
          'messaging.system': 'nats',
          'messaging.operation.type': 'publish',
          'messaging.destination.name': subject,
          'messaging.message.id': event.id,
          'messaging.nats.expected_last_subject_sequence': expected,
        },
      },
      async (span) => {
        try {
          const headers = natsHeaders();
          injectTraceContext(headers);
          const ack = await this.js.publish(subject, event.data, {
            msgID: event.id,
            headers,
            timeout: this.appendTimeoutMs,
            expect: { lastSubjectSequence: expected },
          });
          span.setAttributes({
            'messaging.nats.sequence': ack.seq,
            'messaging.nats.duplicate': ack.duplicate,
          });
          return ack.duplicate
            ? { kind: 'duplicate' as const, seq: ack.seq }
            : { kind: 'appended' as const, lastSeq: ack.seq, seqs: [ack.seq] };
        } catch (error) {
          if (
            error instanceof JetStreamApiError &&
            error.code === JetStreamApiCodes.StreamWrongLastSequence
          ) {
            span.setAttribute('reserveit.conflict', true);
            throw new WrongLastSequence(`${subject} moved past ${expected}`);
          }
          span.recordException(error as Error);
          span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
          throw error;
        } finally {
          span.end();
        }
      },
    );
  }
}
