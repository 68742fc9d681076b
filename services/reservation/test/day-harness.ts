import type { DayEvent } from '@reserveit/contracts';
import {
  type Business,
  type DayCommand,
  type DayState,
  decideDay,
  evolveDay,
  initialDayState,
} from '../src/domain/index.js';
import { businessFixture } from './fixtures.js';

/** The service date the decider tests book on; the 19:00 seating (Asia/Dubai) is 15:00–16:30 UTC. */
export const DAY = '2026-06-03';

type CreateCommand = Extract<DayCommand, { type: 'create' }>;

/** Booking `a`: a party of 2 at 19:00 on DAY, by WhatsApp, unless `overrides` say otherwise. */
export const createBooking = (overrides: Partial<CreateCommand> = {}): CreateCommand => {
  const reservationId = overrides.reservationId ?? 'a';
  return {
    type: 'create',
    reservationId,
    idempotencyKey: `key-${reservationId}`,
    serviceDate: DAY,
    time: '19:00',
    partySize: 2,
    guestWaId: '971500000001',
    guestName: `Guest ${reservationId}`,
    notes: '',
    source: 'whatsapp',
    ...overrides,
  };
};

/**
 * The day aggregate as the service drives it (decide, then evolve with what was decided), at
 * `nowMs` unless a call says otherwise; event ids count up per harness.
 */
export function dayHarness(nowMs: number, business: Business = businessFixture()) {
  let counter = 0;
  const ctx = (at = nowMs) => ({ business, serviceDate: DAY, nowMs: at, newEventId: () => `e${++counter}` });
  /** Runs commands that must succeed, from `state`. */
  const given = (commands: DayCommand[], state = initialDayState(), at = nowMs): DayState =>
    commands.reduce((current, command) => {
      const decision = decideDay(command, current, ctx(at));
      if (!decision.ok) throw new Error(`given: ${decision.rejection.code}`);
      return decision.events.reduce<DayState>((s, e: DayEvent) => evolveDay(s, e), current);
    }, state);
  return { business, ctx, given };
}
