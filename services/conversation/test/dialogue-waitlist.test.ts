import { describe, expect, it } from 'vitest';
import type { CallResult } from '../src/dialogue/index.js';
import {
  BUSINESS,
  bodies,
  buttonsOf,
  greeted,
  reservation,
  TOMORROW,
  tap,
  turn,
  when,
} from './dialogue-fixtures.js';

const WAITING = { ...BUSINESS, waitlist: true };
const full = (alternatives = [{ date: TOMORROW, time: '21:30' }]): CallResult => ({
  kind: 'availability',
  result: { ok: true, preferredAvailable: false, alternatives },
});
const askFor = (language: 'en' | 'ar' = 'en') =>
  turn(
    'x',
    { intent: 'BOOK', entities: { partySize: 4, date: TOMORROW, time: '20:00' }, language },
    { business: WAITING, profileName: 'Sarah' },
  );
const offerTap = (entryId: string, language: 'en' | 'ar' = 'en') =>
  tap(`offer:${TOMORROW}/${entryId}`, language === 'ar' ? 'تأكيد' : 'Confirm', { business: WAITING });

describe('the dialogue and the waitlist', () => {
  it('offers the waitlist beside the nearest free times when the seating is full', async () => {
    const { replies, state } = await when(greeted(), askFor(), [full()]);
    expect(buttonsOf(replies[0])).toEqual([
      { id: `slot:${TOMORROW}T21:30`, title: '21:30' },
      { id: 'waitlist:join', title: 'Join the waitlist' },
    ]);
    expect(bodies(replies)[0]).toContain('fully booked');
    expect(bodies(replies)[0]).toContain('waitlist');
    expect(state.phase.kind).toBe('offering');
  });

  it('offers no waitlist where the restaurant keeps none', async () => {
    const plain = turn(
      'x',
      { intent: 'BOOK', entities: { partySize: 4, date: TOMORROW, time: '20:00' } },
      { business: BUSINESS },
    );
    const { replies } = await when(greeted(), plain, [full()]);
    expect(buttonsOf(replies[0]).map((b) => b.id)).not.toContain('waitlist:join');
  });

  it('joins the waitlist for the seating asked for, with the message as its idempotency key', async () => {
    const s1 = await when(greeted(), askFor(), [full([])]);
    expect(buttonsOf(s1.replies[0])).toEqual([{ id: 'waitlist:join', title: 'Join the waitlist' }]);
    const join = tap('waitlist:join', 'Join the waitlist', { business: WAITING, profileName: 'Sarah' });
    const s2 = await when(s1.state, join, [{ kind: 'waitlistJoined', result: { ok: true, entryId: 'w_1' } }]);
    expect(s2.calls).toEqual([
      {
        kind: 'joinWaitlist',
        idempotencyKey: `c_test:${join.messageId}`,
        partySize: 4,
        date: TOMORROW,
        time: '20:00',
        name: 'Sarah',
      },
    ]);
    expect(bodies(s2.replies)[0]).toContain("You're on the waitlist for 4 guests");
    expect(s2.notes).toContainEqual({ kind: 'waitlist.joined', entryId: 'w_1' });
    expect(s2.state.phase.kind).toBe('idle');
  });

  it('says a table is free after all when the seating has room by the time the guest joins', async () => {
    const s1 = await when(greeted(), askFor(), [full()]);
    const s2 = await when(s1.state, tap('waitlist:join', 'Join the waitlist', { business: WAITING }), [
      { kind: 'waitlistJoined', result: { ok: false, code: 'NOT_FULL' } },
    ]);
    expect(bodies(s2.replies)[0]).toContain('a table is free');
  });

  it('answers a stale waitlist tap with the main choices and calls nothing', async () => {
    const { calls, replies } = await when(
      greeted(),
      tap('waitlist:join', 'Join the waitlist', { business: WAITING }),
    );
    expect(calls).toEqual([]);
    expect(buttonsOf(replies[0]).map((b) => b.id)).toContain('intent:book');
  });

  it('books the held table when the guest confirms the offer, from any phase', async () => {
    const booked = reservation({ id: 'r_waitlistbooking00', partySize: 4, name: 'Sarah' });
    const { calls, replies, notes, state } = await when(greeted(), offerTap('w_1'), [
      { kind: 'offerAccepted', result: { ok: true, reservation: booked } },
    ]);
    expect(calls).toEqual([{ kind: 'acceptWaitlistOffer', date: TOMORROW, entryId: 'w_1' }]);
    expect(bodies(replies)[0]).toContain("You're booked: a table for 4 guests");
    expect(notes).toContainEqual({ kind: 'reservation.booked', reservationId: booked.id });
    expect(state.phase.kind).toBe('idle');
  });

  it('says the offer expired when it is confirmed too late, in Arabic too', async () => {
    const en = await when(greeted(), offerTap('w_1'), [
      { kind: 'offerAccepted', result: { ok: false, code: 'OFFER_EXPIRED' } },
    ]);
    expect(bodies(en.replies)[0]).toContain('the offer has expired');
    const ar = await when(greeted('ar'), offerTap('w_1', 'ar'), [
      { kind: 'offerAccepted', result: { ok: false, code: 'OFFER_EXPIRED' } },
    ]);
    expect(bodies(ar.replies)[0]).toContain('انتهت مهلة العرض');
  });

  it('offers the waitlist in Arabic with an Arabic button', async () => {
    const { replies } = await when(greeted('ar'), askFor('ar'), [full()]);
    expect(buttonsOf(replies[0]).at(-1)).toEqual({ id: 'waitlist:join', title: 'قائمة الانتظار' });
  });
});
