import { bookingReference } from '@reserveit/contracts';
import { choiceId } from './choices.js';
import { type Draft, isTransient, mainMenu, stale } from './draft.js';
import { buttons } from './replies.js';
import type { CallResult, GuestTurn, Phase, Reply, SlotBooking, SlotOption, Step } from './types.js';

/**
 * The waitlist, from the guest's side: a full seating's refusal offers to wait for it; the
 * reservation service offers the covers that free up to the waiting parties in join order, and a
 * tap on the offer's Confirm button takes the table.
 */

/** Up to two nearest free times beside the waitlist button (three buttons at most). */
export function fullSeatingOffer(
  d: Draft,
  why: string,
  booking: SlotBooking,
  alternatives: SlotOption[],
): Step {
  const slots = alternatives.slice(0, 2);
  const body = [why, slots.length > 0 ? d.cat.nearestSlots : '', d.cat.waitlistOption]
    .filter(Boolean)
    .join('\n');
  return d
    .phase({ kind: 'offering', booking, slots })
    .reply(
      buttons(body, [
        ...slots.map((slot) => ({
          id: choiceId.slot(slot.date, slot.time),
          title: d.cat.slotTitle(slot.date, slot.time, slot.date === booking.date),
        })),
        { id: choiceId.waitlistJoin(), title: d.cat.joinWaitlistButton },
      ]),
    )
    .done();
}

/** The guest tapped "Join the waitlist" under a full seating's refusal. */
export function joinWaitlist(d: Draft, turn: GuestTurn): Step {
  const phase = d.state.phase;
  if (phase.kind !== 'offering' || !isSlot(phase.booking) || !d.business.waitlist) return stale(d);
  const booking = phase.booking;
  return d
    .phase({ kind: 'joiningWaitlist', booking })
    .call({
      kind: 'joinWaitlist',
      // A retried message joins with the same key: the reservation service keeps one entry.
      idempotencyKey: `${turn.conversationId}:${turn.messageId}`,
      partySize: booking.partySize,
      date: booking.date,
      time: booking.time,
      name: booking.name ?? d.state.guestName ?? turn.profileName ?? '',
    })
    .done();
}

export function onWaitlistJoined(
  d: Draft,
  phase: Extract<Phase, { kind: 'joiningWaitlist' }>,
  result: Extract<CallResult, { kind: 'waitlistJoined' }>['result'],
): Step {
  const { booking } = phase;
  const when = d.cat.when(booking.date, booking.time);
  if (result.ok) {
    return d
      .phase({ kind: 'idle' })
      .note({ kind: 'waitlist.joined', entryId: result.entryId })
      .say(d.cat.waitlistJoined(booking.partySize, when))
      .done();
  }
  if (result.code === 'NOT_FULL')
    return d
      .phase({ kind: 'idle' })
      .reply(mainMenu(d.cat, d.cat.waitlistNotNeeded(when)))
      .done();
  if (isTransient(result.code))
    return d.phase({ kind: 'offering', booking, slots: [] }).say(d.cat.checkFailed).done();
  return d.phase({ kind: 'idle' }).say(d.cat.refused(result.code)).done();
}

/** The guest tapped Confirm on a waitlist offer: from whatever phase, like any tap on an old button. */
export function acceptOffer(d: Draft, date: string, entryId: string): Step {
  return d
    .phase({ kind: 'acceptingOffer', date, entryId })
    .call({ kind: 'acceptWaitlistOffer', date, entryId })
    .done();
}

export function onOfferAccepted(
  d: Draft,
  result: Extract<CallResult, { kind: 'offerAccepted' }>['result'],
): Step {
  if (result.ok) {
    const r = result.reservation;
    return d
      .phase({ kind: 'idle' })
      .note({ kind: 'reservation.booked', reservationId: r.id })
      .say(d.cat.booked(r, d.cat.when(r.date, r.time), bookingReference(r.id)))
      .done();
  }
  if (isTransient(result.code)) return d.phase({ kind: 'idle' }).say(d.cat.checkFailed).done();
  const why =
    result.code === 'OFFER_EXPIRED' || result.code === 'NOT_FOUND'
      ? d.cat.offerGone
      : d.cat.refused(result.code);
  return d.phase({ kind: 'idle' }).reply(mainMenu(d.cat, why)).done();
}

/**
 * The message that offers a freed table to a waiting guest: Confirm takes it. Built here so the
 * offer speaks the guest's language and its button is one this dialogue reads back.
 */
export function waitlistOfferReply(
  d: Pick<Draft, 'cat'>,
  offer: { date: string; time: string; partySize: number; entryId: string; until: string },
): Reply {
  return buttons(d.cat.waitlistOffer(offer.partySize, d.cat.when(offer.date, offer.time), offer.until), [
    { id: choiceId.offerAccept(offer.date, offer.entryId), title: d.cat.confirmOfferButton },
  ]);
}

function isSlot(booking: { date?: string; time?: string; partySize?: number }): booking is SlotBooking {
  return booking.date !== undefined && booking.time !== undefined && booking.partySize !== undefined;
}
