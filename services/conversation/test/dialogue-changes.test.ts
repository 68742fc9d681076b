import { bookingReference } from '@reserveit/contracts';
import { describe, expect, it } from 'vitest';
import { changesOf, hasChanges } from '../src/dialogue/changes.js';
import {
  available,
  bodies,
  buttonsOf,
  greeted,
  listed,
  reservation,
  rowsOf,
  TOMORROW,
  tap,
  turn,
  when,
} from './dialogue-fixtures.js';

describe('cancelling', () => {
  it('finds the one upcoming reservation, asks to confirm, and cancels it', async () => {
    const s1 = await when(greeted(), turn('cancel my booking', { intent: 'CANCEL' }), [
      listed(reservation()),
    ]);
    expect(s1.calls).toEqual([{ kind: 'listReservations' }]);
    expect(s1.replies[0]?.body).toBe('Cancel your table for 4 guests on Tue 24 Nov at 20:00?');
    expect(buttonsOf(s1.replies[0])).toEqual([
      { id: 'cancel:yes', title: 'Yes, cancel it' },
      { id: 'cancel:no', title: 'Keep it' },
    ]);
    const s2 = await when(s1.state, tap('cancel:yes', 'Yes, cancel it'), [
      { kind: 'cancelled', result: { ok: true, reservation: reservation() } },
    ]);
    expect(s2.calls).toEqual([{ kind: 'cancelReservation', reservationId: 'r_abcdefghijklmnop' }]);
    expect(bodies(s2.replies)).toEqual([
      'Your reservation on Tue 24 Nov at 20:00 is cancelled. We hope to see you another time.',
    ]);
    expect(s2.notes).toContainEqual({ kind: 'reservation.cancelled', reservationId: 'r_abcdefghijklmnop' });
  });

  it('lists the upcoming reservations, soonest first, when there are several, and ignores past ones', async () => {
    const later = reservation({
      id: 'r_later',
      date: '2026-11-28',
      time: '19:00',
      startsAt: '2026-11-28T15:00:00.000Z',
    });
    const past = reservation({ id: 'r_past', date: '2026-11-20', startsAt: '2026-11-20T16:00:00.000Z' });
    const s1 = await when(greeted(), turn('cancel', { intent: 'CANCEL' }), [
      listed(later, past, reservation()),
    ]);
    expect(s1.replies[0]?.body).toBe('Which reservation do you want to cancel?');
    expect(rowsOf(s1.replies[0])).toEqual([
      {
        id: 'rsv:r_abcdefghijklmnop',
        title: 'Tue 24 Nov 20:00',
        description: `4 guests, Sarah · ${bookingReference('r_abcdefghijklmnop')}`,
      },
      {
        id: 'rsv:r_later',
        title: 'Sat 28 Nov 19:00',
        description: `4 guests, Sarah · ${bookingReference('r_later')}`,
      },
    ]);
    const s2 = await when(s1.state, tap('rsv:r_later', 'Sat 28 Nov 19:00'));
    expect(s2.state.phase).toMatchObject({ kind: 'confirmingCancel', reservation: { id: 'r_later' } });
  });

  it('keeps the reservation when the guest says no', async () => {
    const s1 = await when(greeted(), turn('cancel', { intent: 'CANCEL' }), [listed(reservation())]);
    const s2 = await when(s1.state, turn('no', { intent: 'OTHER' }));
    expect(s2.calls).toEqual([]);
    expect(bodies(s2.replies)).toEqual(['Alright, your reservation stays as it is.']);
  });

  it('says so when the guest has no upcoming reservation', async () => {
    const { replies } = await when(greeted(), turn('cancel', { intent: 'CANCEL' }), [listed()]);
    expect(bodies(replies)).toEqual(['I could not find an upcoming reservation for this number.']);
  });

  it('explains a refusal past the cancellation cutoff', async () => {
    const s1 = await when(greeted(), turn('cancel', { intent: 'CANCEL' }), [listed(reservation())]);
    const s2 = await when(s1.state, tap('cancel:yes', 'Yes'), [
      { kind: 'cancelled', result: { ok: false, code: 'TOO_LATE' } },
    ]);
    expect(bodies(s2.replies)[0]).toContain('too late to change this reservation online');
  });
});

