import { localDate } from './calendar.js';
import type { Catalogue } from './catalogue.js';
import { arabic } from './catalogue-ar.js';
import { english } from './catalogue-en.js';
import { type Choice, choiceId, parseChoice, typedAnswer } from './choices.js';
import { hoursLines, menuReply } from './information.js';
import { buttons, list, text } from './replies.js';
import type {
  Booking,
  CallResult,
  CompleteBooking,
  ConversationState,
  DialogueSettings,
  Effect,
  Entities,
  Expecting,
  GuestTurn,
  Input,
  Language,
  Note,
  Phase,
  Reply,
  ReservationSummary,
  SlotOption,
  StaffInput,
  Step,
} from './types.js';

export const DEFAULT_SETTINGS: DialogueSettings = {
  sessionIdleMs: 30 * 60_000,
  handoffTimeoutMs: 4 * 60 * 60_000,
  maxMessagesPerMinute: 20,
};

const RATE_WINDOW_MS = 60_000;

export function catalogueFor(language: Language): Catalogue {
  return language === 'ar' ? arabic : english;
}

export function initialState(now: string, language: Language = 'en'): ConversationState {
  return {
    v: 1,
    greeted: false,
    language,
    rate: { windowStart: now, count: 0, noticed: false },
    phase: { kind: 'idle' },
  };
}

/**
 * The dialogue: given what it knew and what just happened (a guest's message, the answer to a
 * call it asked for, a staff action), what it knows now and what should happen. No I/O, no clock:
 * the shell runs the calls and feeds their results back in until no call is left.
 */
export function next(
  state: ConversationState,
  input: Input,
  settings: DialogueSettings = DEFAULT_SETTINGS,
): Step {
  switch (input.kind) {
    case 'turn':
      return onTurn(state, input, settings);
    case 'result':
      return onResult(state, input.turn, input.call);
    case 'staff':
      return onStaff(state, input, settings);
    default: {
      const never: never = input;
      throw new Error(`unknown input ${JSON.stringify(never)}`);
    }
  }
}

/** Collects effects while one input is decided; the state is replaced, never mutated. */
class Decision {
  readonly effects: Effect[] = [];
  constructor(
    public state: ConversationState,
    readonly turn: GuestTurn,
  ) {}
  get cat(): Catalogue {
    return catalogueFor(this.state.language);
  }
  reply(reply: Reply): this {
    this.effects.push({ kind: 'reply', reply });
    return this;
  }
  say(body: string): this {
    return this.reply(text(body));
  }
  note(note: Note): this {
    this.effects.push({ kind: 'note', note });
    return this;
  }
  call(call: Extract<Effect, { kind: 'call' }>['call']): this {
    this.effects.push({ kind: 'call', call });
    return this;
  }
  phase(phase: Phase): this {
    this.state = { ...this.state, phase };
    return this;
  }
  done(): Step {
    return { state: this.state, effects: this.effects };
  }
}

function onStaff(state: ConversationState, input: StaffInput, settings: DialogueSettings): Step {
  if (input.action === 'handoff') {
    const until = new Date(Date.parse(input.now) + settings.handoffTimeoutMs).toISOString();
    return {
      state: { ...state, handoff: { by: 'staff', since: input.now, until }, phase: { kind: 'idle' } },
      effects: [{ kind: 'note', note: { kind: 'handoff.started', by: 'staff', until } }],
    };
  }
  if (!state.handoff) return { state, effects: [] };
  const { handoff: _released, ...rest } = state;
  return {
    state: { ...rest, phase: { kind: 'idle' } },
    effects: [{ kind: 'note', note: { kind: 'handoff.released', by: 'staff' } }],
  };
}

