import {
  bookingSoFar,
  collect,
  inBookingFlow,
  merge,
  onAvailability,
  onConfirm,
  onCreated,
} from './booking.js';
import type { Catalogue } from './catalogue.js';
import {
  applyChange,
  changesOf,
  changing,
  findReservations,
  hasChanges,
  onCancelAnswer,
  onCancelled,
  onChangeAnswer,
  onChangeAvailability,
  onListed,
  onModified,
  onReservationPicked,
  quotedReservation,
  referencesIn,
} from './changes.js';
import { type Choice, parseChoice, typedAnswer } from './choices.js';
import { Draft, mainMenu } from './draft.js';
import { onFeedbackChoice, onFeedbackGiven, onFeedbackWords } from './feedback.js';
import { completedElsewhere } from './flow-offer.js';
import { askedForPerson, onStaff, whileHandedOff } from './handoff.js';
import { answerHours, askMenu, onMenu } from './information.js';
import { onReminderAnswered, onReminderChoice, onReminderWords } from './reminder-answers.js';
import { counted, DEFAULT_SETTINGS, onIdle, overLimit } from './session.js';
import type {
  BusinessProfile,
  CallResult,
  ConversationState,
  DialogueSettings,
  Entities,
  GuestTurn,
  Input,
  Language,
  Step,
} from './types.js';
import { acceptOffer, joinWaitlist, onOfferAccepted, onWaitlistJoined } from './waitlist.js';

/**
 * The dialogue: given what it knew and what just happened (a guest's message, the answer to a
 * call it asked for, a staff action, the session going idle), what it knows now and what should
 * happen. No I/O, no clock: the shell runs the calls and feeds their results back in until no call
 * is left. What it does is in booking.ts, changes.ts (change and cancel), information.ts (menu
 * and hours), handoff.ts and session.ts (idle time and the rate limit); this file routes to them.
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
      return onResult(new Draft(state, { now: input.now, business: input.business }), input.call);
    case 'staff':
      return onStaff(state, input, settings);
    case 'idle':
      return onIdle(state, input, settings);
    default: {
      const never: never = input;
      throw new Error(`unknown input ${JSON.stringify(never)}`);
    }
  }
}

function onTurn(state: ConversationState, turn: GuestTurn, settings: DialogueSettings): Step {
  // A tap on a button is in the language the button was written in: it says nothing new.
  const language = (turn.interactive ? undefined : turn.understanding?.language) ?? state.language;
  const d = new Draft(
    { ...state, rate: counted(state.rate, turn.now), language, lastTurnAt: turn.now },
    { now: turn.now, business: turn.business, turn },
  );

  const quiet = overLimit(d, settings) ?? whileHandedOff(d, state.handoff);
  if (quiet) return quiet;

  const choice = parseChoice(turn.interactive);
  const intent = choice?.kind === 'intent' ? choice.intent : turn.understanding?.intent;

  if (!d.state.greeted) {
    d.state = { ...d.state, greeted: true };
    const greeting = greetingFor(turn.business, d.state.language, d.cat);
    if (intent === 'GREETING' || (!choice && !turn.understanding)) {
      const body = turn.understanding ? `${greeting}\n${d.cat.howCanIHelp}` : `${greeting}\n${d.cat.notText}`;
      return d.reply(mainMenu(d.cat, body)).done();
    }
    // Said with the first answer, in the same message (`Draft.reply`).
    d.state = { ...d.state, opening: greeting };
  }

  if (completedElsewhere(turn)) return d.reply(mainMenu(d.cat, d.cat.notUnderstood)).done();
  if (choice && choice.kind !== 'intent') return onChoice(d, turn, choice);
  if (!turn.understanding && choice?.kind !== 'intent') return d.reply(mainMenu(d.cat, d.cat.notText)).done();

  const answered = choice ? undefined : (onFeedbackWords(d, turn) ?? onReminderWords(d, turn));
  if (answered) return answered;

  const typed = typedAnswer(turn.text);
  const phase = d.state.phase;
  if (typed && phase.kind === 'confirming') return onConfirm(d, turn, typed === 'yes' ? 'yes' : 'cancel');
  if (typed && phase.kind === 'confirmingCancel') return onCancelAnswer(d, typed === 'yes');
  if (typed && phase.kind === 'confirmingChange') return onChangeAnswer(d, typed === 'yes');
  // A reference typed instead of picking from the list names the reservation too.
  const quoted = referencesIn(turn.text);
  if (phase.kind === 'choosing') {
    const named = quotedReservation(phase.reservations, quoted);
    if (named) return onReservationPicked(d, named.id);
  }

  const entities = turn.understanding?.entities ?? {};
  const change = changing(phase);
  switch (intent) {
    case 'HUMAN':
      return askedForPerson(d, settings);
    case 'CANCEL':
      if (inBookingFlow(phase)) return d.phase({ kind: 'idle' }).say(d.cat.bookingStopped).done();
      return findReservations(d, 'cancel', {}, quoted);
    case 'MODIFY':
      if (inBookingFlow(phase)) return collect(d, merge(phase.booking, entities));
      if (change && hasChanges(entities))
        return applyChange(d, change.reservation, { ...change.changes, ...changesOf(entities) });
      return findReservations(d, 'modify', changesOf(entities), quoted);
    case 'BOOK':
      if (change && hasChanges(entities))
        return applyChange(d, change.reservation, { ...change.changes, ...changesOf(entities) });
      return collect(d, merge(bookingSoFar(phase), entities));
    case 'MENU':
      return askMenu(d, { category: entities.menuCategory, item: entities.menuItem });
    case 'HOURS':
      return answerHours(d);
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
function onOther(d: Draft, entities: Entities): Step {
  const phase = d.state.phase;
  const hasBookingFields = hasChanges(entities) || entities.guestName !== undefined;
  const change = changing(phase);
  if (change && hasChanges(entities))
    return applyChange(d, change.reservation, { ...change.changes, ...changesOf(entities) });
  if (hasBookingFields && (inBookingFlow(phase) || phase.kind === 'idle')) {
    return collect(d, merge(bookingSoFar(phase), entities));
  }
  if (entities.menuCategory || entities.menuItem) {
    return askMenu(d, { category: entities.menuCategory, item: entities.menuItem });
  }
  if (phase.kind === 'collecting') return collect(d.say(d.cat.notUnderstood), phase.booking);
  return d.reply(mainMenu(d.cat, d.cat.notUnderstood)).done();
}

/** A tap on one of the dialogue's own buttons or list rows: it means the same whatever intent.v1 says. */
function onChoice(d: Draft, turn: GuestTurn, choice: Exclude<Choice, { kind: 'intent' }>): Step {
  const phase = d.state.phase;
  switch (choice.kind) {
    case 'confirm':
      return onConfirm(d, turn, choice.answer);
    case 'cancelAnswer':
      return onCancelAnswer(d, choice.yes);
    case 'changeAnswer':
      return onChangeAnswer(d, choice.yes);
    case 'reservation':
      return onReservationPicked(d, choice.id);
    case 'slot':
      if (phase.kind === 'modifying')
        return applyChange(d, phase.reservation, { ...phase.changes, date: choice.date, time: choice.time });
      return collect(d, { ...bookingSoFar(phase), date: choice.date, time: choice.time });
    case 'name':
      return collect(d, { ...bookingSoFar(phase), name: choice.name });
    case 'menuCategory':
      return askMenu(d, { category: choice.name });
    case 'menuItem':
      return askMenu(d, { item: choice.id });
    case 'waitlistJoin':
      return joinWaitlist(d, turn);
    case 'offerAccept':
      return acceptOffer(d, choice.date, choice.entryId);
    case 'reminder':
      return onReminderChoice(d, choice);
    case 'feedback':
      return onFeedbackChoice(d, choice);
    default: {
      const never: never = choice;
      throw new Error(`unknown choice ${JSON.stringify(never)}`);
    }
  }
}