describe('modifying', () => {
  it('asks to confirm the change the guest gave, and applies it only on Yes', async () => {
    const moved = reservation({ time: '21:00' });
    const s1 = await when(
      greeted(),
      turn('move my booking to 9pm', { intent: 'MODIFY', entities: { time: '21:00' } }),
      [listed(reservation()), available],
    );
    // nothing is changed yet: the new time is checked, and the guest confirms it with a button
    expect(s1.calls).toEqual([
      { kind: 'listReservations' },
      { kind: 'checkAvailability', partySize: 4, date: TOMORROW, time: '21:00' },
    ]);
    expect(bodies(s1.replies)).toEqual([
      'Change your table for 4 guests on Tue 24 Nov at 20:00 to 4 guests on Tue 24 Nov at 21:00?',
    ]);
    expect(buttonsOf(s1.replies[0])).toEqual([
      { id: 'change:yes', title: 'Yes, change it' },
      { id: 'change:no', title: 'Keep it' },
    ]);
    expect(s1.state.phase).toMatchObject({ kind: 'confirmingChange', changes: { time: '21:00' } });
    const s2 = await when(s1.state, tap('change:yes', 'Yes, change it'), [
      { kind: 'modified', result: { ok: true, reservation: moved } },
    ]);
    expect(s2.calls).toEqual([
      { kind: 'modifyReservation', reservationId: 'r_abcdefghijklmnop', time: '21:00' },
    ]);
    expect(bodies(s2.replies)).toEqual(['Done: your table for 4 guests is now on Tue 24 Nov at 21:00.']);
    expect(s2.notes).toContainEqual({ kind: 'reservation.modified', reservationId: 'r_abcdefghijklmnop' });
  });

  it('asks what to change when the guest did not say, then applies the answer', async () => {
    const s1 = await when(greeted(), turn('change my reservation', { intent: 'MODIFY' }), [
      listed(reservation()),
    ]);
    expect(bodies(s1.replies)).toEqual([
      'Your reservation is on Tue 24 Nov at 20:00. What would you like instead: a new day, time or number of people?',
    ]);
    const s2 = await when(s1.state, turn('6 people', { intent: 'OTHER', entities: { partySize: 6 } }));
    expect(s2.calls).toEqual([]);
    expect(bodies(s2.replies)).toEqual([
      'Change your table for 4 guests on Tue 24 Nov at 20:00 to 6 guests on Tue 24 Nov at 20:00?',
    ]);
    // a typed yes confirms like the button
    const s3 = await when(s2.state, turn('yes', { intent: 'OTHER' }), [
      { kind: 'modified', result: { ok: true, reservation: reservation({ partySize: 6 }) } },
    ]);
    expect(s3.calls).toEqual([
      { kind: 'modifyReservation', reservationId: 'r_abcdefghijklmnop', partySize: 6 },
    ]);
  });

  it('offers nearby times when the new time is full, and moves to the one picked', async () => {
    const s0 = await when(greeted(), turn('move to 9pm', { intent: 'MODIFY', entities: { time: '21:00' } }), [
      listed(reservation()),
      available,
    ]);
    const s1 = await when(s0.state, tap('change:yes', 'Yes, change it'), [
      {
        kind: 'modified',
        result: { ok: false, code: 'NO_CAPACITY', alternatives: [{ date: TOMORROW, time: '21:30' }] },
      },
    ]);
    expect(buttonsOf(s1.replies[0])).toEqual([{ id: `slot:${TOMORROW}T21:30`, title: '21:30' }]);
    // the time picked is checked and confirmed like any other change before it is applied
    const s2 = await when(s1.state, tap(`slot:${TOMORROW}T21:30`, '21:30'), [available]);
    expect(s2.calls).toEqual([{ kind: 'checkAvailability', partySize: 4, date: TOMORROW, time: '21:30' }]);
    expect(s2.state.phase).toMatchObject({
      kind: 'confirmingChange',
      changes: { date: TOMORROW, time: '21:30' },
    });
    const s3 = await when(s2.state, tap('change:yes', 'Yes, change it'), [
      { kind: 'modified', result: { ok: true, reservation: reservation({ time: '21:30' }) } },
    ]);
    expect(s3.calls).toEqual([
      { kind: 'modifyReservation', reservationId: 'r_abcdefghijklmnop', date: TOMORROW, time: '21:30' },
    ]);
  });
});

describe('a change to a closed time', () => {
  it('says the new time is closed before asking to confirm, and offers the nearest free times', async () => {
    const { calls, replies, state } = await when(
      greeted(),
      turn('move my booking to 4pm', { intent: 'MODIFY', entities: { time: '16:00' } }),
      [
        listed(reservation()),
        {
          kind: 'availability',
          result: {
            ok: true,
            preferredAvailable: false,
            closedReason: 'CLOSED',
            alternatives: [{ date: TOMORROW, time: '18:00' }],
          },
        },
      ],
    );
    expect(calls.map((call) => call.kind)).toEqual(['listReservations', 'checkAvailability']);
    expect(replies[0]?.body).toBe('Sorry, we are closed then.\nThese are the nearest free times:');
    expect(buttonsOf(replies[0])).toEqual([{ id: `slot:${TOMORROW}T18:00`, title: '18:00' }]);
    expect(state.phase.kind).toBe('modifying');
  });

  it('leaves a full day to the modification itself: the guest’s own table counts in it', async () => {
    const { replies, state } = await when(
      greeted(),
      turn('move my booking to 9pm', { intent: 'MODIFY', entities: { time: '21:00' } }),
      [
        listed(reservation()),
        { kind: 'availability', result: { ok: true, preferredAvailable: false, alternatives: [] } },
      ],
    );
    expect(state.phase.kind).toBe('confirmingChange');
    expect(buttonsOf(replies[0]).map((b) => b.id)).toEqual(['change:yes', 'change:no']);
  });

  it('asks no availability for a new party size alone', async () => {
    const { calls, state } = await when(
      greeted(),
      turn('we are 6 now', { intent: 'MODIFY', entities: { partySize: 6 } }),
      [listed(reservation())],
    );
    expect(calls).toEqual([{ kind: 'listReservations' }]);
    expect(state.phase).toMatchObject({ kind: 'confirmingChange', changes: { partySize: 6 } });
  });
});

describe('what a change carries', () => {
  it('takes the day, time and party size the guest gave, never a name', () => {
    const entities = { date: TOMORROW, time: '21:00', partySize: 3, guestName: 'Sarah', menuItem: 'hummus' };
    expect(changesOf(entities)).toEqual({ date: TOMORROW, time: '21:00', partySize: 3 });
    expect(hasChanges(entities)).toBe(true);
    expect(hasChanges({ guestName: 'Sarah', menuCategory: 'Mains' })).toBe(false);
  });
});
