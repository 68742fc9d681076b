import type { Booking } from '@reserveit/contracts';
import {
  type Business,
  type DateChange,
  evolveMove,
  type MoveEnd,
  type MoveEvent,
  type MoveState,
  type MoveStep,
  nextMoveStep,
  reject,
  startMove,
  startRelease,
} from './domain/index.js';
import { RejectedError } from './rejected-error.js';
import type { ReservationAggregates } from './store/reservation-aggregates.js';

/**
 * The date-change process manager: runs the steps src/domain/move.ts decides on the day
 * aggregates, one at a time, and feeds what each did back in.
 */
export class MoveProcess {
  constructor(private readonly aggregates: ReservationAggregates) {}

  /**
   * Moves the booking to `change.date`, completing first a release an earlier change left undone.
   * `inPlace`: it was on that date already, and the caller modifies it there.
   */
  async changeDate(
    business: Business,
    change: DateChange,
    deadlineMs?: number,
  ): Promise<{ moved: Booking } | { inPlace: string }> {
    const end = await this.run(business, startMove(change), deadlineMs);
    if (end.phase === 'moved') return { moved: end.booking };
    if (end.phase === 'inPlace') return { inPlace: end.serviceDate };
    throw failure(end);
  }

  /** Second step of a change that stopped after the first: `from` lets go of the booking now on `to`. */
  async release(
    business: Business,
    reservationId: string,
    from: string,
    to: string,
    deadlineMs?: number,
  ): Promise<void> {
    const end = await this.run(business, startRelease(reservationId, from, to), deadlineMs);
    if (end.phase !== 'released') throw failure(end);
  }

  private async run(business: Business, start: MoveState, deadlineMs?: number): Promise<MoveEnd> {
    let state = start;
    for (;;) {
      const step = nextMoveStep(state);
      if (step.type === 'end') return step.end;
      state = evolveMove(state, await this.perform(business, step, deadlineMs));
    }
  }

  private async perform(
    business: Business,
    step: Exclude<MoveStep, { type: 'end' }>,
    deadlineMs?: number,
  ): Promise<MoveEvent> {
    if (step.type === 'locate') {
      const where = { businessId: business.businessId, serviceDate: step.from };
      const found = await this.aggregates.find(step.reservationId, where, deadlineMs);
      if (!found)
        return { type: 'refused', rejection: reject('NOT_FOUND', `No reservation ${step.reservationId}.`) };
      return { type: 'located', ...found };
    }
    const { command } = step;
    const { outcome } = await this.aggregates.executeDay(business, step.serviceDate, command, deadlineMs);
    if (outcome.kind === 'rejected') return { type: 'refused', rejection: outcome.rejection };
    if (command.type === 'moveOut') return { type: 'released' };
    // The move-in's event id is new each time (DayContext.newEventId), so the stream cannot have
    // stored it before; a duplicate would be a defect, not a retry.
    if (outcome.kind === 'duplicate')
      throw new Error('an event of this command was stored before under the same id');
    return { type: 'held', booking: outcome.result.booking };
  }
}

function failure(end: MoveEnd): Error {
  return end.phase === 'failed'
    ? new RejectedError(end.rejection)
    : new Error(`the date change ended ${end.phase} where it should not`);
}
