import { bookingReference } from '@reserveit/contracts';
import { localDate } from './calendar.js';
import type { Catalogue } from './catalogue.js';
import { choiceId } from './choices.js';
import { type Draft, isTransient, stale } from './draft.js';
import { flowOffer } from './flow-offer.js';
import { buttons } from './replies.js';
import type {
  Booking,
  CallResult,
  CompleteBooking,
  Entities,
  Expecting,
  GuestTurn,
  Phase,
  Reply,
  SlotBooking,
  SlotKey,
  SlotOption,
  Step,
} from './types.js';
import { fullSeatingOffer } from './waitlist.js';

/**
 * Booking: take what the guest gave, refuse what cannot be, ask only for the first missing detail.
 * As soon as day, time and party size are known, ask whether there is a table: a closed or full
 * time is said before the guest is asked for a name, not after.
 */
export function collect(d: Draft, booking: Booking): Step {
  const before = d.state.phase;
  const { business } = d;
  const today = localDate(d.now, business.timezone);
  if (booking.date !== undefined && booking.date < today) {
    const { date: _past, ...rest } = booking;
    return d.phase({ kind: 'collecting', booking: rest, expecting: 'date' }).say(d.cat.dateInPast).done();
  }
  if (
    booking.partySize !== undefined &&
    (booking.partySize < 1 || booking.partySize > business.maxPartySize)
  ) {
    const { partySize: _tooMany, ...rest } = booking;
    return d
      .phase({ kind: 'collecting', booking: rest, expecting: 'party_size' })
      .reply(largePartyOffer(d))
      .done();
  }
  if (hasSlot(booking)) {
    const key = slotKey(booking);
    if (checkedOf(before) !== key) {
      const known = knownName(d);
      return d
        .phase({ kind: 'checking', booking, ...(known ? { knownName: known } : {}) })
        .call({
          kind: 'checkAvailability',
          partySize: booking.partySize,
          date: booking.date,
          time: booking.time,
        })
        .done();
    }
    if (booking.name === undefined) return askName(d, booking, key, knownName(d));
    return summary(d, { ...booking, name: booking.name });
  }
  const missing = missingDetail(booking);
  d.phase({ kind: 'collecting', booking, expecting: missing });
  const offer = flowOffer(d, before, booking);
  if (offer) return d.reply(offer).done();
  // A bare "3" deserves an answer that shows it was heard, not just the next question.
  const heard = booking.partySize !== undefined && booking.partySize !== bookingSoFar(before).partySize;
  const ask = question(d.cat, missing);
  return d.say(heard && booking.partySize ? `${d.cat.partyNoted(booking.partySize)} ${ask}` : ask).done();
}

/** Only the name is missing and the slot is free: ask for it, offering a name we already know. */
function askName(d: Draft, booking: SlotBooking, checked: SlotKey, known?: string, lead?: string): Step {
  d.phase({ kind: 'collecting', booking, expecting: 'name', checked });
  const ask = lead ? `${lead}\n${d.cat.askName}` : d.cat.askName;
  if (known && known.length <= 20) {
    return d
      .reply(buttons(`${ask}\n${d.cat.useProfileName(known)}`, [{ id: choiceId.name(known), title: known }]))
      .done();
  }
  return d.say(ask).done();
}

/** The name of the guest's last booking, or their WhatsApp profile name. */
function knownName(d: Draft): string | undefined {
  return d.state.guestName ?? d.occasion.turn?.profileName;
}

/** Everything is known and the slot was free: the summary, booked only when the guest confirms. */
function summary(d: Draft, booking: CompleteBooking): Step {
  return d
    .phase({ kind: 'confirming', booking })
    .reply(
      buttons(d.cat.summary(booking, d.cat.when(booking.date, booking.time)), [
        { id: choiceId.confirm('yes'), title: d.cat.confirmButtons.confirm },
        { id: choiceId.confirm('change'), title: d.cat.confirmButtons.change },
        { id: choiceId.confirm('cancel'), title: d.cat.confirmButtons.cancel },
      ]),
    )
    .done();
}

/**
 * A party above what the restaurant books online: a person can still seat them. The guest is
 * offered the team (a handoff) and the restaurant's number, or a smaller party; never the same
 * question again.
 */
export function largePartyOffer(d: Draft): Reply {
  return buttons(d.cat.partyTooLarge(d.business.maxPartySize, d.business.phone), [
    { id: choiceId.intent('human'), title: d.cat.talkToTeam },
  ]);
}

function question(cat: Catalogue, slot: Expecting): string {
  switch (slot) {
    case 'date':
      return cat.askDate;
    case 'time':
      return cat.askTime;
    case 'party_size':
      return cat.askPartySize;
    case 'name':
      return cat.askName;
    default: {
      const never: never = slot;
      throw new Error(`unknown slot ${String(never)}`);
    }
  }
}

function missingDetail(booking: Booking): Exclude<Expecting, 'name'> {
  if (booking.date === undefined) return 'date';
  if (booking.time === undefined) return 'time';
  return 'party_size';
}

function hasSlot(booking: Booking): booking is SlotBooking {
  return booking.date !== undefined && booking.time !== undefined && booking.partySize !== undefined;
}

function slotKey(booking: SlotBooking): SlotKey {
  return `${booking.date}T${booking.time}/${booking.partySize}`;
}

