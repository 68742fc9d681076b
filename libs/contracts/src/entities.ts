/**
 * What intent.v1 read out of a guest's message (proto/intent/v1, `Entities`), in the shape both the
 * intent service produces and the conversation's dialogue consumes. Every field is optional: a
 * message names some of them or none.
 */
export interface Entities {
  /** YYYY-MM-DD in the business's time zone. */
  date?: string;
  /** HH:MM, 24-hour, in the business's time zone. */
  time?: string;
  partySize?: number;
  guestName?: string;
  menuCategory?: string;
  menuItem?: string;
}
