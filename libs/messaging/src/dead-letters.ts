import type { JetStreamClient, JsMsg } from '@nats-io/jetstream';
import type { DeadLetterTarget } from '@reserveit/contracts';
import { publish } from './publish.js';

/** Headers that say where a dead letter came from and why; `ops dlq` shows and redrives by them. */
export const DEAD_LETTER_HEADERS = {
  stream: 'Dlq-Stream',
  sequence: 'Dlq-Sequence',
  subject: 'Dlq-Subject',
  consumer: 'Dlq-Consumer',
  error: 'Dlq-Error',
  deliveries: 'Dlq-Deliveries',
  msgId: 'Dlq-Msg-Id',
} as const;

const MAX_ERROR_LENGTH = 1024;

/**
 * Copies a message that failed every attempt to the dead-letter stream with its error, under the
 * dead-letter target of its consumer's row in the wiring table (`entry.deadLetter`). The Msg-Id
 * (stream + sequence) makes writing the same dead letter twice harmless, e.g. when the process dies
 * between this publish and the ack.
 */
export async function publishDeadLetter(
  js: JetStreamClient,
  target: DeadLetterTarget,
  message: JsMsg,
  error: unknown,
): Promise<void> {
  const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  await publish(js, {
    subject: target.subject,
    msgId: `dlq:${message.info.stream}:${message.seq}`,
    data: message.data,
    timeoutMs: 5_000,
    headers: {
      [DEAD_LETTER_HEADERS.stream]: message.info.stream,
      [DEAD_LETTER_HEADERS.sequence]: String(message.seq),
      [DEAD_LETTER_HEADERS.subject]: message.subject,
      [DEAD_LETTER_HEADERS.consumer]: target.consumer,
      [DEAD_LETTER_HEADERS.error]: reason.slice(0, MAX_ERROR_LENGTH).replace(/[\r\n]+/g, ' '),
      [DEAD_LETTER_HEADERS.deliveries]: String(message.info.deliveryCount),
      [DEAD_LETTER_HEADERS.msgId]: message.headers?.get('Nats-Msg-Id') ?? '',
    },
  });
}
