/**
 * Who may call which gRPC method, next to the wiring table (consumers.ts) because it is the same
 * kind of fact: which process talks to which. Every caller signs its own short-lived token
 * (libs/rpc, caller-token.ts); every server checks it and this table before a handler runs
 * (caller-auth.ts). A method missing here is refused to everyone, so a new method stays closed
 * until it is given callers; grpc.health.v1 is not in the table and stays open.
 */
export const RPC_CALLERS = ['conversation', 'console', 'ops', 'ingress'] as const;
export type RpcCaller = (typeof RPC_CALLERS)[number];

/** Services that verify callers, named as a token's `aud`. */
export const RPC_AUDIENCES = ['reservation', 'conversation', 'intent'] as const;
export type RpcAudience = (typeof RPC_AUDIENCES)[number];

export interface MethodPolicy {
  /** Callers allowed; anyone else gets PERMISSION_DENIED. */
  callers: readonly RpcCaller[];
  /**
   * For console calls: the request's `business_id` must be one of the token's `restaurants`
   * (the session's or API token's). False only for the console's calls made for no session:
   * the development login listing restaurants at start, and the live feed's phone number lookup.
   */
  consoleScoped: boolean;
}

const scoped = (...callers: RpcCaller[]): MethodPolicy => ({ callers, consoleScoped: true });
const unscoped = (...callers: RpcCaller[]): MethodPolicy => ({ callers, consoleScoped: false });

/** Keyed by `<fully qualified service>/<method>`, as in a gRPC path without its leading slash. */
export const RPC_POLICY: Readonly<Record<string, MethodPolicy>> = {
  // The dialogue books, reads and changes for guests; the console for staff; the reservation CLI
  // (reserveit-business, as `ops`) registers restaurants and edits their settings and menus.
  // Ingress reads a restaurant and its free slots for the booking Flow's data-exchange endpoint
  // (services/ingress/src/flows), nothing else.
  'reservation.v1.ReservationService/GetBusinessByPhoneNumberId': unscoped('conversation', 'console'),
  'reservation.v1.ReservationService/GetBusiness': scoped('conversation', 'console', 'ops', 'ingress'),
  'reservation.v1.ReservationService/CheckAvailability': scoped('conversation', 'ingress'),
  'reservation.v1.ReservationService/CreateReservation': scoped('conversation', 'console'),
  'reservation.v1.ReservationService/ModifyReservation': scoped('conversation', 'console'),
  'reservation.v1.ReservationService/CancelReservation': scoped('conversation', 'console'),
  'reservation.v1.ReservationService/ListReservations': scoped('conversation', 'console'),
  'reservation.v1.ReservationService/GetMenu': scoped('conversation', 'console', 'ops'),
  'reservation.v1.ReservationService/GetReservation': scoped('conversation', 'console'),
  'reservation.v1.ReservationService/SetReservationStatus': scoped('console'),
  // The guest's answer to a reminder, as the dialogue hears it.
  'reservation.v1.ReservationService/AnswerReminder': scoped('conversation'),
  // The guest's rating of a visit, as the dialogue hears it.
  'reservation.v1.ReservationService/GiveFeedback': scoped('conversation'),
  'reservation.v1.ReservationService/GetDaySheet': scoped('console'),
  'reservation.v1.ReservationService/RegisterBusiness': unscoped('ops'),
  'reservation.v1.ReservationService/ListBusinesses': unscoped('console', 'ops'),
  'reservation.v1.ReservationService/SetOpeningHours': scoped('console', 'ops'),
  'reservation.v1.ReservationService/UpdateBusinessSettings': scoped('console', 'ops'),
  'reservation.v1.ReservationService/SetMenuItem': scoped('console', 'ops'),
  'reservation.v1.ReservationService/RemoveMenuItem': scoped('console', 'ops'),
  // Guests join and take offers through the dialogue; expiry is due-time work (ops until the
  // scheduler service has a caller identity of its own).
  'reservation.v1.ReservationService/JoinWaitlist': scoped('conversation'),
  'reservation.v1.ReservationService/AcceptWaitlistOffer': scoped('conversation'),
  'reservation.v1.ReservationService/LeaveWaitlist': scoped('conversation', 'console'),
  'reservation.v1.ReservationService/ExpireWaitlistOffer': scoped('ops'),
  // The staff API is the console's; `reserveit-ops trace` locates a message.
  'conversation.v1.ConversationService/ListConversations': scoped('console'),
  'conversation.v1.ConversationService/GetConversation': scoped('console'),
  'conversation.v1.ConversationService/Handoff': scoped('console'),
  'conversation.v1.ConversationService/Release': scoped('console'),
  'conversation.v1.ConversationService/Reply': scoped('console'),
  'conversation.v1.ConversationService/MarkRead': scoped('console'),
  'conversation.v1.ConversationService/LocateMessage': unscoped('ops'),
  'intent.v1.IntentService/Interpret': unscoped('conversation'),
};

/** Staff actions (past the guest cutoff): only callers that act for staff may ask for them. */
export const STAFF_CALLERS: readonly RpcCaller[] = ['console', 'ops'];
