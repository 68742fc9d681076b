import type { JetStreamClient, PubAck } from '@nats-io/jetstream';
import { type MsgHdrs, headers as natsHeaders } from '@nats-io/transport-node';
import { type Attributes, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
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
  return tracer.startActiveSpan(
    `publish ${destination}`,
    {
      kind: SpanKind.PRODUCER,
      attributes: {
        'messaging.system': 'nats',
        'messaging.operation.type': 'publish',
        'messaging.destination.name': destination,
        'messaging.message.id': request.msgId,
        ...request.attributes,
      },
    },
    async (span) => {
      try {
        const headers: MsgHdrs = natsHeaders();
        for (const [key, value] of Object.entries(request.headers ?? {})) headers.set(key, value);
        injectTraceContext(headers);
        const ack = await js.publish(request.subject, request.data, {
          msgID: request.msgId,
          headers,
          timeout: request.timeoutMs,
        });
        span.setAttributes({
          'messaging.nats.stream': ack.stream,
          'messaging.nats.sequence': ack.seq,
          'messaging.nats.duplicate': ack.duplicate,
        });
        return ack;
      } catch (error) {
        span.recordException(error as Error);
        span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
        throw error;
      } finally {
        span.end();
      }
    },
  );
}
