import { describe, expect, it } from 'vitest';
import type { CallResult, ConversationState, Language } from '../src/dialogue/index.js';
import { minutesIn, reminderWords } from '../src/dialogue/reminder-words.js';
import { at, bodies, greeted, listed, reservation, tap, turn, when } from './dialogue-fixtures.js';

const RSV = 'r_abcdefghijklmnop';
/** A conversation the reminder of booking RSV was sent into an hour before NOW. */
const reminded = (language: Language = 'en'): ConversationState => ({
  ...greeted(language),
  reminded: { reservationId: RSV, at: at(-3_600_000) },
});
const answered = (lateMinutes?: number): CallResult => ({
  kind: 'reminderAnswered',
  result: { ok: true, reservation: reservation(), ...(lateMinutes ? { lateMinutes } : {}) },
});

describe('answers to a reminder', () => {
  it('records a tap on Confirm on the booking and thanks the guest (English)', async () => {
    const s = await when(reminded(), tap(`reminder:confirm:${RSV}`, 'Confirm'), [answered()]);
    expect(s.calls).toEqual([{ kind: 'answerReminder', reservationId: RSV, answer: 'confirmed' }]);
    expect(bodies(s.replies)).toEqual(['Thank you, see you on Tue 24 Nov at 20:00!']);
    expect(s.notes).toEqual([{ kind: 'reminder.answered', reservationId: RSV, answer: 'confirmed' }]);
    expect(s.state.phase).toEqual({ kind: 'idle' });
  });

  it('asks how late after a tap on Running late, then records the minutes (Arabic, Arabic digits)', async () => {
    const s1 = await when(reminded('ar'), tap(`reminder:late:${RSV}`, 'سأتأخر قليلًا'));
    expect(bodies(s1.replies)).toEqual(['شكرًا لإعلامنا. كم دقيقة تقريبًا ستتأخر؟']);
    const s2 = await when(s1.state, turn('١٥ دقيقة', { intent: 'OTHER', language: 'ar' }), [answered(15)]);
    expect(s2.calls).toEqual([
      { kind: 'answerReminder', reservationId: RSV, answer: 'running_late', minutes: 15 },
    ]);
    expect(bodies(s2.replies)).toEqual(['شكرًا، أبلغنا الفريق أنك ستتأخر نحو 15 دقيقة.']);
  });

  it('takes a tap on Cancel the usual way: the booking is confirmed before it is cancelled', async () => {
    const s = await when(reminded(), tap(`reminder:cancel:${RSV}`, 'Cancel'), [listed(reservation())]);
    expect(s.calls).toEqual([{ kind: 'listReservations' }]);
    expect(s.state.phase).toMatchObject({ kind: 'confirmingCancel', reservation: { id: RSV } });
  });

  it('understands words after a reminder: "yes we\'ll be there" and "we\'re 15 minutes late" (English)', async () => {
    const yes = await when(reminded(), turn("yes we'll be there", { intent: 'OTHER' }), [answered()]);
    expect(yes.calls).toEqual([{ kind: 'answerReminder', reservationId: RSV, answer: 'confirmed' }]);
    const late = await when(reminded(), turn("we're 15 minutes late", { intent: 'OTHER' }), [answered(15)]);
    expect(late.calls).toEqual([
      { kind: 'answerReminder', reservationId: RSV, answer: 'running_late', minutes: 15 },
    ]);
  });

  it('understands the same in Arabic: "نعم سنحضر" and "سنتأخر ربع ساعة"', async () => {
    const yes = await when(reminded('ar'), turn('نعم سنحضر', { intent: 'OTHER', language: 'ar' }), [
      answered(),
    ]);
    expect(yes.calls).toEqual([{ kind: 'answerReminder', reservationId: RSV, answer: 'confirmed' }]);
    expect(bodies(yes.replies)[0]).toContain('شكرًا، نراك');
    const late = await when(reminded('ar'), turn('سنتأخر ربع ساعة', { intent: 'OTHER', language: 'ar' }), [
      answered(15),
    ]);
    expect(late.calls).toEqual([
      { kind: 'answerReminder', reservationId: RSV, answer: 'running_late', minutes: 15 },
    ]);
  });

  it('leaves "cancel it please" to the cancellation it already was', async () => {
    const s = await when(reminded(), turn('cancel it please', { intent: 'CANCEL' }), [listed(reservation())]);
    expect(s.calls).toEqual([{ kind: 'listReservations' }]);
    expect(s.state.phase).toMatchObject({ kind: 'confirmingCancel' });
  });

  it('does not take "yes" for an answer without a recent reminder, nor in the middle of another question', async () => {
    const stale: ConversationState = {
      ...greeted(),
      reminded: { reservationId: RSV, at: at(-25 * 3_600_000) },
    };
    const s = await when(stale, turn('yes', { intent: 'OTHER' }));
    expect(s.calls).toEqual([]);
    const none = await when(greeted(), turn('yes', { intent: 'OTHER' }));
    expect(none.calls).toEqual([]);
  });

  it('says so when the reservation service refuses the answer (a cancelled booking)', async () => {
    const refused: CallResult = {
      kind: 'reminderAnswered',
      result: { ok: false, code: 'ALREADY_CANCELLED' },
    };
    const s = await when(reminded(), tap(`reminder:confirm:${RSV}`, 'Confirm'), [refused]);
    expect(s.replies).toHaveLength(1);
    expect(s.notes.filter((n) => n.kind === 'reminder.answered')).toEqual([]);
    expect(s.state.phase).toEqual({ kind: 'idle' });
  });
});

describe('reminder words', () => {
  it.each([
    ["yes we'll be there", { answer: 'confirmed' }],
    ['Sí, allí estaremos', { answer: 'confirmed' }],
    ['oui, nous serons là', { answer: 'confirmed' }],
    ['running 10 min late', { answer: 'late', minutes: 10 }],
    ['llegamos tarde, 20 minutos', { answer: 'late', minutes: 20 }],
    ['on aura du retard', { answer: 'late' }],
    ['أيوه بنكون موجودين', { answer: 'confirmed' }],
    ['what time do you open', undefined],
  ])('reads %j', (text, expected) => {
    expect(reminderWords(text)).toEqual(expected);
  });

  it('reads minutes in digits of either script and in words, within 1–240', () => {
    expect(minutesIn('٢٠ دقيقة')).toBe(20);
    expect(minutesIn('half an hour')).toBe(30);
    expect(minutesIn('500')).toBeUndefined();
    expect(minutesIn('soon')).toBeUndefined();
  });
});
