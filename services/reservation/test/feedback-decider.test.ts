import { RESERVATION_EVENT_TYPES as T } from '@reserveit/contracts';
import { describe, expect, it } from 'vitest';
import { type DayCommand, decideDay, evolveDay } from '../src/domain/index.js';
import { createBooking, dayHarness } from './day-harness.js';

// During the booking's seating: it can be seated.
const { ctx, given } = dayHarness(Date.parse('2026-06-03T15:10:00Z'));
const create = createBooking({ source: 'staff' });
const seat: DayCommand = { type: 'setStatus', reservationId: 'a', status: 'seated' };
const feedback = (rating?: number, comment?: string): DayCommand => ({
  type: 'giveFeedback',
  reservationId: 'a',
  ...(rating === undefined ? {} : { rating }),
  ...(comment === undefined ? {} : { comment }),
});

describe('the guest rates a visit', () => {
  it('records a rating once, then the one comment; the same again changes nothing', () => {
    const state = given([create, seat]);
    const rated = decideDay(feedback(4), state, ctx());
    if (!rated.ok) throw new Error(rated.rejection.code);
    expect(rated.events).toMatchObject([{ type: T.reservationFeedbackGiven, reservationId: 'a', rating: 4 }]);
    const after = rated.events.reduce(evolveDay, state);
    expect(after.bookings.get('a')?.feedbackRating).toBe(4);
    expect(decideDay(feedback(4), after, ctx())).toMatchObject({ ok: true, events: [], replayed: true });
    expect(decideDay(feedback(5), after, ctx())).toMatchObject({
      ok: false,
      rejection: { code: 'ALREADY_RATED' },
    });

    const commented = decideDay(feedback(undefined, 'Lovely lamb'), after, ctx());
    if (!commented.ok) throw new Error(commented.rejection.code);
    expect(commented.events).toEqual([expect.objectContaining({ comment: 'Lovely lamb' })]);
    expect(commented.events[0]).not.toHaveProperty('rating');
    const done = commented.events.reduce(evolveDay, after);
    expect(done.bookings.get('a')).toMatchObject({ feedbackRating: 4, feedbackComment: 'Lovely lamb' });
    expect(decideDay(feedback(undefined, 'Another'), done, ctx())).toMatchObject({
      ok: false,
      rejection: { code: 'ALREADY_RATED' },
    });
  });

  it('takes feedback only after the guest sat down, and a comment only after a rating', () => {
    const booked = given([create]);
    expect(decideDay(feedback(5), booked, ctx())).toMatchObject({
      ok: false,
      rejection: { code: 'INVALID_TRANSITION' },
    });
    const seated = given([seat], booked);
    expect(decideDay(feedback(undefined, 'hi'), seated, ctx())).toMatchObject({
      ok: false,
      rejection: { code: 'INVALID_ARGUMENT' },
    });
    expect(decideDay(feedback(6), seated, ctx())).toMatchObject({
      ok: false,
      rejection: { code: 'INVALID_ARGUMENT' },
    });
    const finished = given([{ type: 'setStatus', reservationId: 'a', status: 'finished' }], seated);
    expect(decideDay(feedback(2, 'Slow'), finished, ctx())).toMatchObject({
      ok: true,
      events: [{ rating: 2, comment: 'Slow' }],
    });
  });
});
