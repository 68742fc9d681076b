import type {
  ConsumerEntry,
  DeadLetterTarget,
  FreeConsumer,
  InboxSpec,
  PartitionedConsumer,
  ProjectionConsumer,
} from './consumer-entry.js';
import { PARTITIONS } from './partition.js';

/** A row whose handler writes a Postgres inbox. */
type WithInbox<E extends ConsumerEntry> = E & { inbox: InboxSpec };

/** Every consumer a service creates, by owner: the one place that says how each runs. */
export interface Consumers {
  ingress: {
    deriver: ProjectionConsumer;
  };
  conversation: {
    inbound: WithInbox<PartitionedConsumer>;
    deliveries: FreeConsumer;
    statuses: FreeConsumer;
    waitlistOffers: FreeConsumer;
    scheduled: FreeConsumer;
  };
  sender: {
    commands: PartitionedConsumer;
    reads: FreeConsumer;
    statuses: FreeConsumer;
  };
  intent: {
    memory: WithInbox<ProjectionConsumer>;
  };
  reservation: {
    projector: WithInbox<ProjectionConsumer>;
    scheduled: FreeConsumer;
  };
  scheduler: {
    intake: WithInbox<ProjectionConsumer>;
  };
}

/** What the table needs from the topology: prefixed stream names and subjects. */
export interface ConsumerTableInput {
  stream: {
    whatsapp: string;
    raw: string;
    conversations: string;
    outbound: string;
    reservations: string;
    schedule: string;
  };
  /** A subject under the deployment prefix. */
  subject(subject: string): string;
  /** Topology's `dlq.<consumer>`. */
  deadLetterSubject(consumer: string): string;
}

/**
 * The wiring table. Durable names carry no prefix: a durable belongs to its stream, whose name has
 * it. The numbers are defaults; where libs/config has a variable for one (CONVERSATION_ACK_WAIT_MS,
 * SENDER_INTAKE_ACK_WAIT_MS, …), its default is read from here and the service applies it with
 * `tuned` where it starts the consumer.
 *
 * Consumers without a durable name are no rows: the ordered ones the reservation service loads
 * aggregates and follows businesses with, and the unacknowledged ephemeral ones of replays and
 * `reserveit-ops` (libs/replay/src/stream-range.ts). They keep no place and dead-letter nothing,
 * so nothing about them holds across replicas or needs tuning.
 */
