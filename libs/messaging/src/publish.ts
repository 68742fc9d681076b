import {
  JetStreamApiCodes,
  JetStreamApiError,
  type JetStreamClient,
  type JetStreamPublishOptions,
  type PubAck,
} from '@nats-io/jetstream';
import { type MsgHdrs, headers as natsHeaders } from '@nats-io/transport-node';
import {
  type Attributes,
  context,
  isSpanContextValid,
  SpanKind,
  SpanStatusCode,
  trace,
} from '@opentelemetry/api';
import { msgIdProblem, subjectProblem, subjectTemplate } from '@reserveit/contracts';
import { injectTraceContext } from './trace-context.js';

const tracer = trace.getTracer('@reserveit/messaging');

export interface PublishRequest {
  subject: string;
  /** Nats-Msg-Id: the server drops a second publish with the same id inside the duplicate window. */
  msgId: string;
  data: Uint8Array | string;
  /** How long to wait for the PubAck before failing. */
  timeoutMs: number;
  /** Span attributes beyond the messaging ones (wamid, phone_number_id, message type …); never a phone number. */
  attributes?: Attributes;
  headers?: Record<string, string>;
  /**
   * Optimistic concurrency on one subject: the sequence of the subject's last message the publish
   * expects (0: the subject must have none). The server refuses a publish made after another
   * writer's with a JetStreamApiError of code JetStreamApiCodes.StreamWrongLastSequence (see
   * isWrongLastSequence). It is the Nats-Expected-Last-Subject-Sequence header, which servers
   * since 2.3.1 honour (https://docs.nats.io/nats-concepts/jetstream/headers).
   */
  expectedLastSubjectSequence?: number;
}

/** Another writer published to the subject after the sequence the publish expected. */
export function isWrongLastSequence(error: unknown): error is JetStreamApiError {
  return error instanceof JetStreamApiError && error.code === JetStreamApiCodes.StreamWrongLastSequence;
}

/**
 * Publishes to JetStream under a producer span whose context travels in the headers, so the
 * consumer's span joins the same trace. Resolves only once the stream acknowledged the message.
 * A subject or Msg-Id NATS would refuse is rejected before anything is sent: nats-server answers a
 * subject over its control line by closing the connection, failing every publish in flight on it.
 */
export async function publish(js: JetStreamClient, request: PublishRequest): Promise<PubAck> {
  const problem = subjectProblem(request.subject) ?? msgIdProblem(request.msgId);
  if (problem) throw new Error(`not published, NATS would refuse it: ${problem}`);
  const destination = subjectTemplate(request.subject);
  const attributes: Attributes = {
    'messaging.system': 'nats',
    'messaging.operation.type': 'publish',
    'messaging.destination.name': destination,
    'messaging.message.id': request.msgId,
  };
  const expected = request.expectedLastSubjectSequence;
  if (expected !== undefined) attributes['messaging.nats.expected_last_subject_sequence'] = expected;
  if (request.attributes) Object.assign(attributes, request.attributes);
  // startSpan rather than startActiveSpan: nothing inside js.publish opens spans, so the span only
  // needs to be in the context handed to the propagator, and with tracing off (a span without a
  // valid context) that context is not built at all.
  const span = tracer.startSpan(`publish ${destination}`, { kind: SpanKind.PRODUCER, attributes });
  try {
    const headers: MsgHdrs = natsHeaders();
    for (const key in request.headers) headers.set(key, request.headers[key]!);
    if (isSpanContextValid(span.spanContext()))
      injectTraceContext(headers, trace.setSpan(context.active(), span));
    const options: Partial<JetStreamPublishOptions> = {
      msgID: request.msgId,
      headers,
      timeout: request.timeoutMs,
    };
    if (expected !== undefined) options.expect = { lastSubjectSequence: expected };
    const ack = await js.publish(request.subject, request.data, options);
    if (span.isRecording()) {
      span.setAttributes({
        'messaging.nats.stream': ack.stream,
        'messaging.nats.sequence': ack.seq,
        'messaging.nats.duplicate': ack.duplicate,
      });
    }
    return ack;
  } catch (error) {
    // A conflict is the expected answer of optimistic concurrency, which the caller resolves
    // (read again, decide again): the span says so rather than reporting a failure.
    if (isWrongLastSequence(error)) {
      span.setAttribute('messaging.nats.wrong_last_sequence', true);
      throw error;
    }
    span.recordException(error as Error);
    span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
    throw error;
  } finally {
    span.end();
  }
}