function onTurn(state: ConversationState, turn: GuestTurn, settings: DialogueSettings): Step {
  const now = Date.parse(turn.now);
  const rate =
    now - Date.parse(state.rate.windowStart) >= RATE_WINDOW_MS
      ? { windowStart: turn.now, count: 1, noticed: false }
      : { ...state.rate, count: state.rate.count + 1 };
  // A tap on a button is in the language the button was written in: it says nothing new.
  const language = (turn.interactive ? undefined : turn.understanding?.language) ?? state.language;
  const d = new Decision({ ...state, rate, language, lastTurnAt: turn.now }, turn);

  if (rate.count > settings.maxMessagesPerMinute) {
    if (rate.noticed) return d.note({ kind: 'turn.ignored', reason: 'rate_limited' }).done();
    d.state = { ...d.state, rate: { ...rate, noticed: true } };
    return d.note({ kind: 'rate.limited', count: rate.count }).say(d.cat.rateLimited).done();
  }

  if (state.lastTurnAt && state.phase.kind !== 'idle') {
    const idleMs = now - Date.parse(state.lastTurnAt);
    if (idleMs >= settings.sessionIdleMs) d.phase({ kind: 'idle' }).note({ kind: 'session.reset', idleMs });
  }

  if (state.handoff) {
    if (now < Date.parse(state.handoff.until))
      return d.note({ kind: 'turn.ignored', reason: 'handoff' }).done();
    const { handoff: _expired, ...rest } = d.state;
    d.state = rest;
    d.note({ kind: 'handoff.released', by: 'timeout' });
  }

  const choice = parseChoice(turn.interactive);
  const intent = choice?.kind === 'intent' ? choice.intent : turn.understanding?.intent;

  if (!d.state.greeted) {
    d.state = { ...d.state, greeted: true };
    const greeting = greetingFor(turn, d.state.language, d.cat);
    if (intent === 'GREETING' || (!choice && !turn.understanding)) {
      const body = turn.understanding ? `${greeting}\n${d.cat.howCanIHelp}` : `${greeting}\n${d.cat.notText}`;
      return d.reply(mainMenu(d.cat, body)).done();
    }
    d.say(greeting);
  }

  if (choice && choice.kind !== 'intent') return onChoice(d, choice);
  if (!turn.understanding && choice?.kind !== 'intent') return d.reply(mainMenu(d.cat, d.cat.notText)).done();

  const typed = typedAnswer(turn.text);
  const phase = d.state.phase;
  if (typed && phase.kind === 'confirming')
    return onChoice(d, { kind: 'confirm', answer: typed === 'yes' ? 'yes' : 'cancel' });
  if (typed && phase.kind === 'confirmingCancel')
    return onChoice(d, { kind: 'cancelAnswer', yes: typed === 'yes' });

  const entities = turn.understanding?.entities ?? {};
  switch (intent) {
    case 'HUMAN': {
      const until = new Date(now + settings.handoffTimeoutMs).toISOString();
      d.state = { ...d.state, handoff: { by: 'guest', since: turn.now, until } };
      return d
        .phase({ kind: 'idle' })
        .note({ kind: 'handoff.started', by: 'guest', until })
        .say(d.cat.handoff)
        .done();
    }
    case 'CANCEL':
      if (inBookingFlow(phase)) return d.phase({ kind: 'idle' }).say(d.cat.bookingStopped).done();
      return d
        .phase({ kind: 'finding', purpose: 'cancel', changes: {} })
        .call({ kind: 'listReservations' })
        .done();
    case 'MODIFY':
      if (inBookingFlow(phase)) return collect(d, merge(bookingOf(phase), entities));
      if (phase.kind === 'modifying' && hasChanges(entities))
        return applyChange(d, phase.reservation, entities);
      return d
        .phase({ kind: 'finding', purpose: 'modify', changes: changesOf(entities) })
        .call({ kind: 'listReservations' })
        .done();
    case 'BOOK':
      if (phase.kind === 'modifying' && hasChanges(entities))
        return applyChange(d, phase.reservation, entities);
      return collect(d, merge(inBookingFlow(phase) ? bookingOf(phase) : {}, entities));
    case 'MENU':
      return d
        .call({
          kind: 'fetchMenu',
          ...(entities.menuCategory ? { category: entities.menuCategory } : {}),
          ...(entities.menuItem ? { item: entities.menuItem } : {}),
        })
        .done();
    case 'HOURS':
      return d.say(d.cat.hours(hoursLines(turn.business, d.cat))).done();
    case 'GREETING':
      return d.reply(mainMenu(d.cat, d.cat.howCanIHelp)).done();
    case 'THANKS':
      return d.say(d.cat.thanks).done();
    case 'OTHER':
    case undefined:
      return onOther(d, entities);
    default: {
      const never: never = intent;
      throw new Error(`unknown intent ${String(never)}`);
    }
  }
}