/** The slot already found free in this booking, if any: a summary was shown or the name is awaited. */
function checkedOf(phase: Phase): SlotKey | undefined {
  if (phase.kind === 'confirming') return slotKey(phase.booking);
  return phase.kind === 'collecting' ? phase.checked : undefined;
}

/** The summary's buttons: book it (with the turn's idempotency key), change it, or drop it. */
export function onConfirm(d: Draft, turn: GuestTurn, answer: 'yes' | 'change' | 'cancel'): Step {
  const phase = d.state.phase;
  if (phase.kind !== 'confirming') return stale(d);
  if (answer === 'yes') {
    const { booking } = phase;
    return d
      .phase({ kind: 'creating', booking })
      .call({
        kind: 'createReservation',
        // A retried message asks again with the same key: the reservation service books it once.
        idempotencyKey: `${turn.conversationId}:${turn.messageId}`,
        ...booking,
      })
      .done();
  }
  if (answer === 'change')
    return d
      .phase({ kind: 'collecting', booking: phase.booking, checked: slotKey(phase.booking) })
      .say(d.cat.whatToChange)
      .done();
  return d.phase({ kind: 'idle' }).say(d.cat.bookingStopped).done();
}

export function onAvailability(
  d: Draft,
  phase: Extract<Phase, { kind: 'checking' }>,
  result: Extract<CallResult, { kind: 'availability' }>['result'],
): Step {
  const { booking } = phase;
  if (!result.ok) return d.phase({ kind: 'collecting', booking }).say(d.cat.checkFailed).done();
  if (result.preferredAvailable && !result.closedReason) {
    if (booking.name !== undefined) return summary(d, { ...booking, name: booking.name });
    const free = d.cat.slotFree(booking.partySize, d.cat.when(booking.date, booking.time));
    return askName(d, booking, slotKey(booking), phase.knownName, free);
  }
  return refusedBooking(d, booking, result.closedReason || 'NO_CAPACITY', result.alternatives);
}

export function onCreated(
  d: Draft,
  booking: CompleteBooking,
  result: Extract<CallResult, { kind: 'created' }>['result'],
): Step {
  if (result.ok) {
    const r = result.reservation;
    d.state = { ...d.state, guestName: booking.name };
    return d
      .phase({ kind: 'idle' })
      .note({ kind: 'reservation.booked', reservationId: r.id })
      .say(d.cat.booked(booking, d.cat.when(r.date, r.time), bookingReference(r.id)))
      .done();
  }
  if (isTransient(result.code)) return d.phase({ kind: 'confirming', booking }).say(d.cat.checkFailed).done();
  return refusedBooking(d, booking, result.code, result.alternatives ?? []);
}

/** The booking cannot go ahead as asked: say why and offer the nearest free slots, or ask again. */
function refusedBooking(d: Draft, booking: SlotBooking, code: string, alternatives: SlotOption[]): Step {
  const when = d.cat.when(booking.date, booking.time);
  if (code === 'PARTY_TOO_LARGE') {
    const { partySize: _tooMany, ...rest } = booking;
    return d
      .phase({ kind: 'collecting', booking: rest, expecting: 'party_size' })
      .reply(largePartyOffer(d))
      .done();
  }
  const why =
    code === 'NO_CAPACITY'
      ? d.cat.slotTaken(when)
      : code === 'CLOSED'
        ? d.cat.closedThen(when)
        : d.cat.refused(code);
  if (code === 'NO_CAPACITY' && d.business.waitlist) return fullSeatingOffer(d, why, booking, alternatives);
  const slots = alternatives.slice(0, 3);
  if (slots.length > 0) {
    return d
      .phase({ kind: 'offering', booking, slots })
      .reply(offer(d.cat, `${why}\n${d.cat.nearestSlots}`, slots, booking.date))
      .done();
  }
  const { date: _date, time: _time, ...rest } = booking;
  return d
    .phase({ kind: 'collecting', booking: rest, expecting: 'date' })
    .say(code === 'NO_CAPACITY' ? d.cat.noSlotsNear(when) : `${why}\n${d.cat.askDate}`)
    .done();
}

/** Free slots as buttons, the day left out of those on the day asked for. */
export function offer(cat: Catalogue, body: string, slots: SlotOption[], askedDate: string): Reply {
  return buttons(
    body,
    slots.map((slot) => ({
      id: choiceId.slot(slot.date, slot.time),
      title: cat.slotTitle(slot.date, slot.time, slot.date === askedDate),
    })),
  );
}

export function inBookingFlow(phase: Phase): phase is Extract<Phase, { booking: Booking }> {
  return (
    phase.kind === 'collecting' ||
    phase.kind === 'offering' ||
    phase.kind === 'confirming' ||
    phase.kind === 'checking' ||
    phase.kind === 'creating'
  );
}

/** The booking in progress, or none: what new details are added to. */
export function bookingSoFar(phase: Phase): Booking {
  return inBookingFlow(phase) ? phase.booking : {};
}

export function merge(booking: Booking, entities: Entities): Booking {
  return {
    ...booking,
    ...(entities.date !== undefined ? { date: entities.date } : {}),
    ...(entities.time !== undefined ? { time: entities.time } : {}),
    ...(entities.partySize !== undefined ? { partySize: entities.partySize } : {}),
    ...(entities.guestName !== undefined ? { name: entities.guestName } : {}),
  };
}
