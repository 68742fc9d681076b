import { localDate } from './calendar.js';
import type { Catalogue } from './catalogue.js';
import { choiceId } from './choices.js';
import { type Draft, isTransient, stale } from './draft.js';
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
  SlotOption,
  Step,
} from './types.js';

/** Booking: take what the guest gave, refuse what cannot be, ask only for the first missing slot. */
export function collect(d: Draft, booking: Booking): Step {
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
      .say(d.cat.partyTooLarge(business.maxPartySize))
      .done();
  }
  const missing = firstMissing(booking);
  if (!missing) {
    const complete = booking as CompleteBooking;
    return d
      .phase({ kind: 'checking', booking: complete })
      .call({
        kind: 'checkAvailability',
        partySize: complete.partySize,
        date: complete.date,
        time: complete.time,
      })
      .done();
  }
  d.phase({ kind: 'collecting', booking, expecting: missing });
  if (missing === 'name') {
    const known = d.state.guestName ?? d.occasion.turn?.profileName;
    if (known && known.length <= 20) {
      return d
        .reply(
          buttons(`${d.cat.askName}\n${d.cat.useProfileName(known)}`, [
            { id: choiceId.name(known), title: known },
          ]),
        )
        .done();
    }
  }
  return d.say(question(d.cat, missing)).done();
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

function firstMissing(booking: Booking): Expecting | undefined {
  if (booking.date === undefined) return 'date';
  if (booking.time === undefined) return 'time';
  if (booking.partySize === undefined) return 'party_size';
  if (booking.name === undefined) return 'name';
  return undefined;
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
    return d.phase({ kind: 'collecting', booking: phase.booking }).say(d.cat.whatToChange).done();
  return d.phase({ kind: 'idle' }).say(d.cat.bookingStopped).done();
}

export function onAvailability(
  d: Draft,
  booking: CompleteBooking,
  result: Extract<CallResult, { kind: 'availability' }>['result'],
): Step {
  if (!result.ok) return d.phase({ kind: 'collecting', booking }).say(d.cat.checkFailed).done();
  if (result.preferredAvailable && !result.closedReason) {
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
      .say(d.cat.booked(booking, d.cat.when(r.date, r.time), reference(r.id)))
      .done();
  }
  if (isTransient(result.code)) return d.phase({ kind: 'confirming', booking }).say(d.cat.checkFailed).done();
  return refusedBooking(d, booking, result.code, result.alternatives ?? []);
}

/** The booking cannot go ahead as asked: say why and offer the nearest free slots, or ask again. */
function refusedBooking(d: Draft, booking: CompleteBooking, code: string, alternatives: SlotOption[]): Step {
  const when = d.cat.when(booking.date, booking.time);
  if (code === 'PARTY_TOO_LARGE') {
    const { partySize: _tooMany, ...rest } = booking;
    return d
      .phase({ kind: 'collecting', booking: rest, expecting: 'party_size' })
      .say(d.cat.partyTooLarge(d.business.maxPartySize))
      .done();
  }
  const why =
    code === 'NO_CAPACITY'
      ? d.cat.slotTaken(when)
      : code === 'CLOSED'
        ? d.cat.closedThen(when)
        : d.cat.refused(code);
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
    .say(code === 'NO_CAPACITY' || code === 'CLOSED' ? d.cat.noSlotsNear(when) : `${why}\n${d.cat.askDate}`)
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

/** What the guest can quote: the reservation id without its prefix, short enough to read out. */
export function reference(reservationId: string): string {
  return reservationId.replace(/^r_/, '').slice(0, 8);
}
