import type { Booking } from '@reserveit/contracts';
import { describe, expect, it } from 'vitest';
import {
  type DateChange,
  type DayCommand,
  type DayState,
  decideDay,
  evolveDay,
  evolveMove,
  initialDayState,
  type MoveEvent,
  type MoveState,
  type MoveStep,
  nextMoveStep,
  reject,
  startMove,
  startRelease,
} from '../src/domain/index.js';
import { businessFixture } from './fixtures.js';

const business = businessFixture();
const NOW = Date.parse('2026-06-01T06:00:00Z');
const MON = '2026-06-01';
const WED = '2026-06-03';
const THU = '2026-06-04';
const FRI = '2026-06-05';

/** A confirmed booking of the fixture bistro (Asia/Dubai), 19:00 local = 15:00Z. */
const booking = (serviceDate: string, partySize = 2): Booking => ({
  reservationId: 'r1',
  businessId: business.businessId,
  serviceDate,
  guestWaId: '971500000001',
  guestName: 'Layla',
  partySize,
  startsAt: `${serviceDate}T15:00:00.000Z`,
  endsAt: `${serviceDate}T16:30:00.000Z`,
  status: 'confirmed',
  notes: '',
  source: 'whatsapp',
  idempotencyKey: 'k1',
});

const change = (overrides: Partial<DateChange> = {}): DateChange => ({
  reservationId: 'r1',
  seenOn: WED,
  date: THU,
  timezone: business.profile.timezone,
  ...overrides,
});

/** Feeds the events in turn and records the step the process asks for after each. */
function steps(start: MoveState, ...events: MoveEvent[]): MoveStep[] {
  let state = start;
  const asked = [nextMoveStep(state)];
  for (const event of events) {
    state = evolveMove(state, event);
    asked.push(nextMoveStep(state));
  }
  return asked;
}

const moveOut = (from: string, movedTo: string): MoveStep => ({
  type: 'command',
  serviceDate: from,
  command: { type: 'moveOut', reservationId: 'r1', movedTo },
});

describe('date change process', () => {
  it('locates the booking, holds the new date at its own time and size, releases the old date, and answers the held booking', () => {
    const held = booking(THU);
    expect(
      steps(
        startMove(change()),
        { type: 'located', booking: booking(WED) },
        { type: 'held', booking: held },
        { type: 'released' },
      ),
    ).toEqual([
      { type: 'locate', reservationId: 'r1', from: WED },
      {
        type: 'command',
        serviceDate: THU,
        command: { type: 'moveIn', booking: booking(WED), serviceDate: THU, time: '19:00', partySize: 2 },
      },
      moveOut(WED, THU),
      { type: 'end', end: { phase: 'moved', booking: held } },
    ]);
  });

  it('holds the new date at the time and party size the change asks for', () => {
    const [, hold] = steps(startMove(change({ time: '20:30', partySize: 5 })), {
      type: 'located',
      booking: booking(WED),
    });
    expect(hold).toMatchObject({ command: { type: 'moveIn', time: '20:30', partySize: 5 } });
  });

  it('first releases the date an earlier unfinished change left holding the booking, then moves it on', () => {
    expect(
      steps(
        startMove(change({ date: FRI })),
        { type: 'located', booking: booking(WED), movedFrom: MON },
        { type: 'released' },
      ).slice(1),
    ).toEqual([
      moveOut(MON, WED),
      {
        type: 'command',
        serviceDate: FRI,
        command: { type: 'moveIn', booking: booking(WED), serviceDate: FRI, time: '19:00', partySize: 2 },
      },
    ]);
  });

  it('ends in place, after releasing the old date, when the booking is on the wanted date already', () => {
    // Seen on Wednesday, it lives on Thursday: an earlier change to Thursday stopped after holding.
    expect(
      steps(
        startMove(change({ seenOn: WED, date: THU })),
        { type: 'located', booking: booking(THU), movedFrom: WED },
        { type: 'released' },
      ).slice(1),
    ).toEqual([moveOut(WED, THU), { type: 'end', end: { phase: 'inPlace', serviceDate: THU } }]);
  });

  it('counts a release refused with MOVED or NOT_FOUND as done: released before, or never held', () => {
    for (const code of ['MOVED', 'NOT_FOUND'] as const) {
      const [, , release, end] = steps(
        startMove(change()),
        { type: 'located', booking: booking(WED) },
        { type: 'held', booking: booking(THU) },
        { type: 'refused', rejection: reject(code, 'gone') },
      );
      expect(release).toEqual(moveOut(WED, THU));
      expect(end).toEqual({ type: 'end', end: { phase: 'moved', booking: booking(THU) } });
    }
  });

  it('fails on any other refusal of a release', () => {
    const rejection = reject('INVALID_ARGUMENT', 'no');
    expect(steps(startRelease('r1', WED, THU), { type: 'refused', rejection }).at(-1)).toEqual({
      type: 'end',
      end: { phase: 'failed', rejection },
    });
  });

  it('fails without releasing the old date when the new date refuses the hold', () => {
    const rejection = reject('NO_CAPACITY', 'full');
    expect(
      steps(
        startMove(change()),
        { type: 'located', booking: booking(WED) },
        { type: 'refused', rejection },
      ).at(-1),
    ).toEqual({ type: 'end', end: { phase: 'failed', rejection } });
  });

  it('fails with the refusal when the booking is nowhere to be found', () => {
    const rejection = reject('NOT_FOUND', 'No reservation r1.');
    expect(steps(startMove(change()), { type: 'refused', rejection }).at(-1)).toEqual({
      type: 'end',
      end: { phase: 'failed', rejection },
    });
  });

  it('completes a pending release on its own and then ends', () => {
    expect(steps(startRelease('r1', WED, THU), { type: 'released' })).toEqual([
      moveOut(WED, THU),
      { type: 'end', end: { phase: 'released' } },
    ]);
  });

  it('refuses an event its step cannot have produced', () => {
    expect(() => evolveMove(startMove(change()), { type: 'released' })).toThrow(/locating/);
    expect(() =>
      evolveMove({ phase: 'holding', change: change(), booking: booking(WED) }, { type: 'released' }),
    ).toThrow(/holding/);
  });
});

