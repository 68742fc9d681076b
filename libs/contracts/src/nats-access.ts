import type { Topology } from './topology.js';

/**
 * What each process does with JetStream apart from its rows of the wiring table (consumers.ts):
 * the streams it creates or updates at start (ensureStream), the subjects it publishes on, and the
 * streams it reads without a durable of its own (ordered consumers, message gets, the unacknowledged
 * ephemeral consumers of replays). nats-permissions.ts turns this and the wiring table into each
 * NATS user's allow-lists, so keep it in step with the code named in each line.
 */

/** The NATS users: one per service, and `ops` for reserveit-ops and the replay entries it runs. */
export const NATS_USERS = [
  'ingress',
  'conversation',
  'intent',
  'reservation',
  'sender',
  'scheduler',
  'console',
  'ops',
] as const;
export type NatsUser = (typeof NATS_USERS)[number];

export type StreamKey = keyof Topology['streams'];

export interface NatsAccess {
  /** Streams it runs ensureStream on at start (services/<name>/src/server.ts). */
  ensures: readonly StreamKey[];
  /** Subjects it publishes on (JetStream publishes), besides its rows' dead-letter subjects. */
  publishes: readonly string[];
  /** Streams it reads without a durable: message gets, ordered and ephemeral consumers. */
  reads: readonly StreamKey[];
  /** Admin reads: consumer lists, any consumer's info (`reserveit-ops streams`, `replay`). */
  inspects: boolean;
  /** Streams whose messages it deletes one by one (`reserveit-ops dlq` after a redrive). */
  deletesMessagesOf: readonly StreamKey[];
  /**
   * Puts dead letters back where their row read them (`reserveit-ops dlq redrive`): the subjects
   * of the rows redriven by republishing, which nats-permissions.ts takes from the wiring table.
   */
  redrives: boolean;
}

/** The "who publishes what" table. */
export function natsAccess(topology: Topology): Readonly<Record<NatsUser, NatsAccess>> {
  const { streams, subjects } = topology;
  const none = { reads: [], inspects: false, deletesMessagesOf: [], redrives: false } as const;
  return {
    // services/ingress/src/nats-sink.ts: raw body chunks; deriver.ts: their events, reading a
    // chunked body's other chunks by message get.
    ingress: {
      ...none,
      ensures: ['whatsapp', 'raw', 'deadLetters'],
      publishes: [...streams.whatsapp.subjects, ...streams.raw.subjects],
      reads: ['raw'],
    },
    // services/conversation/src/outbox-relay.ts (outbox-rows.ts, outbound-commands.ts): decisions,
    // reply commands and read receipts.
    conversation: {
      ...none,
      // RESERVATIONS too: its waitlist-offer consumer reads it, whichever service starts first.
      ensures: ['whatsapp', 'conversations', 'outbound', 'reservations', 'schedule', 'deadLetters'],
      publishes: [subjects.conversationEventAll, subjects.outboundCommandAll, subjects.outboundReadAll],
    },
    intent: { ...none, ensures: ['conversations'], publishes: [] },
    // services/reservation/src/store/event-store.ts: appends, message gets and ordered reads of
    // aggregates; business-directory.ts and projection/projector.ts follow with ordered consumers.
    reservation: {
      ...none,
      ensures: ['reservations', 'schedule', 'deadLetters'],
      publishes: [...streams.reservations.subjects],
      reads: ['reservations'],
    },
    // services/sender/src/outcome-events.ts: what became of each send; read-along.ts: a read
    // receipt a reply carried that the Graph API did not take, for sender.reads to repeat;
    // command-intake.ts reads the commands its retired durable still holds by message get.
    sender: {
      ...none,
      ensures: ['outbound', 'whatsapp', 'deadLetters'],
      publishes: [subjects.outboundEventAll, subjects.outboundReadAll],
      reads: ['outbound'],
    },
    // services/scheduler/src/due-work.ts: work that came due.
    scheduler: {
      ...none,
      ensures: ['reservations', 'schedule', 'deadLetters'],
      publishes: [subjects.workDueAll],
    },
    // services/console/src/live/live-feed.ts: ordered consumers on four streams; publishes nothing.
    console: {
      ...none,
      ensures: ['conversations', 'reservations', 'outbound', 'whatsapp'],
      publishes: [],
      reads: ['conversations', 'reservations', 'outbound', 'whatsapp'],
    },
    // services/ops: streams, dlq (list, show, redrive, delete), trace, replay (libs/replay).
    ops: {
      ensures: [],
      publishes: [],
      reads: Object.keys(streams) as StreamKey[],
      inspects: true,
      deletesMessagesOf: ['deadLetters'],
      redrives: true,
    },
  };
}

/**
 * Where a user's replies arrive (nats.js `inboxPrefix`): its own, so that its subscribe allow-list
 * can hold it alone and no user reads another's replies (JetStream API answers, pulled messages).
 */
export function natsInboxPrefix(user: NatsUser, prefix = ''): string {
  return prefix ? `_INBOX_${prefix}.${user}` : `_INBOX.${user}`;
}
