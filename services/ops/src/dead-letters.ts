import type { JsMsg, StoredMsg } from '@nats-io/jetstream';
import { type MsgHdrs, headers as natsHeaders } from '@nats-io/transport-node';
import { DEAD_LETTER_HEADERS as H } from '@reserveit/messaging';
import { readStream } from '@reserveit/replay';
import type { Nats } from './connections.js';
import { OpsError } from './exit-codes.js';

export interface DeadLetter {
  /** Sequence in the DEADLETTERS stream: what show/redrive/purge take. */
  seq: number;
  /** When it was dead-lettered. */
  at: string;
  consumer: string;
  /** Where it came from: stream, sequence, subject and its original Nats-Msg-Id. */
  stream: string;
  sourceSeq: number;
  subject: string;
  msgId: string;
  error: string;
  deliveries: number;
  headers: Record<string, string>;
  data: Uint8Array;
}

export interface DeadLetterFilter {
  consumer?: string;
  /** Case-insensitive substring of the error. */
  error?: string;
  /** Only dead letters written at least this long ago (ms). */
  olderThanMs?: number;
  /** Only dead letters written at most this long ago (ms). */
  newerThanMs?: number;
  /** Only these DEADLETTERS sequences. */
  seqs?: readonly number[];
}

function headerRecord(headers: MsgHdrs | undefined): Record<string, string> {
  const record: Record<string, string> = {};
  if (!headers) return record;
  for (const key of headers.keys()) record[key] = headers.get(key);
  return record;
}

function toDeadLetter(seq: number, at: Date, headers: MsgHdrs | undefined, data: Uint8Array): DeadLetter {
  const record = headerRecord(headers);
  return {
    seq,
    at: at.toISOString(),
    consumer: record[H.consumer] ?? '',
    stream: record[H.stream] ?? '',
    sourceSeq: Number(record[H.sequence] ?? 0),
    subject: record[H.subject] ?? '',
    msgId: record[H.msgId] ?? '',
    error: record[H.error] ?? '',
    deliveries: Number(record[H.deliveries] ?? 0),
    headers: record,
    data,
  };
}

/** Whether a dead letter passes the filter; `now` in ms. */
export function matchesFilter(letter: DeadLetter, filter: DeadLetterFilter, now: number): boolean {
  if (filter.seqs && filter.seqs.length > 0 && !filter.seqs.includes(letter.seq)) return false;
  if (filter.consumer && letter.consumer !== filter.consumer) return false;
  if (filter.error && !letter.error.toLowerCase().includes(filter.error.toLowerCase())) return false;
  const age = now - Date.parse(letter.at);
  if (filter.olderThanMs !== undefined && age < filter.olderThanMs) return false;
  if (filter.newerThanMs !== undefined && age > filter.newerThanMs) return false;
  return true;
}

/** Every dead letter (of one consumer when filtered by it) that passes the filter, oldest first. */
export async function listDeadLetters(
  nats: Nats,
  filter: DeadLetterFilter,
  now: number,
): Promise<DeadLetter[]> {
  const stream = nats.topology.streams.deadLetters.name;
  await requireStream(nats, stream);
  const letters: DeadLetter[] = [];
  const read = readStream(nats.js, nats.jsm, {
    stream,
    filterSubject: filter.consumer ? nats.topology.subjects.deadLetter(filter.consumer) : undefined,
  });
  for await (const message of read) {
    const letter = fromJsMsg(message);
    if (matchesFilter(letter, filter, now)) letters.push(letter);
  }
  return letters;
}

const fromJsMsg = (message: JsMsg) => toDeadLetter(message.seq, message.time, message.headers, message.data);
const fromStored = (message: StoredMsg) =>
  toDeadLetter(message.seq, message.time, message.header, message.data);

export async function getDeadLetter(nats: Nats, seq: number): Promise<DeadLetter> {
  const stream = nats.topology.streams.deadLetters.name;
  await requireStream(nats, stream);
  const message = await nats.jsm.streams.getMessage(stream, { seq }).catch(() => null);
  if (!message) {
    throw new OpsError(`no dead letter #${seq} in ${stream} (redriven or purged already?); see \`dlq list\``);
  }
  return fromStored(message);
}

/** Removes one dead letter; DEADLETTERS is the one stream that allows it (not append-only). */
export async function removeDeadLetter(nats: Nats, seq: number): Promise<void> {
  await nats.jsm.streams.deleteMessage(nats.topology.streams.deadLetters.name, seq, false);
}

/** Headers a redrive must not copy: the dead letter's own, and the server's (ids, expectations). */
const isCarriedHeader = (key: string) => !/^(dlq-|nats-)/i.test(key);

/** The Nats-Msg-Id of a redrive: new, so the stream's duplicate window does not drop it. */
export const redriveMsgId = (letter: DeadLetter) =>
  `${letter.msgId || `${letter.stream}:${letter.sourceSeq}`}:redrive:${letter.seq}`;

/**
 * Publishes the original payload again on its original subject, into its original stream (the
 * server refuses otherwise), with the original headers (traceparent included) and a new Msg-Id.
 * The consumers' own dedupe (Postgres inbox by event id) keeps what they applied already applied once.
 */
export async function republish(nats: Nats, letter: DeadLetter): Promise<number> {
  if (!letter.subject || !letter.stream) {
    throw new OpsError(
      `dead letter #${letter.seq} has no Dlq-Subject/Dlq-Stream header; it cannot be redriven`,
    );
  }
  const headers = natsHeaders();
  for (const [key, value] of Object.entries(letter.headers))
    if (isCarriedHeader(key)) headers.set(key, value);
  headers.set('Redriven-From', `${nats.topology.streams.deadLetters.name}:${letter.seq}`);
  const ack = await nats.js.publish(letter.subject, letter.data, {
    msgID: redriveMsgId(letter),
    headers,
    expect: { streamName: letter.stream },
    timeout: 10_000,
  });
  return ack.seq;
}

async function requireStream(nats: Nats, stream: string): Promise<void> {
  try {
    await nats.jsm.streams.info(stream);
  } catch {
    throw new OpsError(
      `stream ${stream} does not exist: no service has started with NATS_PREFIX="${nats.topology.prefix}" on this server (check NATS_URL and NATS_PREFIX)`,
    );
  }
}
