import { type Consumers, consumerTable } from './consumers.js';
import { partitionOf } from './partition.js';
import { toSubjectToken } from './subject-token.js';

/**
 * The JetStream shape of the system, in plain data so the contracts package needs no NATS client:
 * streams, subjects and every consumer (consumers.ts). libs/messaging turns a StreamSpec into a
 * server StreamConfig and runs a consumer row with the helper of its ordering class. Everything
 * works on nats-server 2.9, which Debian ships and the tests run: no subject transforms, one
 * filter subject per consumer.
 */
export interface StreamSpec {
  name: string;
  subjects: string[];
  /** Event stores are append-only: deny_delete and deny_purge. */
  appendOnly: boolean;
  /** Seconds the server remembers a Nats-Msg-Id; Meta retries for days, so Postgres keeps the rest. */
  duplicateWindowSeconds: number;
  description: string;
}

export interface Topology {
  prefix: string;
  /**
   * Every consumer the services create, with its durable name(s), filter, ordering class, AckWait,
   * attempts, backoff, dead-letter subject and inbox: the wiring table (consumers.ts).
   */
  consumers: Consumers;
  streams: {
    whatsapp: StreamSpec;
    raw: StreamSpec;
    deadLetters: StreamSpec;
    reservations: StreamSpec;
    conversations: StreamSpec;
    outbound: StreamSpec;
    schedule: StreamSpec;
  };
  subjects: {
    inboundMessage(phoneNumberId: string, guestId: string): string;
    /** Filter for one partition's consumer: every inbound message of the conversations in it. */
    inboundMessagePartition(partition: number): string;
    inboundStatus(phoneNumberId: string, recipientId: string): string;
    inboundStatusAll: string;
    webhookError(phoneNumberId: string): string;
    webhookChange(field: string): string;
    quarantine: string;
    /** Raw bodies are split into chunks that fit the server's max_payload (1 MB by default; bodies reach 3 MB). */
    rawBodyChunk(rawId: string, index: number): string;
    /** Where a consumer puts what failed every attempt; `ops dlq` reads and redrives it. */
    deadLetter(consumer: string): string;
    deadLetterAll: string;
    /** One reservation aggregate: a business's bookings of one service date (YYYY-MM-DD, business-local). */
    reservationDay(businessId: string, serviceDate: string): string;
    /** One business aggregate: profile, opening hours and menu. */
    reservationBusiness(businessId: string): string;
    reservationBusinessAll: string;
    /**
     * Events of one conversation: each decision whole (its turns, intent, replies, notes and state),
     * an unknown business; the id is opaque, never a phone number.
     */
    conversationEvent(conversationId: string): string;
    /**
     * Where a conversation's turns went while they were published one by one, apart from its other
     * events; streams keep them, and readers of CONVERSATIONS still take them.
     */
    conversationTurn(conversationId: string): string;
    /** Everything on CONVERSATIONS, turns included, in stream order. */
    conversationEventAll: string;
    /**
     * A reply to send, keyed by guest so one guest's replies go out in order; Msg-Id = dedupe key.
     * `out.cmd.<partition>.<pnid>.<guest>`, the partition as for inbound messages (partitionOf).
     */
    outboundCommand(phoneNumberId: string, guestId: string): string;
    /** Filter for one partition's sender intake consumer: every command of the guests in it. */
    outboundCommandPartition(partition: number): string;
    outboundCommandAll: string;
    /**
     * Commands published before the partition token (`out.cmd.<pnid>.<guest>`): only the sender's
     * upgrade from its single intake consumer reads them.
     */
    outboundCommandUnpartitioned: string;
    /**
     * A mark-as-read (a send command of kind `read`): apart from the replies, as it needs neither
     * their order nor their outbox (repeating it changes nothing at Meta), and so neither a guest
     * nor a partition token.
     */
    outboundRead(phoneNumberId: string): string;
    outboundReadAll: string;
    /** What became of a send: sent (with Meta's wamid), failed (with the code), delivery status. */
    outboundEvent(phoneNumberId: string): string;
    outboundEventAll: string;
    /** Scheduled work of one business that came due (libs/contracts/src/scheduled-work.ts). */
    workDue(businessId: string): string;
    workDueAll: string;
  };
}

export interface TopologyOptions {
  /**
   * Nats-Msg-Id window of every stream; default 120 s. Shorter only in tests that prove dedupe past
   * the window (Postgres catches what the window no longer does).
   */
  duplicateWindowSeconds?: number;
}

/**
 * `prefix` isolates a test run or a tenant of the NATS account: streams become `<prefix>_NAME`
 * and subjects `<prefix>.…`. The empty prefix is production.
 */