/**
 * The process driven against the real day decider (src/domain/day.ts) in memory, each step's
 * command decided and its events folded in, as the shell does on JetStream.
 */
describe('date change process over the day decider', () => {
  let eventId = 0;
  const days = new Map<string, DayState>();
  const day = (date: string) => days.get(date) ?? initialDayState();
  const decide = (serviceDate: string, command: DayCommand) => {
    const decision = decideDay(command, day(serviceDate), {
      business,
      serviceDate,
      nowMs: NOW,
      newEventId: () => `e${++eventId}`,
    });
    if (decision.ok) days.set(serviceDate, decision.events.reduce(evolveDay, day(serviceDate)));
    return decision;
  };
  /** What a step did, as the shell would report it. */
  const perform = (step: Exclude<MoveStep, { type: 'end' }>): MoveEvent => {
    if (step.type === 'locate') {
      let date = step.from;
      for (let state = day(date); !state.bookings.has(step.reservationId); state = day(date)) {
        const movedTo = state.movedOut.get(step.reservationId);
        if (!movedTo) return { type: 'refused', rejection: reject('NOT_FOUND', 'nowhere') };
        date = movedTo;
      }
      const found = day(date);
      const located = found.bookings.get(step.reservationId) as Booking;
      const movedFrom = found.movedFrom.get(step.reservationId);
      return movedFrom
        ? { type: 'located', booking: located, movedFrom }
        : { type: 'located', booking: located };
    }
    const decision = decide(step.serviceDate, step.command);
    if (!decision.ok) return { type: 'refused', rejection: decision.rejection };
    return step.command.type === 'moveIn'
      ? { type: 'held', booking: decision.booking }
      : { type: 'released' };
  };
  /** Runs the process; it stops, as a crash would, before its command number `commandsBeforeCrash + 1`. */
  const run = (start: MoveState, commandsBeforeCrash = Number.POSITIVE_INFINITY) => {
    let state = start;
    let commands = 0;
    for (;;) {
      const step = nextMoveStep(state);
      if (step.type === 'end') return step.end;
      if (step.type === 'command' && commands++ >= commandsBeforeCrash) return state;
      state = evolveMove(state, perform(step));
    }
  };
  const holders = () =>
    [...days].filter(([, state]) => state.bookings.get('r1')?.status === 'confirmed').map(([date]) => date);

  /** Books r1 on Wednesday, then changes it to Thursday and stops before the release. */
  const interruptedChange = () => {
    days.clear();
    const created = decide(WED, {
      type: 'create',
      reservationId: 'r1',
      idempotencyKey: 'k1',
      serviceDate: WED,
      time: '19:00',
      partySize: 2,
      guestWaId: '971500000001',
      guestName: 'Layla',
      notes: '',
      source: 'whatsapp',
    });
    expect(created.ok).toBe(true);
    const stopped = run(startMove(change({ seenOn: WED, date: THU })), 1);
    expect(stopped).toMatchObject({ phase: 'releasing', from: WED, to: THU });
    expect(holders().sort()).toEqual([WED, THU]);
  };

  it('finishes a change retried after it stopped between hold and release, holding the new date once', () => {
    interruptedChange();
    const thursday = day(THU);
    // Seen on Wednesday, which still holds it: the hold is answered by Thursday's booking as is.
    expect(run(startMove(change({ seenOn: WED, date: THU })))).toMatchObject({
      phase: 'moved',
      booking: { serviceDate: THU },
    });
    expect(day(THU)).toBe(thursday);
    expect(holders()).toEqual([THU]);
    expect(day(WED).movedOut.get('r1')).toBe(THU);
  });

  it('releases the date an interrupted change left first when the booking moves on from its new date', () => {
    interruptedChange();
    // Seen on Thursday (the replica that held it remembers): Thursday says it came from Wednesday.
    expect(run(startMove(change({ seenOn: THU, date: FRI, partySize: 4 })))).toMatchObject({
      phase: 'moved',
      booking: { serviceDate: FRI, partySize: 4 },
    });
    expect(holders()).toEqual([FRI]);
    expect(day(WED).movedOut.get('r1')).toBe(THU);
    expect(day(THU).movedOut.get('r1')).toBe(FRI);
  });

  it('ends in place when the booking already lives on the wanted date, with the old date released', () => {
    interruptedChange();
    expect(run(startMove(change({ seenOn: THU, date: THU })))).toEqual({
      phase: 'inPlace',
      serviceDate: THU,
    });
    expect(holders()).toEqual([THU]);
  });
});
