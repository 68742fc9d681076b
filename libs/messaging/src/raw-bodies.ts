import {
  JetStreamApiCodes,
  JetStreamApiError,
  type JetStreamClient,
  type JetStreamManager,
} from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { DEFAULT_MAX_PAYLOAD, HEADER_ROOM_BYTES, type Topology } from '@reserveit/contracts';
import { publish } from './publish.js';

/** How many chunks a body was split into; only bodies of more than one carry it (absent: 1). */
const CHUNKS_HEADER = 'Raw-Chunks';
/**
 * When ingress received the body (ISO 8601), on bodies stored before the stream's own timestamp
 * took its place: with Raw-Chunks it had nats.js build and encode three headers per webhook
 * rather than the Msg-Id alone, about 3 µs more CPU each on two loaded cores (issue 19).
 */
const RECEIVED_AT_HEADER = 'Raw-Received-At';

/** One chunk as a consumer of the raw stream holds it (a JsMsg). */
export interface RawChunkMessage {
  seq: number;
  data: Uint8Array;
  headers?: { get(key: string): string } | undefined;
  /** When JetStream stored the chunk. */
  time: Date;
}

/** A raw body put back together, with when it arrived. */
export interface RawBody {
  rawId: string;
  body: Buffer;
  /**
   * When JetStream stored the chunk that completed it, which is when ingress received it plus the
   * verification and the publish (milliseconds); the Raw-Received-At header for older bodies.
   */
  receivedAt: Date;
}

/**
 * Keeps webhook bodies byte for byte (the signature covers the exact bytes) under their sha256,
 * for audit and for re-deriving events after a parser fix. A body is one message when it fits the
 * server's max_payload and several chunks when it does not; the Msg-Id makes a redelivered body
 * a no-op inside the duplicate window.
 */
export class RawBodies {
  constructor(
    private readonly nc: NatsConnection,
    private readonly js: JetStreamClient,
    private readonly jsm: JetStreamManager,
    private readonly topology: Topology,
  ) {}

  /**
   * Resolves once JetStream acknowledged every chunk: true when every one was a duplicate (the
   * same body stored earlier inside the duplicate window, as Meta's retries are). Rejects within
   * `timeoutMs` otherwise: every chunk's publish is sent at once, in this call, each with the NATS
   * client's own request timer of `timeoutMs`.
   */
  async put(rawId: string, body: Buffer, timeoutMs: number): Promise<boolean> {
    const maxPayload = this.nc.info?.max_payload ?? DEFAULT_MAX_PAYLOAD;
    // Room left in each chunk for the headers (trace context, ids) under the server's max_payload.
    const chunkSize = Math.max(HEADER_ROOM_BYTES, maxPayload - HEADER_ROOM_BYTES);
    const count = Math.max(1, Math.ceil(body.length / chunkSize));
    // Nearly every webhook is one chunk: it goes with the Msg-Id alone (every header is encoded
    // on each publish).
    const headers = count === 1 ? undefined : { [CHUNKS_HEADER]: String(count) };
    const chunk = (index: number) =>
      publish(this.js, {
        subject: this.topology.subjects.rawBodyChunk(rawId, index),
        msgId: `${rawId}:${index}`,
        data: count === 1 ? body : body.subarray(index * chunkSize, (index + 1) * chunkSize),
        headers,
        timeoutMs,
      });
    // And it skips the array and Promise.all on ingress's hot path.
    if (count === 1) return (await chunk(0)).duplicate;
    const acks = await Promise.all(Array.from({ length: count }, (_, index) => chunk(index)));
    return acks.every((ack) => ack.duplicate);
  }

  /**
   * The body a consumed chunk completes: the chunk itself when the body is one, else every chunk
   * read back, but only for the one stored last (chunks are published side by side, in any
   * order), so a body is handed over once per delivery of its chunks. Undefined for the others.
   */
  async completedBy(message: RawChunkMessage): Promise<RawBody | undefined> {
    const msgId = message.headers?.get('Nats-Msg-Id') ?? '';
    const rawId = msgId.slice(0, msgId.lastIndexOf(':'));
    if (!rawId) throw new Error(`a raw body chunk without a <rawId>:<index> Msg-Id (seq ${message.seq})`);
    const stamped = new Date(message.headers?.get(RECEIVED_AT_HEADER) ?? '');
    const receivedAt = Number.isNaN(stamped.getTime()) ? message.time : stamped;
    if (Number(message.headers?.get(CHUNKS_HEADER) || '1') === 1) {
      return { rawId, body: Buffer.from(message.data), receivedAt };
    }
    const chunks = await this.chunks(rawId);
    if (!chunks || Math.max(...chunks.map((chunk) => chunk.seq)) !== message.seq) return undefined;
    return { rawId, body: Buffer.concat(chunks.map((chunk) => chunk.data)), receivedAt };
  }

  /** The stored body, or undefined when no chunk of it is in the stream. */
  async get(rawId: string): Promise<Buffer | undefined> {
    const chunks = await this.chunks(rawId);
    return chunks && Buffer.concat(chunks.map((chunk) => chunk.data));
  }

  /** Every chunk of a body in order, or undefined when one is not in the stream. */
  private async chunks(rawId: string): Promise<{ seq: number; data: Buffer }[] | undefined> {
    const stream = this.topology.streams.raw.name;
    const chunks: { seq: number; data: Buffer }[] = [];
    let count = 1;
    for (let index = 0; index < count; index++) {
      try {
        const message = await this.jsm.streams.getMessage(stream, {
          last_by_subj: this.topology.subjects.rawBodyChunk(rawId, index),
        });
        if (!message) return undefined;
        count = Number(message.header.get(CHUNKS_HEADER) || '1');
        chunks.push({ seq: message.seq, data: Buffer.from(message.data) });
      } catch (error) {
        if (error instanceof JetStreamApiError && error.code === JetStreamApiCodes.NoMessageFound)
          return undefined;
        throw error;
      }
    }
    return chunks;
  }
}