export function consumerTable({ stream, subject, deadLetterSubject }: ConsumerTableInput): Consumers {
  const deadLetter = (consumer: string, redrive: DeadLetterTarget['redrive'] = { kind: 'republish' }) => ({
    consumer,
    subject: deadLetterSubject(consumer),
    redrive,
  });
  return {
    ingress: {
      deriver: {
        id: 'ingress.deriver',
        owner: 'ingress',
        ordering: 'projection',
        purpose: 'Raw webhook bodies into their events on WHATSAPP (wamid Msg-Ids), or a quarantine',
        stream: stream.raw,
        durable: 'ingress-deriver',
        filterSubject: null,
        // Whatever arrived since the last batch is derived together and its events published in
        // body order per guest; the raw bodies are acked once every event is.
        batchSize: 256,
        // Two derivers would split the raw bodies between them and could publish a guest's later
        // message first: INGRESS_DERIVER runs it on one replica (deploy/k8s: ingress-deriver).
        writers: 'one',
        ackWaitMs: 30_000,
        maxDeliver: 8,
        backoff: { baseMs: 200, maxMs: 10_000 },
        // Republished, the raw chunk is derived again; the events' Msg-Ids (wamids) dedupe it.
        deadLetter: deadLetter('ingress-deriver'),
        inbox: null,
      },
    },
    conversation: {
      inbound: {
        id: 'conversation.inbound',
        owner: 'conversation',
        ordering: 'per-conversation',
        purpose: 'Guest messages into dialogue decisions, one at a time per conversation',
        stream: stream.whatsapp,
        durablePattern: 'conversation-p{partition}',
        filterSubjectPattern: subject('wa.in.msg.{partition}.>'),
        partitions: PARTITIONS,
        keyedSubject: 'inboundMessage',
        maxAckPending: 1,
        ackWaitMs: 30_000,
        // Publishes fail while a NATS cluster elects a stream leader (seconds): 8 attempts of
        // doubling backoff (about 45 s) ride that out instead of dead-lettering a healthy message.
        maxDeliver: 8,
        backoff: { baseMs: 500, maxMs: 15_000 },
        deadLetter: deadLetter('conversation'),
        // One row per inbound wamid whichever partition consumer applied it
        // (services/conversation/src/commit-statement.ts), beside the conversation's state.
        inbox: { schema: 'conversation', consumer: 'conversation' },
      },
      deliveries: {
        id: 'conversation.deliveries',
        owner: 'conversation',
        ordering: 'free',
        purpose: "The sender's outcomes (sent with Meta's wamid, failed) into the history's delivery ticks",
        stream: stream.outbound,
        durable: 'conversation-deliveries',
        filterSubject: subject('out.evt.>'),
        maxAckPending: 256,
        // Many at once, so their upserts share statements; the two rows' writes go one statement
        // at a time (services/conversation/src/delivery-projection.ts), which keeps the pool the
        // partitions commit through free.
        concurrency: 64,
        ackWaitMs: 30_000,
        maxDeliver: 20,
        backoff: { baseMs: 200, maxMs: 30_000 },
        deadLetter: deadLetter('conversation-deliveries'),
        // A monotonic upsert (the furthest status wins): applying an outcome again changes nothing.
        inbox: null,
      },
      statuses: {
        id: 'conversation.statuses',
        owner: 'conversation',
        ordering: 'free',
        purpose: "Meta's status webhooks into the history's delivery ticks; the furthest status wins",
        stream: stream.whatsapp,
        durable: 'conversation-statuses',
        filterSubject: subject('wa.in.status.>'),
        maxAckPending: 256,
        // As conversation.deliveries: the upserts share statements.
        concurrency: 64,
        ackWaitMs: 30_000,
        maxDeliver: 20,
        backoff: { baseMs: 200, maxMs: 30_000 },
        deadLetter: deadLetter('conversation-statuses'),
        inbox: null,
      },
      waitlistOffers: {
        id: 'conversation.waitlistOffers',
        owner: 'conversation',
        ordering: 'free',
        purpose:
          'Tables offered from a waitlist, and bookings marked no-show (when the restaurant asks for a word to the guest), sent to the guest',
        stream: stream.reservations,
        durable: 'conversation-waitlist-offers',
        // Every day event passes (no filter by type on 2.9); all but waitlist.offered and
        // reservation.no_show are acked unread.
        filterSubject: subject('rsv.day.>'),
        maxAckPending: 64,
        concurrency: 2,
        ackWaitMs: 30_000,
        maxDeliver: 20,
        backoff: { baseMs: 200, maxMs: 30_000 },
        deadLetter: deadLetter('conversation-waitlist-offers', {
          kind: 'none',
          reason:
            'an offer holds its table for minutes only: by now it has expired and the table went to the next party; a no-show word this late is no longer polite',
        }),
        // The event's id names the staff-like action (pipeline actionIdOf): a repeat is a no-op.
        inbox: null,
      },
      scheduled: {
        id: 'conversation.scheduled',
        owner: 'conversation',
        ordering: 'free',
        purpose: "The scheduler's due work (reminders, feedback requests) into the guest's conversation",
        stream: stream.schedule,
        durable: 'conversation-scheduled',
        filterSubject: subject('sched.due.>'),
        // A reminder is a decision of its conversation (load, decide, commit against its version,
        // as a staff action is): reminders of different guests go side by side.
        maxAckPending: 64,
        concurrency: 4,
        ackWaitMs: 30_000,
        maxDeliver: 20,
        backoff: { baseMs: 500, maxMs: 30_000 },
        deadLetter: deadLetter('conversation-scheduled'),
        // No inbox of its own: the work's id (`<job key>@<due>`) is the decision's cause, and the
        // commit writes its row into `conversation.inbound`'s inbox, as for a staff action
        // (services/conversation/src/commit-statement.ts), so a repeat decides nothing.
        inbox: null,
      },
    },
    sender: {
      commands: {
        id: 'sender.commands',
        owner: 'sender',
        ordering: 'per-conversation',
        purpose: "Reply commands into the sender's outbox, in order per guest",
        stream: stream.outbound,
        durablePattern: 'sender-commands-{partition}',
        filterSubjectPattern: subject('out.cmd.{partition}.>'),
        partitions: PARTITIONS,
        keyedSubject: 'outboundCommand',
        maxAckPending: 1,
        ackWaitMs: 30_000,
        // Recording is one insert: failures mean Postgres is away, and 150 attempts at up to 30 s
        // apart wait about an hour for it before a command is given up.
        maxDeliver: 150,
        backoff: { baseMs: 200, maxMs: 30_000 },
        // Exhausted sends are dead-lettered under the same name (services/sender/src/outcome-events.ts).
        deadLetter: deadLetter('sender'),
        // The outbox's primary key (the command's dedupe key) makes a repeat a no-op instead.
        inbox: null,
        // Before partitions every command went through this one durable (filter `out.cmd.>`):
        // commands published then (`out.cmd.<pnid>.<guest>`) match no partition filter.
        retired: { durable: 'sender-commands', filterSubject: subject('out.cmd.*.*') },
      },
      reads: {
        id: 'sender.reads',
        owner: 'sender',
        ordering: 'free',
        purpose: 'Read receipts straight to the Graph API; marking a message read twice changes nothing',
        stream: stream.outbound,
        durable: 'sender-reads',
        filterSubject: subject('out.read.>'),
        // The Graph API calls read receipts share with the replies' (libs/config/src/sender.ts:
        // SENDER_CONCURRENCY, SENDER_MAX_ATTEMPTS, SENDER_RETRY_BASE_MS, SENDER_RETRY_MAX_MS).
        maxAckPending: 128,
        concurrency: 128,
        ackWaitMs: 30_000,
        maxDeliver: 6,
        backoff: { baseMs: 1_000, maxMs: 5 * 60_000 },
        deadLetter: deadLetter('sender-reads'),
        inbox: null,
      },
      statuses: {
        id: 'sender.statuses',
        owner: 'sender',
        ordering: 'free',
        purpose: 'Delivery statuses into sender.statuses; the furthest status wins, so order does not matter',
        stream: stream.whatsapp,
        durable: 'sender-statuses',
        filterSubject: subject('wa.in.status.>'),
        maxAckPending: 256,
        // Pulled ahead in hundreds, handled one at a time: a status costs a statement or two, and
        // each process's pool is shared with its dispatcher.
        concurrency: 1,
        ackWaitMs: 30_000,
        maxDeliver: 20,
        backoff: { baseMs: 200, maxMs: 30_000 },
        deadLetter: deadLetter('sender-statuses'),
        // A monotonic upsert: applying a status again changes nothing.
        inbox: null,
      },
    },
    intent: {
      memory: {
        id: 'intent.memory',
        owner: 'intent',
        ordering: 'projection',
        purpose: "Conversation turns into the intent model's memory",
        stream: stream.conversations,
        durable: 'intent-memory',
        // Decisions carry their turns among their other events (conversationEventsOf).
        filterSubject: subject('conv.>'),
        // A guest message makes one decision of two turns or more: one at a time cost ten
        // statements each.
        batchSize: 256,
        writers: 'any',
        ackWaitMs: 30_000,
        maxDeliver: 5,
        backoff: { baseMs: 200, maxMs: 10_000 },
        deadLetter: deadLetter('intent-memory', { kind: 'replay', projection: 'intent-memory' }),
        inbox: { schema: 'intent', consumer: 'intent-memory' },
      },
    },
    reservation: {
      projector: {
        id: 'reservation.projector',
        owner: 'reservation',
        ordering: 'projection',
        purpose: 'Reservation events into the reservation schema read by the API',
        stream: stream.reservations,
        durable: 'reservation-projector',
        filterSubject: null,
        // Catching up after a burst costs one commit per batch, not per event.
        batchSize: 256,
        // RESERVATION_PROJECTOR runs it on one replica (deploy/k8s: its own Deployment, Recreate).
        writers: 'one',
        ackWaitMs: 30_000,
        maxDeliver: 8,
        backoff: { baseMs: 200, maxMs: 10_000 },
        deadLetter: deadLetter('reservation-projector', { kind: 'replay', projection: 'reservation' }),
        inbox: { schema: 'reservation', consumer: 'reservation-projector' },
      },
      scheduled: {
        id: 'reservation.scheduled',
        owner: 'reservation',
        ordering: 'free',
        purpose: "The scheduler's no-show checks, decided on the booking's day aggregate",
        stream: stream.schedule,
        durable: 'reservation-scheduled',
        filterSubject: subject('sched.due.>'),
        maxAckPending: 64,
        concurrency: 4,
        ackWaitMs: 30_000,
        maxDeliver: 20,
        backoff: { baseMs: 500, maxMs: 30_000 },
        deadLetter: deadLetter('reservation-scheduled'),
        // The day decider makes a repeat a no-op (a booking flagged or marked once stays so).
        inbox: null,
      },
    },
    scheduler: {
      intake: {
        id: 'scheduler.intake',
        owner: 'scheduler',
        ordering: 'projection',
        purpose: 'Bookings and business settings into the jobs they plan: put, moved or dropped',
        stream: stream.reservations,
        durable: 'scheduler-intake',
        filterSubject: null,
        batchSize: 256,
        // A booking's jobs are folded from its events in order (a modification after its creation):
        // SCHEDULER_INTAKE runs it on one replica, every replica runs the jobs.
        writers: 'one',
        ackWaitMs: 30_000,
        maxDeliver: 8,
        backoff: { baseMs: 200, maxMs: 10_000 },
        deadLetter: deadLetter('scheduler-intake', { kind: 'replay', projection: 'scheduler' }),
        inbox: { schema: 'scheduler', consumer: 'scheduler-intake' },
      },
    },
  };
}

/** The table's rows one after the other, in the order above. */
export const consumerEntries = (consumers: Consumers): ConsumerEntry[] =>
  Object.values(consumers).flatMap((owned: Record<string, ConsumerEntry>) => Object.values(owned));
