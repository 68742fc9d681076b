import { JetStreamApiCodes, JetStreamApiError, type JetStreamManager } from '@nats-io/jetstream';
import { consumerEntries, durablesOf, type OrderingClass, type Topology } from '@reserveit/contracts';

/** Which row of the wiring table (libs/contracts/src/consumers.ts) a consumer is. */
export interface WiringRow {
  /** The row's id, e.g. `conversation.inbound`. */
  row: string;
  owner: string;
  ordering: OrderingClass;
  /** The single durable earlier versions ran instead of the row's partitions. */
  retired: boolean;
}

export interface ConsumerReport {
  name: string;
  filter: string;
  /** Null for a consumer the table does not name (made by hand, or by an older version). */
  wiring: WiringRow | null;
  /** Messages not yet delivered to it (num_pending): its lag. */
  pending: number;
  /** Delivered, not yet acknowledged. */
  ackPending: number;
  redelivered: number;
  /** Pull requests waiting: > 0 means someone is consuming right now. */
  waiting: number;
  lastActive: string | null;
}

export interface StreamReport {
  name: string;
  exists: boolean;
  messages: number;
  bytes: number;
  firstSeq: number;
  lastSeq: number;
  lastMessageAt: string | null;
  consumers: ConsumerReport[];
}

/**
 * An instant from the server: ISO text (what nats-server sends for `last_active` and `last_ts`,
 * though the client types `last_active` as nanos) or nanos; Go's zero time means never.
 */
const isoOrNull = (value: unknown): string | null => {
  if (typeof value === 'number') return value > 0 ? new Date(value / 1e6).toISOString() : null;
  if (typeof value !== 'string' || !value || value.startsWith('0001-01-01')) return null;
  return value;
};

/** The later of two ISO instants (either may be missing). */
const latest = (a: string | null, b: string | null) => (!a ? b : !b ? a : a > b ? a : b);

/** Every durable the wiring table names, by `<stream>/<durable>`. */
export function wiringRows(topology: Topology): Map<string, WiringRow> {
  const rows = new Map<string, WiringRow>();
  for (const entry of consumerEntries(topology.consumers)) {
    const retired = entry.ordering === 'per-conversation' ? entry.retired?.durable : undefined;
    for (const durable of durablesOf(entry)) {
      rows.set(`${entry.stream}/${durable}`, {
        row: entry.id,
        owner: entry.owner,
        ordering: entry.ordering,
        retired: durable === retired,
      });
    }
  }
  return rows;
}

/** Every stream of the deployment's topology (its prefix) with its consumers. */
export async function collectStreams(jsm: JetStreamManager, topology: Topology): Promise<StreamReport[]> {
  const wiring = wiringRows(topology);
  const reports: StreamReport[] = [];
  for (const spec of Object.values(topology.streams)) {
    let info: Awaited<ReturnType<JetStreamManager['streams']['info']>>;
    try {
      info = await jsm.streams.info(spec.name);
    } catch (error) {
      if (error instanceof JetStreamApiError && error.code === JetStreamApiCodes.StreamNotFound) {
        reports.push({
          name: spec.name,
          exists: false,
          messages: 0,
          bytes: 0,
          firstSeq: 0,
          lastSeq: 0,
          lastMessageAt: null,
          consumers: [],
        });
        continue;
      }
      throw error;
    }
    const consumers: ConsumerReport[] = [];
    for await (const consumer of jsm.consumers.list(spec.name)) {
      consumers.push({
        name: consumer.name,
        filter: consumer.config.filter_subject ?? '',
        wiring: wiring.get(`${spec.name}/${consumer.name}`) ?? null,
        pending: consumer.num_pending,
        ackPending: consumer.num_ack_pending,
        redelivered: consumer.num_redelivered,
        waiting: consumer.num_waiting,
        lastActive: latest(
          isoOrNull(consumer.delivered.last_active),
          isoOrNull(consumer.ack_floor.last_active),
        ),
      });
    }
    consumers.sort((a, b) => a.name.localeCompare(b.name, 'en', { numeric: true }));
    reports.push({
      name: spec.name,
      exists: true,
      messages: info.state.messages,
      bytes: info.state.bytes,
      firstSeq: info.state.first_seq,
      lastSeq: info.state.last_seq,
      lastMessageAt: isoOrNull(info.state.last_ts),
      consumers,
    });
  }
  return reports;
}

/** Consumers whose lag is above the threshold, as `STREAM/consumer`. */
export function laggingConsumers(reports: readonly StreamReport[], maxLag: number): string[] {
  return reports.flatMap((stream) =>
    stream.consumers.filter((c) => c.pending > maxLag).map((c) => `${stream.name}/${c.name} (${c.pending})`),
  );
}
