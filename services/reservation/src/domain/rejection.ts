/** Why a command was refused; the code is stable and mapped to a gRPC status once, at the edge. */
export type RejectionCode =
  | 'NO_CAPACITY'
  | 'CLOSED'
  | 'PARTY_TOO_LARGE'
  | 'TOO_SOON'
  | 'BEYOND_HORIZON'
  | 'TOO_LATE'
  | 'NOT_FOUND'
  | 'INVALID_ARGUMENT'
  | 'ALREADY_CANCELLED'
  /** A status staff cannot set from the booking's present one (finished before seated, …). */
  | 'INVALID_TRANSITION'
  | 'BUSINESS_EXISTS'
  | 'PHONE_NUMBER_TAKEN'
  | 'MOVED'
  /** The business keeps no waitlist (its setting is off). */
  | 'WAITLIST_CLOSED'
  /** A waitlist join for a seating that has room: book it instead. */
  | 'NOT_FULL'
  /** A waitlist offer that expired, was never made, or whose party left. */
  | 'OFFER_EXPIRED'
  /** A visit rated (or commented on) already, differently. */
  | 'ALREADY_RATED';

export interface Rejection {
  code: RejectionCode;
  message: string;
  /** For MOVED: the service date the reservation lives on now. */
  movedTo?: string;
}

export const reject = (code: RejectionCode, message: string, extra: Partial<Rejection> = {}): Rejection => ({
  code,
  message,
  ...extra,
});
