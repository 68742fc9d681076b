/**
 * The dialogue's vocabulary: what it knows (state), what it is told (inputs) and what it asks the
 * shell to do (effects). Everything here is plain data so states survive as JSON in Postgres and
 * on the CONVERSATIONS stream.
 */
import type { Entities } from '@reserveit/contracts';

/** The languages the assistant answers in: each has a catalogue (dialogue/catalogue-*.ts). */
export const LANGUAGES = ['en', 'ar', 'es', 'fr'] as const;
export type Language = (typeof LANGUAGES)[number];

export type Intent =
  | 'BOOK'
  | 'MODIFY'
  | 'CANCEL'
  | 'MENU'
  | 'HOURS'
  | 'GREETING'
  | 'HUMAN'
  | 'THANKS'
  | 'OTHER';

/** The slot the dialogue asked for last; intent.v1 uses it to read a bare answer ("4", "Sarah"). */
export type Expecting = 'date' | 'time' | 'party_size' | 'name';

export type { Entities };

/** What the guest's message meant, from intent.v1 or, when it is down, from the built-in fallback. */
export interface Understanding {
  intent: Intent;
  entities: Entities;
  /** The detected language, or undefined when it could not tell ("4", "👍"). */
  language?: Language;
  source: 'rules' | 'llm' | 'fallback';
}

export interface Interval {
  start: string;
  end: string;
}

export interface BusinessProfile {
  id: string;
  name: string;
  timezone: string;
  /** locale → branded greeting, e.g. { en: 'Welcome to Bistro Dubai!' }. */
  greetings: Record<string, string>;
  /** The number guests can call (the WhatsApp number's display form); offered when booking online cannot help. */
  phone?: string;
  maxPartySize: number;
  /** Meta's id of the restaurant's published booking Flow; absent when it offers none. */
  bookingFlowId?: string;
  /** The restaurant keeps a waitlist: a guest refused a full seating may join it. */
  waitlist?: boolean;
  /** The message templates Meta approved for the restaurant (sent outside the 24-hour window). */
  templates?: {
    name: string;
    language: string;
    bodyParameters: number;
    category: string;
    /** What the assistant sends it for (libs/contracts TEMPLATE_PURPOSES); absent: staff replies only. */
    purpose?: string;
  }[];
  hours: {
    /** isoWeekday (1 = Monday) → intervals; a day not listed is closed. */
    weekly: Record<number, Interval[]>;
    closedDates: string[];
  };
}

export interface Booking {
  date?: string;
  time?: string;
  partySize?: number;
  name?: string;
}

export type CompleteBooking = Required<Booking>;

/** A booking whose day, time and party size are known: enough to ask whether there is a table. */
export type SlotBooking = Booking & Required<Pick<Booking, 'date' | 'time' | 'partySize'>>;

export interface ReservationSummary {
  id: string;
  date: string;
  time: string;
  partySize: number;
  name: string;
  /** RFC 3339 instant; only upcoming ones are offered for change or cancellation. */
  startsAt: string;
}

/** "<date>T<time>/<party size>": what an availability check answered for. */
export type SlotKey = string;

export interface SlotOption {
  date: string;
  time: string;
}

/** Where the conversation is; each phase waiting on the shell says which call it made. */
export type Phase =
  | { kind: 'idle' }
  | {
      kind: 'collecting';
      booking: Booking;
      expecting?: Expecting;
      /** The day, time and party size found free: only the name is missing, and asking again is not needed. */
      checked?: SlotKey;
    }
  /** Availability is asked as soon as day, time and party size are known, before the name. */
  | {
      kind: 'checking';
      booking: SlotBooking;
      /** A name to offer when the name is asked next (the answer arrives without the guest's turn). */
      knownName?: string;
    }
  | { kind: 'offering'; booking: Booking; slots: SlotOption[] }
  | { kind: 'confirming'; booking: CompleteBooking }
  | { kind: 'creating'; booking: CompleteBooking }
  | {
      kind: 'finding';
      purpose: 'cancel' | 'modify';
      changes: Booking;
      /** Words of the guest's message that may be a booking reference, to pick the reservation by. */
      quoted?: string[];
    }
  | { kind: 'choosing'; purpose: 'cancel' | 'modify'; changes: Booking; reservations: ReservationSummary[] }
  | { kind: 'confirmingCancel'; reservation: ReservationSummary }
  | { kind: 'cancelling'; reservation: ReservationSummary }
  | { kind: 'modifying'; reservation: ReservationSummary; changes: Booking; slots?: SlotOption[] }
  /** A new day or time is asked about before the guest confirms it: a closed time is said at once. */
  | { kind: 'checkingChange'; reservation: ReservationSummary; changes: Booking }
  /** A change is applied only once the guest confirmed it, like a booking and a cancellation. */
  | { kind: 'confirmingChange'; reservation: ReservationSummary; changes: Booking }
  | { kind: 'applyingChange'; reservation: ReservationSummary; changes: Booking }
  | { kind: 'browsingMenu'; categories: string[] }
  /** The guest asked to wait for a full seating (dialogue/waitlist.ts). */
  | { kind: 'joiningWaitlist'; booking: SlotBooking }
  /** The guest confirmed a waitlist offer; the reservation service turns it into a booking. */
  | { kind: 'acceptingOffer'; date: string; entryId: string }
  /** "Running late" tapped: how many minutes is asked. */
  | { kind: 'askingLate'; reservationId: string }
  /** The guest's answer to a reminder is being recorded (AnswerReminder). */
  | { kind: 'answeringReminder'; reservationId: string }
  /** The guest's rating, or then their comment, is being recorded on the booking (GiveFeedback). */
  | { kind: 'givingFeedback'; reservationId: string; step: 'rating' | 'comment' }
  /** A visit was rated: the guest's next text is an optional comment ("no" declines it). */
  | { kind: 'askingFeedbackComment'; reservationId: string };