export function topology(prefix = '', options: TopologyOptions = {}): Topology {
  if (prefix && !/^[A-Za-z0-9_-]+$/.test(prefix)) {
    throw new Error(`NATS prefix "${prefix}" may only contain letters, digits, "_" and "-"`);
  }
  const s = (subject: string) => (prefix ? `${prefix}.${subject}` : subject);
  const name = (stream: string) => (prefix ? `${prefix}_${stream}` : stream);
  const duplicateWindowSeconds = options.duplicateWindowSeconds ?? 120;
  const streams: Topology['streams'] = {
    whatsapp: {
      name: name('WHATSAPP'),
      subjects: [s('wa.in.>')],
      appendOnly: true,
      duplicateWindowSeconds,
      description: 'Every verified WhatsApp webhook item, one immutable event each',
    },
    raw: {
      name: name('WHATSAPP_RAW'),
      subjects: [s('wa.raw.>')],
      appendOnly: true,
      duplicateWindowSeconds,
      description: 'Raw webhook bodies by sha256, for audit and re-derivation',
    },
    deadLetters: {
      name: name('DEADLETTERS'),
      subjects: [s('dlq.>')],
      // Redriven and purged by ops, so not append-only.
      appendOnly: false,
      duplicateWindowSeconds,
      description: 'Messages a consumer gave up on, with the error and where they came from',
    },
    reservations: {
      name: name('RESERVATIONS'),
      subjects: [s('rsv.>')],
      appendOnly: true,
      duplicateWindowSeconds,
      description: "Businesses, menus and bookings: the reservation service's event store",
    },
    conversations: {
      name: name('CONVERSATIONS'),
      subjects: [s('conv.>')],
      appendOnly: true,
      duplicateWindowSeconds,
      description: 'Conversation turns, intents, dialogue state changes and handoffs',
    },
    outbound: {
      name: name('OUTBOUND'),
      subjects: [s('out.>')],
      appendOnly: true,
      duplicateWindowSeconds,
      description: 'Replies requested by the conversation service and what became of each send',
    },
    schedule: {
      name: name('SCHEDULE'),
      subjects: [s('sched.>')],
      // What came due, when: the record of every reminder, no-show check and feedback request.
      appendOnly: true,
      duplicateWindowSeconds,
      description: 'Scheduled work (reminders, no-show checks, feedback requests) as it comes due',
    },
  };
  const subjects: Topology['subjects'] = {
    inboundMessage: (phoneNumberId, guestId) =>
      s(
        `wa.in.msg.${partitionOf(phoneNumberId, guestId)}.${toSubjectToken(phoneNumberId)}.${toSubjectToken(guestId)}`,
      ),
    inboundMessagePartition: (partition) => s(`wa.in.msg.${partition}.>`),
    inboundStatus: (phoneNumberId, recipientId) =>
      s(`wa.in.status.${toSubjectToken(phoneNumberId)}.${toSubjectToken(recipientId)}`),
    inboundStatusAll: s('wa.in.status.>'),
    webhookError: (phoneNumberId) => s(`wa.in.error.${toSubjectToken(phoneNumberId)}`),
    webhookChange: (field) => s(`wa.in.change.${toSubjectToken(field)}`),
    quarantine: s('wa.in.quarantine'),
    rawBodyChunk: (rawId, index) => s(`wa.raw.${toSubjectToken(rawId)}.${index}`),
    deadLetter: (consumer) => s(`dlq.${toSubjectToken(consumer)}`),
    deadLetterAll: s('dlq.>'),
    reservationDay: (businessId, serviceDate) =>
      s(`rsv.day.${toSubjectToken(businessId)}.${toSubjectToken(serviceDate)}`),
    reservationBusiness: (businessId) => s(`rsv.biz.${toSubjectToken(businessId)}`),
    reservationBusinessAll: s('rsv.biz.>'),
    conversationEvent: (conversationId) => s(`conv.evt.${toSubjectToken(conversationId)}`),
    conversationTurn: (conversationId) => s(`conv.turn.${toSubjectToken(conversationId)}`),
    conversationEventAll: s('conv.>'),
    outboundCommand: (phoneNumberId, guestId) =>
      s(
        `out.cmd.${partitionOf(phoneNumberId, guestId)}.${toSubjectToken(phoneNumberId)}.${toSubjectToken(guestId)}`,
      ),
    outboundCommandPartition: (partition) => s(`out.cmd.${partition}.>`),
    outboundCommandAll: s('out.cmd.>'),
    outboundCommandUnpartitioned: s('out.cmd.*.*'),
    outboundRead: (phoneNumberId) => s(`out.read.${toSubjectToken(phoneNumberId)}`),
    outboundReadAll: s('out.read.>'),
    outboundEvent: (phoneNumberId) => s(`out.evt.${toSubjectToken(phoneNumberId)}`),
    outboundEventAll: s('out.evt.>'),
    workDue: (businessId) => s(`sched.due.${toSubjectToken(businessId)}`),
    workDueAll: s('sched.due.>'),
  };
  const consumers = consumerTable({
    stream: {
      whatsapp: streams.whatsapp.name,
      raw: streams.raw.name,
      conversations: streams.conversations.name,
      outbound: streams.outbound.name,
      reservations: streams.reservations.name,
      schedule: streams.schedule.name,
    },
    subject: s,
    deadLetterSubject: subjects.deadLetter,
  });
  return { prefix, consumers, streams, subjects };
}
