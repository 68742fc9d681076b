import type {
  ConversationTurnRecorded,
  DialogueEvent,
  ScheduledWork,
  SendRequested,
  StaffReplied,
} from '@reserveit/contracts';
import type {
  BusinessProfile,
  Call,
  CallResult,
  DialogueSettings,
  ConversationState as DialogueState,
  Understanding,
} from '../dialogue/index.js';
import type { InboundTurn } from '../inbound-turn.js';

/** Who talks to whom; a conversation's first message to a known restaurant sets it. */
export interface Party {
  businessId: string;
  phoneNumberId: string;
  guestId: string;
}

/** The decider's state: one conversation as its events left it. */
export interface Conversation {
  id: string;
  /** Undefined while the conversation does not exist (no message to a known restaurant yet). */
  party: Party | undefined;
  dialogue: DialogueState;
}

/** One inbound WhatsApp message, as the decider needs it. */
export interface GuestMessage {
  wamid: string;
  phoneNumberId: string;
  guestId: string;
  /** The guest's WhatsApp profile name, when the message carried one. */
  guestName?: string;
  /** The WhatsApp message type: text, interactive, image, reaction … */
  type: string;
  said: InboundTurn;
}

/** What intent.v1 (or, while it is down, the built-in fallback) understood of a message. */
export interface Interpreted {
  understanding: Understanding;
  confidence?: number;
  latencyMs?: number;
  /** Set when intent.v1 failed and the built-in understanding answered: the failure's code. */
  fallbackReason?: string;
}

/** What a staff member sends: free text, or an approved template (allowed outside the 24-hour window). */
export type StaffMessage =
  | { kind: 'text'; text: string }
  | { kind: 'template'; name: string; language: string; bodyParameters: string[] };

/**
 * Whose conversation staff may act on: a tool scoped to one business names it, and a
 * conversation of another business is then as unknown as one that does not exist.
 */
export interface StaffScope {
  staff: string;
  businessId?: string;
}

/** Everything that can happen to a conversation. */
export type ConversationCommand =
  /** A guest's message to a known restaurant, with what was understood of it (none for media). */
  | { type: 'guestMessage'; message: GuestMessage; business: BusinessProfile; interpreted?: Interpreted }
  /** The result of the reservation call the previous round asked for. */
  | { type: 'callResult'; business: BusinessProfile; result: CallResult }
  /** The session has been idle long enough (`idleTimeoutDue`): a half-finished dialogue starts over. */
  | { type: 'idleTimeout' }
  /** intent.v1 is down and the fallback understood nothing: "one moment", and the message is retried. */
  | { type: 'intentUnavailable'; message: GuestMessage; interpreted: Interpreted }
  /** A message to a phone_number_id no restaurant is registered with: recorded, never answered. */
  | { type: 'unknownBusiness'; message: GuestMessage }
  | ({ type: 'takeOver' } & StaffScope)
  | ({ type: 'release' } & StaffScope)
  /**
   * A staff member's message to the guest: only while the conversation is handed off, and free
   * text only inside WhatsApp's 24-hour window.
   */
  | ({ type: 'staffReply'; message: StaffMessage } & StaffScope)
  /**
   * The reservation service offered the guest a table from the waitlist: free text with a Confirm
   * button inside WhatsApp's 24-hour window, else the restaurant's waitlist-offer template.
   */
  | { type: 'waitlistOffer'; offer: WaitlistOfferNotice; templates: OfferTemplate[] }
  /**
   * A booking's reminder came due (the scheduler's `schedule.work.due`): buttons inside WhatsApp's
   * 24-hour window, the restaurant's template outside it, a failure staff see when it has none.
   */
  | { type: 'reminderDue'; reminder: ReminderWork; business: BusinessProfile; phoneNumberId: string }
  /**
   * A seated or finished booking's feedback request came due (checked still so by the shell): a
   * list of ratings inside the 24-hour window, the restaurant's feedback template outside it.
   */
  | { type: 'feedbackDue'; feedback: FeedbackWork; business: BusinessProfile; phoneNumberId: string }
  /**
   * Staff (or the no-show check) marked the guest's booking no-show and the restaurant asked for a
   * word to the guest: text inside WhatsApp's 24-hour window, else its no-show template, else a
   * failure staff see. `party` addresses a guest who never wrote (a booking staff took by phone).
   */
  | { type: 'noShowMessage'; noShow: NoShowNotice; templates: OfferTemplate[]; party: Party };

/** The booking the guest missed; `date` and `time` are the restaurant's wall clock. */
export interface NoShowNotice {
  reservationId: string;
  date: string;
  time: string;
}

/** A waitlist offer as the guest is told it; `until` is the hold's end, HH:MM restaurant time. */
export interface WaitlistOfferNotice {
  date: string;
  time: string;
  partySize: number;
  entryId: string;
  until: string;
}

/** A template the restaurant approved for one purpose (waitlist offers, no-show messages). */
export interface OfferTemplate {
  name: string;
  language: string;
  bodyParameters: number;
}

/** A reminder as the scheduler hands it over (libs/contracts/src/scheduled-work.ts). */
export type ReminderWork = Extract<ScheduledWork, { kind: 'reminder' }>;

/** A feedback request, with the guest the booking is filed under (looked up by the shell). */
export type FeedbackWork = Extract<ScheduledWork, { kind: 'feedback_request' }> & { guestId: string };

/** What a decision publishes on CONVERSATIONS (libs/contracts conversation-events.ts, dialogue-events.ts). */
export type ConversationEvent = ConversationTurnRecorded | DialogueEvent | StaffReplied;

/** What a decision is about: the ids of all it publishes derive from it. */
export type Cause =
  | { kind: 'message'; wamid: string; guestName?: string | undefined }
  | { kind: 'staff'; actionId: string }
  /** Scheduled work that came due: its id is `<job key>@<due instant>`. */
  | { kind: 'work'; workId: string };

/** Numbers the replies and notes of one decision, across its rounds. */
export interface DecisionIds {
  /** `<conversation>:<cause>:<n>`, the n-th reply (also its OUTBOUND dedupe key). */
  reply(): string;
  /** `<conversation>:<cause>:note:<k>`. */
  note(): string;
}

export interface DecideContext {
  now: string;
  settings: DialogueSettings;
  cause: Cause;
  ids: DecisionIds;
}

export type RejectionCode =
  /** No such conversation. */
  | 'NOT_FOUND'
  /** A staff reply to a conversation the assistant is answering. */
  | 'NOT_HANDED_OFF'
  /** An idle timeout for a session that is not idle. */
  | 'NOT_IDLE'
  /** Free text from staff once the guest's last message is 24 hours old or more. */
  | 'OUTSIDE_WINDOW'
  /** A takeover or a reply by one staff member while another has the conversation. */
  | 'TAKEN_BY_OTHER'
  /** Outside the 24-hour window with no template approved for what is to be sent. */
  | 'NO_TEMPLATE';

/** Why a command was refused; the code is stable and mapped to a gRPC status once, at the edge. */
export interface Rejection {
  code: RejectionCode;
  message: string;
}

export type Decision =
  /**
   * The events and OUTBOUND commands decided. With `awaiting`, the dialogue asked for a call: its
   * result is the next round of the same decision (a `callResult`).
   */
  | { outcome: 'decided'; events: ConversationEvent[]; sends: SendRequested[]; awaiting?: Call }
  /** Nothing is decided yet: these commands go out now and the message is tried again later. */
  | { outcome: 'retry'; sends: SendRequested[]; reason: string }
  | { outcome: 'rejected'; rejection: Rejection };
