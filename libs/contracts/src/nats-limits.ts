/*
 * What nats-server refuses, in plain data so a message can be checked before it is sent. Sending
 * it anyway costs more than that message: a subject longer than the control line makes the server
 * close the connection (every other publish in flight on it fails with it), and a message over
 * max_payload or headers over 64 KiB are refused however often the sender retries.
 */

/**
 * nats-server's default max_control_line (https://docs.nats.io/running-a-nats-service/configuration):
 * the whole `HPUB <subject> <reply> <header bytes> <total bytes>\r\n` line must fit.
 */
export const MAX_CONTROL_LINE = 4096;

/**
 * What the control line needs besides the subject: the verb, the reply inbox of a JetStream
 * publish (`_INBOX.<22-character nuid>.<token>`, about 50 bytes), two sizes and the separators.
 */
const CONTROL_LINE_ROOM = 256;
export const MAX_SUBJECT_BYTES = MAX_CONTROL_LINE - CONTROL_LINE_ROOM;

/**
 * Room under max_payload for the headers a publish adds (Nats-Msg-Id up to MAX_MSG_ID_BYTES,
 * traceparent, tracestate, Raw-Chunks): the server counts headers and data together.
 */
export const HEADER_ROOM_BYTES = 8 * 1024;

/** nats-server's default max_payload, for a connection that has not received the server's INFO yet. */
export const DEFAULT_MAX_PAYLOAD = 1024 * 1024;

/**
 * JetStream refuses headers over 64 KiB ("header size exceeds maximum allowed of 64k",
 * JSStreamHeaderExceedsMaximumErr in nats-server's server/errors.json); a Msg-Id is one of them and
 * ours are ids of at most a few hundred bytes (meta-formats.ts), so 1 KiB is already absurd.
 */
export const MAX_MSG_ID_BYTES = 1024;

/**
 * The NATS client throws on a header value with CR or LF, and trims surrounding whitespace, which
 * would silently change a Msg-Id and with it what JetStream deduplicates. (An empty Msg-Id is
 * sent as none at all.)
 */
const HEADER_BREAK = /[\r\n]/;
const SURROUNDING_SPACE = /^\s|\s$/;

export interface NatsMessageShape {
  subject: string;
  msgId: string;
  /** Bytes of the data, without headers. */
  payloadBytes: number;
}

/*
 * Each check says why nats-server or the client would refuse the message, or undefined when it
 * fits. Reasons give sizes only, never the subject or the id: they carry phone numbers.
 */

export function subjectProblem(subject: string): string | undefined {
  const bytes = Buffer.byteLength(subject, 'utf8');
  if (bytes > MAX_SUBJECT_BYTES) {
    return `subject of ${bytes} bytes, over the ${MAX_SUBJECT_BYTES} the control line leaves`;
  }
  return undefined;
}

export function msgIdProblem(msgId: string): string | undefined {
  const bytes = Buffer.byteLength(msgId, 'utf8');
  if (bytes > MAX_MSG_ID_BYTES) return `Nats-Msg-Id of ${bytes} bytes, over ${MAX_MSG_ID_BYTES}`;
  if (HEADER_BREAK.test(msgId)) return 'Nats-Msg-Id holds a line break';
  if (SURROUNDING_SPACE.test(msgId)) return 'Nats-Msg-Id starts or ends with whitespace';
  return undefined;
}

export function payloadProblem(payloadBytes: number, maxPayload: number): string | undefined {
  const maxData = maxPayload - HEADER_ROOM_BYTES;
  if (payloadBytes > maxData) {
    return `${payloadBytes} bytes of data, over the ${maxData} that max_payload leaves after headers`;
  }
  return undefined;
}

export function natsMessageProblem(message: NatsMessageShape, maxPayload: number): string | undefined {
  return (
    subjectProblem(message.subject) ??
    msgIdProblem(message.msgId) ??
    payloadProblem(message.payloadBytes, maxPayload)
  );
}