/** A message that asks for nothing: an answer to the question asked, or something not understood. */
function onOther(d: Decision, entities: Entities): Step {
  const phase = d.state.phase;
  const hasBookingFields = hasChanges(entities) || entities.guestName !== undefined;
  if (phase.kind === 'modifying' && hasChanges(entities)) return applyChange(d, phase.reservation, entities);
  if (hasBookingFields && (inBookingFlow(phase) || phase.kind === 'idle')) {
    return collect(d, merge(inBookingFlow(phase) ? bookingOf(phase) : {}, entities));
  }
  if (entities.menuCategory || entities.menuItem) {
    return d
      .call({
        kind: 'fetchMenu',
        ...(entities.menuCategory ? { category: entities.menuCategory } : {}),
        ...(entities.menuItem ? { item: entities.menuItem } : {}),
      })
      .done();
  }
  if (phase.kind === 'collecting') return collect(d.say(d.cat.notUnderstood), phase.booking);
  return d.reply(mainMenu(d.cat, d.cat.notUnderstood)).done();
}

function onChoice(d: Decision, choice: Exclude<Choice, { kind: 'intent' }>): Step {
  const phase = d.state.phase;
  switch (choice.kind) {
    case 'confirm':
      if (phase.kind !== 'confirming') return stale(d);
      if (choice.answer === 'yes') {
        const { booking } = phase;
        return d
          .phase({ kind: 'creating', booking })
          .call({
            kind: 'createReservation',
            idempotencyKey: `${d.turn.conversationId}:${d.turn.messageId}`,
            ...booking,
          })
          .done();
      }
      if (choice.answer === 'change')
        return d.phase({ kind: 'collecting', booking: phase.booking }).say(d.cat.whatToChange).done();
      return d.phase({ kind: 'idle' }).say(d.cat.bookingStopped).done();
    case 'cancelAnswer':
      if (phase.kind !== 'confirmingCancel') return stale(d);
      if (!choice.yes) return d.phase({ kind: 'idle' }).say(d.cat.keptReservation).done();
      return d
        .phase({ kind: 'cancelling', reservation: phase.reservation })
        .call({ kind: 'cancelReservation', reservationId: phase.reservation.id })
        .done();
    case 'reservation': {
      if (phase.kind !== 'choosing') return stale(d);
      const reservation = phase.reservations.find((r) => r.id === choice.id);
      if (!reservation) return stale(d);
      return chosen(d, phase.purpose, reservation, phase.changes);
    }
    case 'slot':
      if (phase.kind === 'modifying')
        return applyChange(d, phase.reservation, { date: choice.date, time: choice.time });
      return collect(d, {
        ...(inBookingFlow(phase) ? bookingOf(phase) : {}),
        date: choice.date,
        time: choice.time,
      });
    case 'name':
      return collect(d, { ...(inBookingFlow(phase) ? bookingOf(phase) : {}), name: choice.name });
    case 'menuCategory':
      return d.call({ kind: 'fetchMenu', category: choice.name }).done();
    case 'menuItem':
      return d.call({ kind: 'fetchMenu', item: choice.id }).done();
    default: {
      const never: never = choice;
      throw new Error(`unknown choice ${JSON.stringify(never)}`);
    }
  }
}

/** A tap on a button of an earlier question that no longer applies. */
function stale(d: Decision): Step {
  return d.reply(mainMenu(d.cat, d.cat.howCanIHelp)).done();
}