/** The answer to the call the dialogue asked for; one that arrives in another phase changes nothing. */
function onResult(d: Draft, call: CallResult): Step {
  const phase = d.state.phase;
  if (!call.result.ok) d.note({ kind: 'call.failed', call: call.kind, code: call.result.code });
  switch (call.kind) {
    case 'availability':
      if (phase.kind === 'checkingChange') return onChangeAvailability(d, phase, call.result);
      return phase.kind === 'checking' ? onAvailability(d, phase, call.result) : d.done();
    case 'created':
      return phase.kind === 'creating' ? onCreated(d, phase.booking, call.result) : d.done();
    case 'listed':
      return phase.kind === 'finding' ? onListed(d, phase, call.result) : d.done();
    case 'cancelled':
      return phase.kind === 'cancelling' ? onCancelled(d, call.result) : d.done();
    case 'modified':
      return phase.kind === 'applyingChange' ? onModified(d, phase, call.result) : d.done();
    case 'menu':
      return onMenu(d, call.result);
    case 'waitlistJoined':
      return phase.kind === 'joiningWaitlist' ? onWaitlistJoined(d, phase, call.result) : d.done();
    case 'offerAccepted':
      return phase.kind === 'acceptingOffer' ? onOfferAccepted(d, call.result) : d.done();
    case 'reminderAnswered':
      return onReminderAnswered(d, call.result);
    case 'feedbackGiven':
      return onFeedbackGiven(d, call.result);
    default: {
      const never: never = call;
      throw new Error(`unknown result ${JSON.stringify(never)}`);
    }
  }
}

/**
 * The restaurant's greeting in the guest's language, else the catalogue's welcome in it: a greeting
 * written for another language would open a Spanish guest's conversation in English.
 */
function greetingFor(business: BusinessProfile, language: Language, cat: Catalogue): string {
  const branded = business.greetings[language]?.trim();
  return branded || cat.defaultGreeting(business.name);
}
