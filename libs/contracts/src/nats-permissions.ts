import { type ConsumerEntry, durablesOf } from './consumer-entry.js';
import { consumerEntries } from './consumers.js';
import { NATS_USERS, type NatsUser, natsAccess, natsInboxPrefix, type StreamKey } from './nats-access.js';
import type { Topology } from './topology.js';

/**
 * Each NATS user's publish and subscribe allow-lists, derived from the wiring table (consumers.ts)
 * and the "who publishes what" table (nats-access.ts); render.ts in deploy writes them as
 * nats-server `authorization` users. Subjects of the JetStream API as nats.js 3 sends them to
 * nats-server 2.9 (its jsmconsumer_api.js, jsmstream_api.js, consumer.js):
 * - `$JS.API.STREAM.{INFO,CREATE,UPDATE,MSG.GET,MSG.DELETE}.<stream>`
 * - `$JS.API.CONSUMER.CREATE.<stream>.<name>[.<filter>]` (durables and named ephemerals: the filter
 *   subject rides as extra tokens), `$JS.API.CONSUMER.CREATE.<stream>` (an ephemeral without a
 *   name), `$JS.API.CONSUMER.DURABLE.CREATE.<stream>.<durable>` (older clients)
 * - `$JS.API.CONSUMER.{INFO,MSG.NEXT,DELETE}.<stream>.<name>`, `$JS.API.CONSUMER.LIST.<stream>`
 * - acknowledgements on `$JS.ACK.<stream>.<consumer>.>`
 * Replies (API answers, pulled messages) come to the user's own inbox prefix, the only subject
 * it may subscribe to.
 */
export interface NatsPermissions {
  publish: { allow: string[]; deny: string[] };
  subscribe: { allow: string[] };
}

const API = '$JS.API';

/** Creating, pulling from, acknowledging and deleting one named consumer. */
const consumerUse = (stream: string, name: string) => [
  `${API}.CONSUMER.CREATE.${stream}.${name}`,
  `${API}.CONSUMER.CREATE.${stream}.${name}.>`,
  `${API}.CONSUMER.DURABLE.CREATE.${stream}.${name}`,
  `${API}.CONSUMER.MSG.NEXT.${stream}.${name}`,
  `$JS.ACK.${stream}.${name}.>`,
];

/** Any consumer without a durable of the table: ordered and ephemeral ones (their names are random). */
const anonymousReads = (stream: string) => [
  `${API}.STREAM.INFO.${stream}`,
  `${API}.STREAM.MSG.GET.${stream}`,
  `${API}.CONSUMER.CREATE.${stream}`,
  `${API}.CONSUMER.CREATE.${stream}.*`,
  `${API}.CONSUMER.CREATE.${stream}.*.>`,
  `${API}.CONSUMER.INFO.${stream}.*`,
  `${API}.CONSUMER.MSG.NEXT.${stream}.*`,
  `${API}.CONSUMER.DELETE.${stream}.*`,
];

const unique = (subjects: string[]) => [...new Set(subjects)];

/** Every user's permissions for the deployment of `topology` (its prefix). */
export function natsPermissions(topology: Topology): Record<NatsUser, NatsPermissions> {
  const access = natsAccess(topology);
  const rows = consumerEntries(topology.consumers);
  const streamName = (key: StreamKey) => topology.streams[key].name;
  // `ops dlq redrive` puts a dead letter back on its subject, which its row's filter matched.
  const redriveSubjects = unique(
    rows
      .filter((row) => row.deadLetter.redrive.kind === 'republish')
      .flatMap((row) => filtersOf(row, topology.streams)),
  );

  const permissionsOf = (user: NatsUser): NatsPermissions => {
    const own = access[user];
    const owned = rows.filter((row) => row.owner === user);
    const allow = [
      `${API}.INFO`,
      ...own.publishes,
      ...(own.redrives ? redriveSubjects : []),
      ...own.ensures.flatMap((key) =>
        ['INFO', 'CREATE', 'UPDATE'].map((verb) => `${API}.STREAM.${verb}.${streamName(key)}`),
      ),
      ...own.reads.flatMap((key) => anonymousReads(streamName(key))),
      ...(own.inspects
        ? Object.values(topology.streams).flatMap((spec) => [
            `${API}.CONSUMER.LIST.${spec.name}`,
            `${API}.CONSUMER.INFO.${spec.name}.*`,
          ])
        : []),
      ...own.deletesMessagesOf.map((key) => `${API}.STREAM.MSG.DELETE.${streamName(key)}`),
      ...owned.flatMap((row) => ownedConsumer(row)),
    ];
    // Reading a stream anonymously must not reach another user's durables on it: the wildcards
    // above would let it create one under that name, pull its messages or ack them.
    const readStreams = new Set(own.reads.map(streamName));
    const deny = rows
      .filter((row) => row.owner !== user && readStreams.has(row.stream))
      .flatMap((row) =>
        durablesOf(row).flatMap((durable) => [
          ...consumerUse(row.stream, durable),
          `${API}.CONSUMER.DELETE.${row.stream}.${durable}`,
        ]),
      );
    return {
      publish: { allow: unique(allow), deny: unique(deny) },
      subscribe: { allow: [`${natsInboxPrefix(user, topology.prefix)}.>`] },
    };
  };
  return Object.fromEntries(NATS_USERS.map((user) => [user, permissionsOf(user)])) as Record<
    NatsUser,
    NatsPermissions
  >;
}

/** The subjects a row reads: its filter (every partition's), or its whole stream's. */
function filtersOf(row: ConsumerEntry, streams: Topology['streams']): string[] {
  if (row.ordering === 'per-conversation') {
    const partitions = row.filterSubjectPattern.replace('{partition}', '*');
    return row.retired ? [partitions, row.retired.filterSubject] : [partitions];
  }
  if (row.filterSubject) return [row.filterSubject];
  return Object.values(streams).find((spec) => spec.name === row.stream)?.subjects ?? [];
}

/** A row's durables for its owner: create or update, info, pull, ack; a retired one also deleted. */
function ownedConsumer(row: ConsumerEntry): string[] {
  const retired = row.ordering === 'per-conversation' ? row.retired?.durable : undefined;
  return [
    ...durablesOf(row).flatMap((durable) => [
      ...consumerUse(row.stream, durable),
      `${API}.CONSUMER.INFO.${row.stream}.${durable}`,
    ]),
    ...(retired ? [`${API}.CONSUMER.DELETE.${row.stream}.${retired}`] : []),
    row.deadLetter.subject,
  ];
}
