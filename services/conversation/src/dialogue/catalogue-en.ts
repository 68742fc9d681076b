import { dayOfMonth, isoWeekday, monthOf } from './calendar.js';
import type { Catalogue } from './catalogue.js';

const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

const short = (date: string) =>
  `${(WEEKDAYS[isoWeekday(date) - 1] ?? '').slice(0, 3)} ${dayOfMonth(date)} ${MONTHS[monthOf(date) - 1] ?? ''}`;
const guests = (n: number) => (n === 1 ? '1 guest' : `${n} guests`);

const REFUSALS: Record<string, string> = {
  NO_CAPACITY: 'Sorry, that time is fully booked.',
  CLOSED: 'Sorry, we are closed then.',
  PARTY_TOO_LARGE: 'Sorry, that party is larger than we can seat online.',
  TOO_SOON: 'Sorry, that is too soon for an online booking.',
  BEYOND_HORIZON: 'Sorry, we do not take bookings that far ahead yet.',
  TOO_LATE: 'Sorry, it is too late to change this reservation online. Please call the restaurant.',
  ALREADY_CANCELLED: 'That reservation is already cancelled.',
  NOT_FOUND: 'Sorry, I could not find that reservation.',
};

export const english: Catalogue = {
  when: (date, time) => `${short(date)} at ${time}`,
  slotTitle: (date, time, sameDay) => (sameDay ? time : `${short(date)} ${time}`),
  weekday: (day) => WEEKDAYS[day - 1] ?? '',
  defaultGreeting: (name) => `Welcome to ${name}!`,
  howCanIHelp: 'How can I help you today?',
  menuButtons: { book: 'Book a table', menu: 'Menu', hours: 'Opening hours' },
  askDate: 'For which day would you like the table?',
  flowOffer:
    'Tap below to pick a day, time and party size, or just type them here. For which day would you like the table?',
  flowCta: 'Choose a time',
  askTime: 'At what time?',
  askPartySize: 'For how many people?',
  askName: 'Under which name should I book it?',
  useProfileName: (name) => `Or tap to use "${name}".`,
  dateInPast: 'That day has already passed. Which day would you like?',
  partyNoted: (n) => `For ${guests(n)}, noted.`,
  slotFree: (n, when) => `Good news: there is a table for ${guests(n)} on ${when}.`,
  partyTooLarge: (max, phone) =>
    `Online I can book up to ${max} people. For a larger group our team will gladly help: tap below and a person will answer you here${phone ? `, or call us on ${phone}` : ''}. Or tell me a smaller number of people.`,
  talkToTeam: 'Talk to our team',
  summary: (b, when) =>
    `A table for ${guests(b.partySize)} on ${when}, under the name ${b.name}. Shall I book it?`,
  confirmButtons: { confirm: 'Confirm', change: 'Change', cancel: 'Cancel' },
  reminder: (when, partySize) => `A reminder of your table for ${partySize} on ${when}. Will you be there?`,
  reminderButtons: { confirm: 'Confirm', cancel: 'Cancel', late: 'Running late' },
  noShow: (when) =>
    `We missed you today (your table on ${when}). We hope all is well — reply here whenever you would like to book another time.`,
  askLateMinutes: 'Thanks for letting us know. About how many minutes late will you be?',
  lateNoted: (minutes) => `Thank you, we have told the team you will be about ${minutes} minutes late.`,
  reminderConfirmed: (when) => `Thank you, see you on ${when}!`,
  feedbackAsk: 'How was your visit? Tap to rate it from 1 to 5.',
  feedbackListButton: 'Rate your visit',
  feedbackRatings: ['1 – Poor', '2 – Fair', '3 – Good', '4 – Very good', '5 – Excellent'],
  feedbackAskComment: 'Thank you! Anything you\'d like to tell us? (or "no")',
  feedbackThanks: 'Thank you for your feedback!',
  whatToChange: 'Sure. Send me the new day, time or number of people.',
  bookingStopped: 'No problem, I have not booked anything.',
  booked: (b, when, reference) =>
    `You're booked: a table for ${guests(b.partySize)} on ${when}, under ${b.name}. Reference ${reference}. See you then!`,
  slotTaken: (when) => `Sorry, ${when} is fully booked.`,
  closedThen: (when) => `Sorry, we are not open for bookings on ${when}.`,
  nearestSlots: 'These are the nearest free times:',
  waitlistOption: 'Or join the waitlist: I will message you if a table frees up.',
  joinWaitlistButton: 'Join the waitlist',
  waitlistJoined: (n, when) =>
    `You're on the waitlist for ${guests(n)} on ${when}. If a table frees up I will message you here, and it will be held for you for a short while.`,
  waitlistNotNeeded: (when) => `Good news: a table is free on ${when} now. Tap "Book a table" to book it.`,
  waitlistOffer: (n, when, until) =>
    `A table for ${guests(n)} on ${when} has just freed up. It is held for you until ${until}: tap Confirm to book it.`,
  confirmOfferButton: 'Confirm',
  offerGone: 'Sorry, that table is no longer held for you: the offer has expired.',
  noSlotsNear: (when) => `Sorry, I found no free table near ${when}. Which other day or time would suit you?`,
  refused: (code) => REFUSALS[code] ?? 'Sorry, that did not work.',
  checkFailed: 'Sorry, I cannot check our bookings right now. Please try again in a minute.',
  noUpcoming: 'I could not find an upcoming reservation for this number.',
  whichReservation: (purpose) =>
    purpose === 'cancel'
      ? 'Which reservation do you want to cancel?'
      : 'Which reservation do you want to change?',
  listButton: 'Reservations',
  reservationRow: (r, when) => ({
    title: when.replace(' at ', ' '),
    description: `${guests(r.partySize)}, ${r.name}`,
  }),
  confirmCancel: (r, when) => `Cancel your table for ${guests(r.partySize)} on ${when}?`,
  cancelButtons: { yes: 'Yes, cancel it', no: 'Keep it' },
  cancelled: (when) => `Your reservation on ${when} is cancelled. We hope to see you another time.`,
  keptReservation: 'Alright, your reservation stays as it is.',
  askChange: (when) =>
    `Your reservation is on ${when}. What would you like instead: a new day, time or number of people?`,
  confirmChange: (r, when, partySize, newWhen) =>
    `Change your table for ${guests(r.partySize)} on ${when} to ${guests(partySize)} on ${newWhen}?`,
  changeButtons: { yes: 'Yes, change it', no: 'Keep it' },
  modified: (r, when) => `Done: your table for ${guests(r.partySize)} is now on ${when}.`,
  hours: (lines) => `Our opening hours:\n${lines.join('\n')}`,
  hoursLine: (days, hours) => `${days}: ${hours}`,
  closedDay: 'closed',
  dayRange: (from, to) => (from === to ? from : `${from}–${to}`),
  intervals: (list) => list.map((i) => `${i.start}–${i.end}`).join(', '),
  menuIntro: 'Here is our menu. Pick a section:',
  menuButton: 'Menu',
  menuCategory: (name) => `${name}: pick a dish for details.`,
  menuEmpty: 'Sorry, our menu is not available here yet.',
  menuItem: (name, description, price) => [`${name} – ${price}`, description].filter(Boolean).join('\n'),
  price: (amount, currency) => `${amount.toFixed(2)} ${currency}`,
  unavailable: 'Sorry, I cannot fetch that right now. Please try again in a minute.',
  handoff: 'A member of our team will reply to you here shortly.',
  thanks: "You're welcome!",
  notUnderstood:
    'Sorry, I did not get that. I can book, change or cancel a table, or show the menu and opening hours.',
  notText: 'Sorry, I can only read text messages. How can I help?',
  rateLimited: 'You are sending messages very quickly. I will answer again in a minute.',
  oneMoment: 'One moment please, I will be right with you.',
};
