import type { JetStreamClient } from '@nats-io/jetstream';
import type { OutboundEvent, Topology } from '@reserveit/contracts';
import { DEAD_LETTER_HEADERS, publish } from '@reserveit/messaging';
import type { OutboxRow } from './outbox/outbox-store.js';

export function outcomeEvent(row: OutboxRow, now: Date): OutboundEvent {
  const base = {
    v: 1 as const,
    id: row.key,
    phoneNumberId: row.phone_number_id,
    at: (row.finished_at ?? now).toISOString(),
    attempts: Math.max(1, row.attempts),
  };
  return row.state === 'sent'
    ? { ...base, type: 'whatsapp.send.succeeded', ...(row.wamid ? { wamid: row.wamid } : {}) }
    : {
        ...base,
        type: 'whatsapp.send.failed',
        code: row.last_error_code ?? 0,
        reason: (row.last_error ?? 'failed').slice(0, 1024),
        exhausted: row.exhausted,
      };
}

/**
 * Publishes what became of a final row. An exhausted send is first copied to the dead-letter
 * stream as the command it was, under the intake's dead-letter target (`sender.commands` in the
 * wiring table: consumer `sender`). Msg-Ids (`<key>:sent`, `<key>:failed`, `dlq:sender:<key>`)
 * make a repeat after a crash between publish and flag harmless.
 */
export async function publishOutcome(
  js: JetStreamClient,
  topology: Topology,
  row: OutboxRow,
  now: Date,
): Promise<void> {
  const event = outcomeEvent(row, now);
  if (event.type === 'whatsapp.send.failed' && event.exhausted) {
    const deadLetter = topology.consumers.sender.commands.deadLetter;
    await publish(js, {
      subject: deadLetter.subject,
      msgId: `dlq:${deadLetter.consumer}:${row.key}`,
      data: JSON.stringify(row.command),
      timeoutMs: 5_000,
      headers: {
        [DEAD_LETTER_HEADERS.stream]: topology.streams.outbound.name,
        [DEAD_LETTER_HEADERS.sequence]: String(row.stream_seq),
        [DEAD_LETTER_HEADERS.subject]: row.subject,
        [DEAD_LETTER_HEADERS.consumer]: deadLetter.consumer,
        [DEAD_LETTER_HEADERS.error]: event.reason.replace(/[\r\n]+/g, ' '),
        [DEAD_LETTER_HEADERS.deliveries]: String(row.attempts),
        [DEAD_LETTER_HEADERS.msgId]: row.msg_id,
      },
    });
  }
  await publish(js, {
    subject: topology.subjects.outboundEvent(row.phone_number_id),
    msgId: `${row.key}:${row.state === 'sent' ? 'sent' : 'failed'}`,
    data: JSON.stringify(event),
    timeoutMs: 5_000,
    attributes: { 'whatsapp.phone_number_id': row.phone_number_id, 'messaging.message.id': row.key },
  });
}
