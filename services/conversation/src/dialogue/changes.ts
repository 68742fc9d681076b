import { bookingReference, quotesReference } from '@reserveit/contracts';
import { largePartyOffer, merge, offer } from './booking.js';
import { localDate } from './calendar.js';
import { choiceId } from './choices.js';
import { type Draft, isTransient, stale } from './draft.js';
import { buttons, list } from './replies.js';
import type { Booking, CallResult, Entities, Phase, ReservationSummary, SlotOption, Step } from './types.js';

type Purpose = 'cancel' | 'modify';

/**
 * Changing or cancelling starts with the guest's upcoming reservations; a reference quoted in the
 * message (`quoted`) picks one of them.
 */
export function findReservations(d: Draft, purpose: Purpose, changes: Booking, quoted: string[] = []): Step {
  return d
    .phase({ kind: 'finding', purpose, changes, ...(quoted.length > 0 ? { quoted } : {}) })
    .call({ kind: 'listReservations' })
    .done();
}

/**
 * Words of a message that could be a booking reference: six characters (today's) or eight (the
 * older ones, which may hold - and _), split on spaces and punctuation.
 */
export function referencesIn(text: string): string[] {
  return text.split(/[\s.,;:!?()"'«»،؟#]+/u).filter((word) => /^[A-Za-z0-9_-]{6,9}$/.test(word));
}

/** The one reservation of `reservations` a quoted reference names, if exactly one. */
export function quotedReservation(
  reservations: readonly ReservationSummary[],
  quoted: readonly string[],
): ReservationSummary | undefined {
  const named = reservations.filter((r) => quoted.some((word) => quotesReference(word, r.id)));
  return named.length === 1 ? named[0] : undefined;
}

/** One reservation: straight to it; several: the guest picks one from a list, soonest first. */
export function onListed(
  d: Draft,
  phase: Extract<Phase, { kind: 'finding' }>,
  result: Extract<CallResult, { kind: 'listed' }>['result'],
): Step {
  if (!result.ok) return d.phase({ kind: 'idle' }).say(d.cat.checkFailed).done();
  const now = Date.parse(d.now);
  const upcoming = result.reservations
    .filter((r) => Date.parse(r.startsAt) > now)
    .sort((a, b) => Date.parse(a.startsAt) - Date.parse(b.startsAt));
  const [first] = upcoming;
  if (!first) return d.phase({ kind: 'idle' }).say(d.cat.noUpcoming).done();
  if (upcoming.length === 1) return chosen(d, phase.purpose, first, phase.changes);
  const named = quotedReservation(upcoming, phase.quoted ?? []);
  if (named) return chosen(d, phase.purpose, named, phase.changes);
  const reservations = upcoming.slice(0, 10);
  return d
    .phase({ kind: 'choosing', purpose: phase.purpose, changes: phase.changes, reservations })
    .reply(
      list(
        d.cat.whichReservation(phase.purpose),
        d.cat.listButton,
        reservations.map((r) => {
          const row = d.cat.reservationRow(r, d.cat.when(r.date, r.time));
          // The reference the confirmation quoted, so a guest can tell bookings apart by it.
          return {
            id: choiceId.reservation(r.id),
            ...row,
            description: `${row.description} · ${bookingReference(r.id)}`,
          };
        }),
      ),
    )
    .done();
}

/** The guest picked one of the listed reservations. */
export function onReservationPicked(d: Draft, id: string): Step {
  const phase = d.state.phase;
  if (phase.kind !== 'choosing') return stale(d);
  const reservation = phase.reservations.find((r) => r.id === id);
  if (!reservation) return stale(d);
  return chosen(d, phase.purpose, reservation, phase.changes);
}

/** The reservation to cancel or change is known: ask to confirm the cancellation, or what to change. */
function chosen(d: Draft, purpose: Purpose, reservation: ReservationSummary, changes: Booking): Step {
  const when = d.cat.when(reservation.date, reservation.time);
  if (purpose === 'cancel') {
    return d
      .phase({ kind: 'confirmingCancel', reservation })
      .reply(
        buttons(d.cat.confirmCancel(reservation, when), [
          { id: choiceId.cancelAnswer(true), title: d.cat.cancelButtons.yes },
          { id: choiceId.cancelAnswer(false), title: d.cat.cancelButtons.no },
        ]),
      )
      .done();
  }
  if (hasChanges(changes)) return applyChange(d, reservation, changes);
  return d.phase({ kind: 'modifying', reservation, changes: {} }).say(d.cat.askChange(when)).done();
}

/** Yes or no to "cancel this reservation?". */
export function onCancelAnswer(d: Draft, yes: boolean): Step {
  const phase = d.state.phase;
  if (phase.kind !== 'confirmingCancel') return stale(d);
  if (!yes) return d.phase({ kind: 'idle' }).say(d.cat.keptReservation).done();
  return d
    .phase({ kind: 'cancelling', reservation: phase.reservation })
    .call({ kind: 'cancelReservation', reservationId: phase.reservation.id })
    .done();
}

export function onCancelled(d: Draft, result: Extract<CallResult, { kind: 'cancelled' }>['result']): Step {
  d.phase({ kind: 'idle' });
  if (!result.ok)
    return d.say(isTransient(result.code) ? d.cat.checkFailed : d.cat.refused(result.code)).done();
  const r = result.reservation;
  return d
    .note({ kind: 'reservation.cancelled', reservationId: r.id })
    .say(d.cat.cancelled(d.cat.when(r.date, r.time)))
    .done();
}

/**
 * A new day, time or party size for the reservation: checked like a booking's (a new day or time
 * with the reservation service at once, so a closed time is said before the guest confirms), then
 * shown to the guest to confirm before anything is changed, as a booking and a cancellation are.
 */
export function applyChange(d: Draft, reservation: ReservationSummary, changes: Booking): Step {
  const today = localDate(d.now, d.business.timezone);
  if (changes.date !== undefined && changes.date < today) {
    return d.phase({ kind: 'modifying', reservation, changes: {} }).say(d.cat.dateInPast).done();
  }
  if (
    changes.partySize !== undefined &&
    (changes.partySize < 1 || changes.partySize > d.business.maxPartySize)
  ) {
    return d.phase({ kind: 'modifying', reservation, changes: {} }).reply(largePartyOffer(d)).done();
  }
  if (changes.date === undefined && changes.time === undefined) return confirmChange(d, reservation, changes);
  const after = changed(reservation, changes);
  return d
    .phase({ kind: 'checkingChange', reservation, changes })
    .call({ kind: 'checkAvailability', ...after })
    .done();
}

/**
 * What the reservation service said of the new day or time. Only a refusal of the whole time
 * (closed, too soon, too far ahead) stops the change here: the guest's own table still counts in
 * the availability of its day, so whether it fits is left to ModifyReservation, which answers
 * with the nearest free times; a check that failed leaves it to it as well.
 */
export function onChangeAvailability(
  d: Draft,
  phase: Extract<Phase, { kind: 'checkingChange' }>,
  result: Extract<CallResult, { kind: 'availability' }>['result'],
): Step {
  const { reservation, changes } = phase;
  const refusal = result.ok ? result.closedReason : undefined;
  if (!result.ok || !refusal || refusal === 'NO_CAPACITY') return confirmChange(d, reservation, changes);
  return refusedChange(d, reservation, changes, refusal, result.alternatives);
}

/** The change as the guest will have it, with buttons to apply it or keep the reservation. */
function confirmChange(d: Draft, reservation: ReservationSummary, changes: Booking): Step {
  const after = changed(reservation, changes);
  return d
    .phase({ kind: 'confirmingChange', reservation, changes })
    .reply(
      buttons(
        d.cat.confirmChange(
          reservation,
          d.cat.when(reservation.date, reservation.time),
          after.partySize,
          d.cat.when(after.date, after.time),
        ),
        [
          { id: choiceId.changeAnswer(true), title: d.cat.changeButtons.yes },
          { id: choiceId.changeAnswer(false), title: d.cat.changeButtons.no },
        ],
      ),
    )
    .done();
}

function changed(
  reservation: ReservationSummary,
  changes: Booking,
): { date: string; time: string; partySize: number } {
  return {
    date: changes.date ?? reservation.date,
    time: changes.time ?? reservation.time,
    partySize: changes.partySize ?? reservation.partySize,
  };
}

/** Yes or no to "change your table … to …?": only a yes calls the reservation service. */
export function onChangeAnswer(d: Draft, yes: boolean): Step {
  const phase = d.state.phase;
  if (phase.kind !== 'confirmingChange') return stale(d);
  if (!yes) return d.phase({ kind: 'idle' }).say(d.cat.keptReservation).done();
  const { reservation, changes } = phase;
  return d
    .phase({ kind: 'applyingChange', reservation, changes })
    .call({
      kind: 'modifyReservation',
      reservationId: reservation.id,
      ...(changes.date ? { date: changes.date } : {}),
      ...(changes.time ? { time: changes.time } : {}),
      ...(changes.partySize ? { partySize: changes.partySize } : {}),
    })
    .done();
}

/**
 * The reservation whose change is being asked or confirmed, and the changes so far: a guest who
 * adds "and make it 9pm" to a change awaiting confirmation amends it.
 */
export function changing(phase: Phase): { reservation: ReservationSummary; changes: Booking } | undefined {
  if (phase.kind === 'modifying') return { reservation: phase.reservation, changes: phase.changes };
  if (phase.kind === 'confirmingChange') return { reservation: phase.reservation, changes: phase.changes };
  return undefined;
}

export function onModified(
  d: Draft,
  phase: Extract<Phase, { kind: 'applyingChange' }>,
  result: Extract<CallResult, { kind: 'modified' }>['result'],
): Step {
  if (result.ok) {
    const r = result.reservation;
    return d
      .phase({ kind: 'idle' })
      .note({ kind: 'reservation.modified', reservationId: r.id })
      .say(d.cat.modified(r, d.cat.when(r.date, r.time)))
      .done();
  }
  const { code, alternatives = [] } = result;
  if (isTransient(code))
    return d
      .phase({ kind: 'modifying', reservation: phase.reservation, changes: phase.changes })
      .say(d.cat.checkFailed)
      .done();
  return refusedChange(d, phase.reservation, phase.changes, code, alternatives);
}

/** The change cannot be made as asked: the nearest free times when there are, else why not. */
function refusedChange(
  d: Draft,
  reservation: ReservationSummary,
  changes: Booking,
  code: string,
  alternatives: SlotOption[],
): Step {
  if (code === 'PARTY_TOO_LARGE')
    return d.phase({ kind: 'modifying', reservation, changes: {} }).reply(largePartyOffer(d)).done();
  const slots = alternatives.slice(0, 3);
  if ((code === 'NO_CAPACITY' || code === 'CLOSED') && slots.length > 0) {
    const asked = changes.date ?? reservation.date;
    return d
      .phase({ kind: 'modifying', reservation, changes, slots })
      .reply(offer(d.cat, `${d.cat.refused(code)}\n${d.cat.nearestSlots}`, slots, asked))
      .done();
  }
  return d.phase({ kind: 'modifying', reservation, changes: {} }).say(d.cat.refused(code)).done();
}

/** The day, time and party size the guest gave; a name is not something a change carries. */
export function changesOf(entities: Entities): Booking {
  return merge({}, { ...entities, guestName: undefined });
}

export function hasChanges(entities: Entities): boolean {
  return entities.date !== undefined || entities.time !== undefined || entities.partySize !== undefined;
}