export type PhaseKind = Phase['kind'];

export interface Handoff {
  by: 'guest' | 'staff';
  since: string;
  /** The bot answers again after this instant even if staff never released it. */
  until: string;
  /** Who of the staff has the conversation: took it over, or answered the guest who asked for a person. */
  staff?: string;
  /** Since when the guest waits for a person: set when they asked for one, gone once staff took it or answered. */
  waitingSince?: string;
}

export interface ConversationState {
  v: 1;
  /** The branded greeting goes out once per conversation, not once per session. */
  greeted: boolean;
  language: Language;
  lastTurnAt?: string;
  /**
   * The guest's last message of any kind (a reaction too), set by the decider: WhatsApp's 24-hour
   * window for free text runs from it. Absent in states written before it was kept.
   */
  lastInboundAt?: string;
  /**
   * The greeting not sent yet: it opens the first reply of the decision, so the welcome and the
   * answer arrive as one message even when the answer waits for a call.
   */
  opening?: string;
  /** The guest's name from an earlier booking, offered again. */
  guestName?: string;
  handoff?: Handoff;
  /** Fixed one-minute window of the anti-spam limit. */
  rate: { windowStart: string; count: number; noticed: boolean };
  phase: Phase;
  /** The last reminder sent (the decider sets it): for a day after it, "yes" or "15 minutes late" answer it. */
  reminded?: { reservationId: string; at: string };
  /** The last feedback request sent (the decider sets it): for a day after it, "5" or "ممتاز" rate the visit. */
  feedbackAsked?: { reservationId: string; at: string };
  /** A visit rated 2 or less: the inbox flags the conversation until staff answer the guest. */
  lowRating?: { reservationId: string; rating: number; at: string };
}

export interface DialogueSettings {
  /** Idle time after which the session (not the greeting) starts over. */
  sessionIdleMs: number;
  /** A handoff nobody releases ends after this long. */
  handoffTimeoutMs: number;
  /** Guest messages per minute before one notice and then silence. */
  maxMessagesPerMinute: number;
}

/** nfm_reply: a completed WhatsApp Flow, its response_json as the id (intent's nlu/flow-reply.ts). */
export type InteractiveReply = {
  kind: 'button_reply' | 'list_reply' | 'nfm_reply';
  id: string;
  title: string;
};

/** One message of the guest, with everything the dialogue needs to answer it. */
export interface GuestTurn {
  kind: 'turn';
  /** The inbound wamid: the key of every effect's dedupe id. */
  messageId: string;
  conversationId: string;
  now: string;
  business: BusinessProfile;
  text: string;
  interactive?: InteractiveReply;
  /** WhatsApp profile name, offered as the booking name. */
  profileName?: string;
  /** Undefined when the message had nothing to understand (an image, a sticker). */
  understanding?: Understanding;
}

export type CallFailure = { ok: false; code: string; alternatives?: SlotOption[] };

/** What the shell learned from the call an effect asked for; fed back into `next`. */
export type CallResult =
  | {
      kind: 'availability';
      result:
        | { ok: true; preferredAvailable: boolean; alternatives: SlotOption[]; closedReason?: string }
        | CallFailure;
    }
  | { kind: 'created'; result: { ok: true; reservation: ReservationSummary } | CallFailure }
  | { kind: 'modified'; result: { ok: true; reservation: ReservationSummary } | CallFailure }
  | { kind: 'cancelled'; result: { ok: true; reservation: ReservationSummary } | CallFailure }
  | { kind: 'listed'; result: { ok: true; reservations: ReservationSummary[] } | CallFailure }
  | {
      kind: 'menu';
      result: { ok: true; categories: MenuCategory[]; category?: string; item?: string } | CallFailure;
    }
  | { kind: 'waitlistJoined'; result: { ok: true; entryId: string } | CallFailure }
  | { kind: 'offerAccepted'; result: { ok: true; reservation: ReservationSummary } | CallFailure }
  | {
      kind: 'reminderAnswered';
      result: { ok: true; reservation: ReservationSummary; lateMinutes?: number } | CallFailure;
    }
  /** `rating`: the booking's rating as recorded (1–5). */
  | { kind: 'feedbackGiven'; result: { ok: true; rating: number } | CallFailure };

