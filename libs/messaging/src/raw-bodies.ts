import {
  JetStreamApiCodes,
  JetStreamApiError,
  type JetStreamClient,
  type JetStreamManager,
} from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { DEFAULT_MAX_PAYLOAD, HEADER_ROOM_BYTES, type Topology } from '@reserveit/contracts';
import { publish } from './publish.js';

const CHUNKS_HEADER = 'Raw-Chunks';

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

  async put(rawId: string, body: Buffer, timeoutMs: number): Promise<void> {
    const maxPayload = this.nc.info?.max_payload ?? DEFAULT_MAX_PAYLOAD;
    // Room left in each chunk for the headers (trace context, ids) under the server's max_payload.
    const chunkSize = Math.max(HEADER_ROOM_BYTES, maxPayload - HEADER_ROOM_BYTES);
    const count = Math.max(1, Math.ceil(body.length / chunkSize));
    await Promise.all(
      Array.from({ length: count }, (_, index) =>
        publish(this.js, {
          subject: this.topology.subjects.rawBodyChunk(rawId, index),
          msgId: `${rawId}:${index}`,
          data: body.subarray(index * chunkSize, (index + 1) * chunkSize),
          headers: { [CHUNKS_HEADER]: String(count) },
          timeoutMs,
        }),
      ),
    );
  }

  /** The stored body, or undefined when no chunk of it is in the stream. */
  async get(rawId: string): Promise<Buffer | undefined> {
    const stream = this.topology.streams.raw.name;
    const chunks: Buffer[] = [];
    let count = 1;
    for (let index = 0; index < count; index++) {
      try {
        const message = await this.jsm.streams.getMessage(stream, {
          last_by_subj: this.topology.subjects.rawBodyChunk(rawId, index),
        });
        if (!message) return undefined;
        count = Number(message.header.get(CHUNKS_HEADER) || '1');
        chunks.push(Buffer.from(message.data));
      } catch (error) {
        if (error instanceof JetStreamApiError && error.code === JetStreamApiCodes.NoMessageFound)
          return undefined;
        throw error;
      }
    }
    return Buffer.concat(chunks);
  }
}
