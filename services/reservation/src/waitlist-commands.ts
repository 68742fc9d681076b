import { createHash } from 'node:crypto';
import type { Booking } from '@reserveit/contracts';
import type { Rejection, WaitlistCommand, WaitlistPlace } from './domain/index.js';
import { RejectedError } from './rejected-error.js';
import type { Outcome } from './store/aggregates.js';
import type { ReservationAggregates } from './store/reservation-aggregates.js';

export interface JoinInput {
  businessId: string;
  idempotencyKey: string;
  guestWaId: string;
  guestName: string;
  partySize: number;
  date: string;
  time: string;
}

/** An entry as the offer event names it: business, service date, id. */
export interface EntryRef {
  businessId: string;
  date: string;
  entryId: string;
}

export interface WaitlistAnswer {
  place: WaitlistPlace;
  booking?: Booking;
  replayed: boolean;
}

/**
 * The entry id is a function of (business, idempotency key), like a reservation id
 * (src/domain/reservation-id.ts): two concurrent joins with the same key name the same entry.
 */
export function waitlistEntryIdFor(businessId: string, idempotencyKey: string): string {
  const digest = createHash('sha256')
    .update(`waitlist\n${businessId}\n${idempotencyKey}`)
    .digest('base64url');
  return `w_${digest.slice(0, 22)}`;
}

/** Waitlist commands on their day aggregate (src/domain/waitlist-decider.ts). */
export class WaitlistCommands {
  constructor(private readonly aggregates: ReservationAggregates) {}

  join(input: JoinInput, deadlineMs?: number): Promise<WaitlistAnswer> {
    const entryId = waitlistEntryIdFor(input.businessId, input.idempotencyKey);
    return this.run(
      { businessId: input.businessId, date: input.date, entryId },
      {
        type: 'join',
        entryId,
        time: input.time,
        partySize: input.partySize,
        guestWaId: input.guestWaId,
        guestName: input.guestName,
      },
      deadlineMs,
    );
  }

  /** `guestWaId`, when given, must be the entry's guest. */
  accept(ref: EntryRef & { guestWaId?: string }, deadlineMs?: number): Promise<WaitlistAnswer> {
    const guest = ref.guestWaId !== undefined ? { guestWaId: ref.guestWaId } : {};
    return this.run(ref, { type: 'accept', entryId: ref.entryId, ...guest }, deadlineMs);
  }

  expire(ref: EntryRef, deadlineMs?: number): Promise<WaitlistAnswer> {
    return this.run(ref, { type: 'expire', entryId: ref.entryId }, deadlineMs);
  }

  leave(ref: EntryRef, deadlineMs?: number): Promise<WaitlistAnswer> {
    return this.run(ref, { type: 'leave', entryId: ref.entryId }, deadlineMs);
  }

  private async run(ref: EntryRef, command: WaitlistCommand, deadlineMs?: number): Promise<WaitlistAnswer> {
    const business = await this.aggregates.business(ref.businessId);
    let outcome = await this.aggregates.executeWaitlist(business, ref.date, command, deadlineMs);
    // A join's or an accept's first event id is its Msg-Id: a concurrent call for the same entry
    // stored it first. Deciding again on the state that holds it answers the entry as it is.
    if (outcome.kind === 'duplicate')
      outcome = await this.aggregates.executeWaitlist(business, ref.date, command, deadlineMs);
    return settle(outcome);
  }
}

function settle(outcome: Outcome<WaitlistAnswer, Rejection>): WaitlistAnswer {
  if (outcome.kind === 'done') return outcome.result;
  if (outcome.kind === 'rejected') throw new RejectedError(outcome.rejection);
  throw new Error('an event of this waitlist command was stored before under the same id');
}
