import type { CompleteBooking, Interval, ReservationSummary } from './types.js';

/**
 * Everything the assistant says, per language. Phrasing lives here and nowhere else, so a new
 * language is one file. Button titles must stay within WhatsApp's 20 characters (checked by the
 * catalogue tests); longer texts are bounded by the outbound schema.
 */
export interface Catalogue {
  /** "Tue 24 Nov at 20:00" for a business-local date and time. */
  when(date: string, time: string): string;
  /** A slot button's title, at most 20 characters; the time alone when the day is the one asked for. */
  slotTitle(date: string, time: string, sameDay: boolean): string;
  weekday(isoWeekday: number): string;
  defaultGreeting(businessName: string): string;
  howCanIHelp: string;
  menuButtons: { book: string; menu: string; hours: string };
  askDate: string;
  /**
   * Said with the booking Flow's button when a booking starts: the form, or typing as before.
   * The button (flowCta) stays within 20 characters, Meta's limit for flow_cta.
   */
  flowOffer: string;
  flowCta: string;
  askTime: string;
  askPartySize: string;
  askName: string;
  useProfileName(name: string): string;
  dateInPast: string;
  /** "For 3 guests, noted.": said before the next question when the guest just gave the party size. */
  partyNoted(partySize: number): string;
  /** The time asked is free; said before asking the name. */
  slotFree(partySize: number, when: string): string;
  /** More people than the restaurant books online: the team or the phone, or a smaller party. */
  partyTooLarge(max: number, phone: string | undefined): string;
  talkToTeam: string;
  summary(booking: CompleteBooking, when: string): string;
  confirmButtons: { confirm: string; change: string; cancel: string };
  /** The reminder of a booking the scheduler hands over (`when` as from `when`), answered by its buttons. */
  reminder(when: string, partySize: number): string;
  reminderButtons: { confirm: string; cancel: string; late: string };
  /** To a guest marked no-show (`when` as from `when`): no reproach, an open door to book again. */
  noShow(when: string): string;
  askLateMinutes: string;
  lateNoted(minutes: number): string;
  reminderConfirmed(when: string): string;
  /** After a seated or finished booking (the scheduler's feedback_request): rated 1–5 from a list. */
  feedbackAsk: string;
  /** The list's button (≤ 20 characters) and its five rows, 1 (worst) to 5 (best), ≤ 24 each. */
  feedbackListButton: string;
  feedbackRatings: readonly [string, string, string, string, string];
  /** The rating is noted; an optional comment is asked once. */
  feedbackAskComment: string;
  feedbackThanks: string;
  whatToChange: string;
  bookingStopped: string;
  booked(booking: CompleteBooking, when: string, reference: string): string;
  slotTaken(when: string): string;
  closedThen(when: string): string;
  nearestSlots: string;
  /** Said under a full seating's refusal when the restaurant keeps a waitlist; the button ≤ 20. */
  waitlistOption: string;
  joinWaitlistButton: string;
  waitlistJoined(partySize: number, when: string): string;
  /** The seating had room after all (the waitlist is for full ones only): book it instead. */
  waitlistNotNeeded(when: string): string;
  /** Sent when covers free up: the table is held until `until` (HH:MM, restaurant time). */
  waitlistOffer(partySize: number, when: string, until: string): string;
  confirmOfferButton: string;
  /** The offer expired or was taken back before the guest confirmed it. */
  offerGone: string;
  noSlotsNear(when: string): string;
  refused(code: string): string;
  checkFailed: string;
  noUpcoming: string;
  whichReservation(purpose: 'cancel' | 'modify'): string;
  listButton: string;
  reservationRow(reservation: ReservationSummary, when: string): { title: string; description: string };
  confirmCancel(reservation: ReservationSummary, when: string): string;
  cancelButtons: { yes: string; no: string };
  cancelled(when: string): string;
  keptReservation: string;
  askChange(when: string): string;
  confirmChange(reservation: ReservationSummary, when: string, partySize: number, newWhen: string): string;
  changeButtons: { yes: string; no: string };
  modified(reservation: ReservationSummary, when: string): string;
  hours(lines: string[]): string;
  /** One line of the opening hours: "Monday–Thursday: 12:00–15:00". */
  hoursLine(days: string, hours: string): string;
  closedDay: string;
  dayRange(from: string, to: string): string;
  intervals(list: Interval[]): string;
  menuIntro: string;
  menuButton: string;
  menuCategory(name: string): string;
  menuEmpty: string;
  menuItem(name: string, description: string, price: string): string;
  /** A dish's price, "28.00 AED" or "28,00 AED", from its amount in the currency's main unit. */
  price(amount: number, currency: string): string;
  unavailable: string;
  handoff: string;
  thanks: string;
  notUnderstood: string;
  notText: string;
  rateLimited: string;
  oneMoment: string;
}