function onResult(state: ConversationState, turn: GuestTurn, call: CallResult): Step {
  const d = new Decision(state, turn);
  const phase = state.phase;
  if (!call.result.ok) d.note({ kind: 'call.failed', call: call.kind, code: call.result.code });
  switch (call.kind) {
    case 'availability': {
      if (phase.kind !== 'checking') return d.done();
      return onAvailability(d, phase.booking, call.result);
    }
    case 'created': {
      if (phase.kind !== 'creating') return d.done();
      const { booking } = phase;
      if (call.result.ok) {
        const r = call.result.reservation;
        d.state = { ...d.state, guestName: booking.name };
        return d
          .phase({ kind: 'idle' })
          .note({ kind: 'reservation.booked', reservationId: r.id })
          .say(d.cat.booked(booking, d.cat.when(r.date, r.time), reference(r.id)))
          .done();
      }
      if (isTransient(call.result.code))
        return d.phase({ kind: 'confirming', booking }).say(d.cat.checkFailed).done();
      return refusedBooking(d, booking, call.result.code, call.result.alternatives ?? []);
    }
    case 'listed': {
      if (phase.kind !== 'finding') return d.done();
      if (!call.result.ok) return d.phase({ kind: 'idle' }).say(d.cat.checkFailed).done();
      const now = Date.parse(turn.now);
      const upcoming = call.result.reservations
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
    case 'cancelled': {
      if (phase.kind !== 'cancelling') return d.done();
      d.phase({ kind: 'idle' });
      if (!call.result.ok)
        return d
          .say(isTransient(call.result.code) ? d.cat.checkFailed : d.cat.refused(call.result.code))
          .done();
      const r = call.result.reservation;
      return d
        .note({ kind: 'reservation.cancelled', reservationId: r.id })
        .say(d.cat.cancelled(d.cat.when(r.date, r.time)))
        .done();
    }
    case 'modified': {
      if (phase.kind !== 'applyingChange') return d.done();
      if (call.result.ok) {
        const r = call.result.reservation;
        return d
          .phase({ kind: 'idle' })
          .note({ kind: 'reservation.modified', reservationId: r.id })
          .say(d.cat.modified(r, d.cat.when(r.date, r.time)))
          .done();
      }
      const { code, alternatives = [] } = call.result;
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
    case 'menu':
      if (!call.result.ok) return d.say(d.cat.unavailable).done();
      return d.reply(menuReply(call.result, d.cat)).done();
    default: {
      const never: never = call;
      throw new Error(`unknown result ${JSON.stringify(never)}`);
    }
  }
}

function onAvailability(
  d: Decision,
  booking: CompleteBooking,
  result: Extract<CallResult, { kind: 'availability' }>['result'],
): Step {
  if (!result.ok) return d.phase({ kind: 'collecting', booking }).say(d.cat.checkFailed).done();
  if (result.preferredAvailable && !result.closedReason) {
    return d
      .phase({ kind: 'confirming', booking })
      .reply(
        buttons(d.cat.summary(booking, d.cat.when(booking.date, booking.time)), [
          { id: choiceId.confirm('yes'), title: d.cat.confirmButtons.confirm },
          { id: choiceId.confirm('change'), title: d.cat.confirmButtons.change },
          { id: choiceId.confirm('cancel'), title: d.cat.confirmButtons.cancel },
        ]),
      )
      .done();
  }
  return refusedBooking(d, booking, result.closedReason || 'NO_CAPACITY', result.alternatives);
}

/** The booking cannot go ahead as asked: say why and offer the nearest free slots, or ask again. */
function refusedBooking(
  d: Decision,
  booking: CompleteBooking,
  code: string,
  alternatives: SlotOption[],
): Step {
  const when = d.cat.when(booking.date, booking.time);
  if (code === 'PARTY_TOO_LARGE') {
    const { partySize: _tooMany, ...rest } = booking;
    return d
      .phase({ kind: 'collecting', booking: rest, expecting: 'party_size' })
      .say(d.cat.partyTooLarge(d.turn.business.maxPartySize))
      .done();
  }
  const why =
    code === 'NO_CAPACITY'
      ? d.cat.slotTaken(when)
      : code === 'CLOSED'
        ? d.cat.closedThen(when)
        : d.cat.refused(code);
  const slots = alternatives.slice(0, 3);
  if (slots.length > 0) {
    return d
      .phase({ kind: 'offering', booking, slots })
      .reply(offer(d.cat, `${why}\n${d.cat.nearestSlots}`, slots, booking.date))
      .done();
  }
  const { date: _date, time: _time, ...rest } = booking;
  return d
    .phase({ kind: 'collecting', booking: rest, expecting: 'date' })
    .say(code === 'NO_CAPACITY' || code === 'CLOSED' ? d.cat.noSlotsNear(when) : `${why}\n${d.cat.askDate}`)
    .done();
}

function offer(cat: Catalogue, body: string, slots: SlotOption[], askedDate: string): Reply {
  return buttons(
    body,
    slots.map((slot) => ({
      id: choiceId.slot(slot.date, slot.time),
      title: cat.slotTitle(slot.date, slot.time, slot.date === askedDate),
    })),
  );
}

/** Booking: take what the guest gave, refuse what cannot be, ask only for the first missing slot. */
function collect(d: Decision, booking: Booking): Step {
  const { turn } = d;
  const today = localDate(turn.now, turn.business.timezone);
  if (booking.date !== undefined && booking.date < today) {
    const { date: _past, ...rest } = booking;
    return d.phase({ kind: 'collecting', booking: rest, expecting: 'date' }).say(d.cat.dateInPast).done();
  }
  if (
    booking.partySize !== undefined &&
    (booking.partySize < 1 || booking.partySize > turn.business.maxPartySize)
  ) {
    const { partySize: _tooMany, ...rest } = booking;
    return d
      .phase({ kind: 'collecting', booking: rest, expecting: 'party_size' })
      .say(d.cat.partyTooLarge(turn.business.maxPartySize))
      .done();
  }
  const missing = firstMissing(booking);
  if (!missing) {
    const complete = booking as CompleteBooking;
    return d
      .phase({ kind: 'checking', booking: complete })
      .call({
        kind: 'checkAvailability',
        partySize: complete.partySize,
        date: complete.date,
        time: complete.time,
      })
      .done();
  }
  d.phase({ kind: 'collecting', booking, expecting: missing });
  if (missing === 'name') {
    const known = d.state.guestName ?? turn.profileName;
    if (known && known.length <= 20) {
      return d
        .reply(
          buttons(`${d.cat.askName}\n${d.cat.useProfileName(known)}`, [
            { id: choiceId.name(known), title: known },
          ]),
        )
        .done();
    }
  }
  return d.say(question(d.cat, missing)).done();
}

function question(cat: Catalogue, slot: Expecting): string {
  switch (slot) {
    case 'date':
      return cat.askDate;
    case 'time':
      return cat.askTime;
    case 'party_size':
      return cat.askPartySize;
    case 'name':
      return cat.askName;
    default: {
      const never: never = slot;
      throw new Error(`unknown slot ${String(never)}`);
    }
  }
}

function firstMissing(booking: Booking): Expecting | undefined {
  if (booking.date === undefined) return 'date';
  if (booking.time === undefined) return 'time';
  if (booking.partySize === undefined) return 'party_size';
  if (booking.name === undefined) return 'name';
  return undefined;
}

/** The reservation to cancel or change is known: ask to confirm the cancellation, or apply the change. */
function chosen(
  d: Decision,
  purpose: 'cancel' | 'modify',
  reservation: ReservationSummary,
  changes: Booking,
): Step {
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

function applyChange(d: Decision, reservation: ReservationSummary, entities: Entities): Step {
  const changes = changesOf(entities);
  const today = localDate(d.turn.now, d.turn.business.timezone);
  if (changes.date !== undefined && changes.date < today) {
    return d.phase({ kind: 'modifying', reservation, changes: {} }).say(d.cat.dateInPast).done();
  }
  if (
    changes.partySize !== undefined &&
    (changes.partySize < 1 || changes.partySize > d.turn.business.maxPartySize)
  ) {
    return d
      .phase({ kind: 'modifying', reservation, changes: {} })
      .say(d.cat.partyTooLarge(d.turn.business.maxPartySize))
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

function mainMenu(cat: Catalogue, body: string): Reply {
  return buttons(body, [
    { id: choiceId.intent('book'), title: cat.menuButtons.book },
    { id: choiceId.intent('menu'), title: cat.menuButtons.menu },
    { id: choiceId.intent('hours'), title: cat.menuButtons.hours },
  ]);
}

function greetingFor(turn: GuestTurn, language: Language, cat: Catalogue): string {
  const branded = turn.business.greetings[language]?.trim();
  return branded || cat.defaultGreeting(turn.business.name);
}

function inBookingFlow(phase: Phase): phase is Extract<Phase, { booking: Booking }> {
  return (
    phase.kind === 'collecting' ||
    phase.kind === 'offering' ||
    phase.kind === 'confirming' ||
    phase.kind === 'checking' ||
    phase.kind === 'creating'
  );
}

function bookingOf(phase: Extract<Phase, { booking: Booking }>): Booking {
  return phase.booking;
}

function merge(booking: Booking, entities: Entities): Booking {
  return {
    ...booking,
    ...(entities.date !== undefined ? { date: entities.date } : {}),
    ...(entities.time !== undefined ? { time: entities.time } : {}),
    ...(entities.partySize !== undefined ? { partySize: entities.partySize } : {}),
    ...(entities.guestName !== undefined ? { name: entities.guestName } : {}),
  };
}

function changesOf(entities: Entities): Booking {
  return merge({}, { ...entities, guestName: undefined });
}

function hasChanges(entities: Entities): boolean {
  return entities.date !== undefined || entities.time !== undefined || entities.partySize !== undefined;
}

/** Codes that say the call did not happen (the service is down or slow), not that it was refused. */
export function isTransient(code: string): boolean {
  return code === 'UNAVAILABLE' || code === 'DEADLINE_EXCEEDED' || code === 'CONFLICT' || code === 'INTERNAL';
}

/** What the guest can quote: the reservation id without its prefix, short enough to read out. */
export function reference(reservationId: string): string {
  return reservationId.replace(/^r_/, '').slice(0, 8);
}
