import { merge, offer } from './booking.js';
import { localDate } from './calendar.js';
import { choiceId } from './choices.js';
import { type Draft, isTransient, stale } from './draft.js';
import { buttons, list } from './replies.js';
import type { Booking, CallResult, Entities, Phase, ReservationSummary, Step } from './types.js';

type Purpose = 'cancel' | 'modify';

/** Changing or cancelling starts with the guest's upcoming reservations. */
export function findReservations(d: Draft, purpose: Purpose, changes: Booking): Step {
  return d.phase({ kind: 'finding', purpose, changes }).call({ kind: 'listReservations' }).done();
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
  const reservations = upcoming.slice(0, 10);
  return d
    .phase({ kind: 'choosing', purpose: phase.purpose, changes: phase.changes, reservations })
    .reply(
      list(
        d.cat.whichReservation(phase.purpose),
        d.cat.listButton,
        reservations.map((r) => ({
          id: choiceId.reservation(r.id),
          ...d.cat.reservationRow(r, d.cat.when(r.date, r.time)),
        })),
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

/** The reservation to cancel or change is known: ask to confirm the cancellation, or apply the change. */
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

/** Moves the reservation to the new day, time or party size, once they pass the same checks as a booking. */
export function applyChange(d: Draft, reservation: ReservationSummary, entities: Entities): Step {
  const changes = changesOf(entities);
  const today = localDate(d.now, d.business.timezone);
  if (changes.date !== undefined && changes.date < today) {
    return d.phase({ kind: 'modifying', reservation, changes: {} }).say(d.cat.dateInPast).done();
  }
  if (
    changes.partySize !== undefined &&
    (changes.partySize < 1 || changes.partySize > d.business.maxPartySize)
  ) {
    return d
      .phase({ kind: 'modifying', reservation, changes: {} })
      .say(d.cat.partyTooLarge(d.business.maxPartySize))
      .done();
  }
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
  const slots = alternatives.slice(0, 3);
  if ((code === 'NO_CAPACITY' || code === 'CLOSED') && slots.length > 0) {
    const asked = phase.changes.date ?? phase.reservation.date;
    return d
      .phase({ kind: 'modifying', reservation: phase.reservation, changes: phase.changes, slots })
      .reply(offer(d.cat, `${d.cat.refused(code)}\n${d.cat.nearestSlots}`, slots, asked))
      .done();
  }
  return d
    .phase({ kind: 'modifying', reservation: phase.reservation, changes: {} })
    .say(d.cat.refused(code))
    .done();
}

/** The day, time and party size the guest gave; a name is not something a change carries. */
export function changesOf(entities: Entities): Booking {
  return merge({}, { ...entities, guestName: undefined });
}

export function hasChanges(entities: Entities): boolean {
  return entities.date !== undefined || entities.time !== undefined || entities.partySize !== undefined;
}
