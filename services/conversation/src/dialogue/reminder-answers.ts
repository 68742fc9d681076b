import { findReservations } from './changes.js';
import type { Choice } from './choices.js';
import { type Draft, isTransient } from './draft.js';
import { minutesIn, reminderWords } from './reminder-words.js';
import type { CallResult, GuestTurn, Step } from './types.js';

/** Words answer the last reminder for a day after it was sent, like its buttons do. */
const ANSWERS_REMINDER_MS = 24 * 60 * 60_000;

type ReminderChoice = Extract<Choice, { kind: 'reminder' }>;

/**
 * A tap on a reminder's button (or its template's quick reply). Confirm records it on the booking;
 * Running late asks how late; Cancel takes the usual way of a cancellation (the guest's upcoming
 * booking, confirmed before it is cancelled, the restaurant's cutoff checked by the reservation service).
 */
export function onReminderChoice(d: Draft, choice: ReminderChoice): Step {
  switch (choice.answer) {
    case 'confirm':
      return answer(d, choice.reservationId, 'confirmed');
    case 'late':
      return d
        .phase({ kind: 'askingLate', reservationId: choice.reservationId })
        .say(d.cat.askLateMinutes)
        .done();
    case 'cancel':
      return findReservations(d, 'cancel', {});
    default: {
      const never: never = choice.answer;
      throw new Error(`unknown reminder answer ${String(never)}`);
    }
  }
}

/**
 * The guest's words after a reminder ("yes we'll be there", "we're 15 minutes late", "سنتأخر ربع
 * ساعة") or the minutes asked for after "Running late"; undefined when they answer nothing of it.
 */
export function onReminderWords(d: Draft, turn: GuestTurn): Step | undefined {
  const { phase, reminded } = d.state;
  if (phase.kind === 'askingLate') {
    const minutes = minutesIn(turn.text);
    return minutes === undefined ? undefined : answer(d, phase.reservationId, 'running_late', minutes);
  }
  if (!reminded || phase.kind !== 'idle') return undefined;
  if (Date.parse(turn.now) - Date.parse(reminded.at) > ANSWERS_REMINDER_MS) return undefined;
  const words = reminderWords(turn.text);
  if (!words) return undefined;
  if (words.answer === 'confirmed') return answer(d, reminded.reservationId, 'confirmed');
  if (words.minutes === undefined)
    return d
      .phase({ kind: 'askingLate', reservationId: reminded.reservationId })
      .say(d.cat.askLateMinutes)
      .done();
  return answer(d, reminded.reservationId, 'running_late', words.minutes);
}

function answer(
  d: Draft,
  reservationId: string,
  value: 'confirmed' | 'running_late',
  minutes?: number,
): Step {
  return d
    .phase({ kind: 'answeringReminder', reservationId })
    .call({
      kind: 'answerReminder',
      reservationId,
      answer: value,
      ...(minutes === undefined ? {} : { minutes }),
    })
    .done();
}

/** AnswerReminder answered: thanks, and for a late party what staff were told. */
export function onReminderAnswered(
  d: Draft,
  result: Extract<CallResult, { kind: 'reminderAnswered' }>['result'],
): Step {
  const phase = d.state.phase;
  if (phase.kind !== 'answeringReminder') return d.done();
  d.phase({ kind: 'idle' });
  if (!result.ok)
    return d.say(isTransient(result.code) ? d.cat.checkFailed : d.cat.refused(result.code)).done();
  const r = result.reservation;
  const when = d.cat.when(r.date, r.time);
  if (result.lateMinutes !== undefined) {
    return d
      .note({
        kind: 'reminder.answered',
        reservationId: r.id,
        answer: 'running_late',
        minutes: result.lateMinutes,
      })
      .say(d.cat.lateNoted(result.lateMinutes))
      .done();
  }
  return d
    .note({ kind: 'reminder.answered', reservationId: r.id, answer: 'confirmed' })
    .say(d.cat.reminderConfirmed(when))
    .done();
}