export interface MenuItem {
  id: string;
  name: string;
  description: string;
  priceMinor: number;
  currency: string;
  available: boolean;
}

export interface MenuCategory {
  name: string;
  items: MenuItem[];
}

/** The answer to the call the dialogue asked for while deciding a guest's turn. */
export interface ResultInput {
  kind: 'result';
  now: string;
  business: BusinessProfile;
  call: CallResult;
}

/** Staff tools act on a conversation through the same machine, so their decisions are events too. */
export interface StaffInput {
  kind: 'staff';
  action: 'handoff' | 'release';
  /** Who acts, as the staff tool names them (may be empty). */
  staff: string;
  now: string;
}

/**
 * The session went idle: a half-finished dialogue starts over (the greeting is not repeated). Fed
 * before a guest's turn when `idleFor` says it is due.
 */
export interface IdleInput {
  kind: 'idle';
  now: string;
}

export type Input = GuestTurn | ResultInput | StaffInput | IdleInput;

export type Reply =
  | { kind: 'text'; body: string }
  | { kind: 'buttons'; body: string; buttons: { id: string; title: string }[] }
  | {
      kind: 'list';
      body: string;
      button: string;
      rows: { id: string; title: string; description?: string }[];
    }
  /** A message whose button opens the restaurant's booking Flow (libs/contracts booking-flow.ts). */
  | { kind: 'flow'; body: string; cta: string; flowId: string; flowToken: string };

/** A decision worth an event on CONVERSATIONS beyond the turns, replies and state. */
export type Note =
  | { kind: 'session.reset'; idleMs: number }
  | { kind: 'rate.limited'; count: number }
  | { kind: 'handoff.started'; by: 'guest' | 'staff'; until: string }
  | { kind: 'handoff.released'; by: 'staff' | 'timeout' }
  | { kind: 'turn.ignored'; reason: 'handoff' | 'rate_limited' }
  | { kind: 'reservation.booked'; reservationId: string }
  | { kind: 'reservation.modified'; reservationId: string }
  | { kind: 'reservation.cancelled'; reservationId: string }
  | { kind: 'waitlist.joined'; entryId: string }
  | { kind: 'waitlist.offered'; entryId: string }
  | { kind: 'call.failed'; call: CallResult['kind']; code: string }
  /** A reminder went to the guest: as free text with buttons inside the 24-hour window, else as the template. */
  | { kind: 'reminder.sent'; reservationId: string; via: 'buttons' | 'template'; template?: string }
  /** A reminder could not go: the window is closed and the restaurant set no template (in that language). */
  | { kind: 'reminder.undeliverable'; reservationId: string; reason: 'no_template' }
  /** A guest marked no-show was told so politely: inside the 24-hour window as text, else as the template. */
  | { kind: 'no_show.messaged'; reservationId: string; via: 'text' | 'template'; template?: string }
  /** The no-show message could not go: the window is closed and the restaurant has no no-show template. */
  | { kind: 'no_show.undeliverable'; reservationId: string; reason: 'no_template' }
  /** The guest answered a reminder (recorded on the booking by AnswerReminder). */
  | {
      kind: 'reminder.answered';
      reservationId: string;
      answer: 'confirmed' | 'running_late';
      minutes?: number;
    }
  /** A seated or finished booking's feedback request went out (a list inside the window, else the template). */
  | { kind: 'feedback.asked'; reservationId: string; via: 'list' | 'template'; template?: string }
  /** No feedback request could go: the window is closed and the restaurant has no feedback template. */
  | { kind: 'feedback.undeliverable'; reservationId: string; reason: 'no_template' }
  /** The guest rated the visit, 1 (worst) to 5. */
  | { kind: 'feedback.given'; reservationId: string; rating: number }
  /** The guest added a comment to the rating (its words are the guest's turn). */
  | { kind: 'feedback.commented'; reservationId: string };

export type Call =
  | { kind: 'checkAvailability'; partySize: number; date: string; time: string }
  | {
      kind: 'createReservation';
      idempotencyKey: string;
      partySize: number;
      date: string;
      time: string;
      name: string;
    }
  | { kind: 'modifyReservation'; reservationId: string; date?: string; time?: string; partySize?: number }
  | { kind: 'cancelReservation'; reservationId: string }
  | { kind: 'listReservations' }
  | {
      kind: 'joinWaitlist';
      idempotencyKey: string;
      partySize: number;
      date: string;
      time: string;
      name: string;
    }
  | { kind: 'acceptWaitlistOffer'; date: string; entryId: string }
  | { kind: 'fetchMenu'; category?: string; item?: string }
  | { kind: 'answerReminder'; reservationId: string; answer: 'confirmed' | 'running_late'; minutes?: number }
  /** A rating (1–5) of a seated or finished visit, or the comment after it. */
  | { kind: 'giveFeedback'; reservationId: string; rating?: number; comment?: string };

export type Effect =
  | { kind: 'reply'; reply: Reply }
  | { kind: 'call'; call: Call }
  | { kind: 'note'; note: Note };

export interface Step {
  state: ConversationState;
  effects: Effect[];
}
