import { CONVERSATION_EVENT_TYPES, DIALOGUE_EVENT_TYPES } from '@reserveit/contracts';
import {
  answeredByStaff,
  catalogueFor,
  choiceId,
  type ConversationState as DialogueState,
  type GuestTurn,
  handedOff,
  idleFor,
  initialState,
  next,
  waitlistOfferReply,
} from '../dialogue/index.js';
import { sendCommand } from '../outbound-commands.js';
import { feedbackDue } from './feedback.js';
import { noShowMessage } from './no-show.js';
import { causationIdOf, Recorder } from './recorder.js';
import { reminderDue } from './reminder.js';
import type {
  Conversation,
  ConversationCommand,
  ConversationEvent,
  DecideContext,
  Decision,
  GuestMessage,
  Party,
  Rejection,
  StaffScope,
} from './types.js';
import { insideWindow } from './window.js';

/** A conversation nobody has written to yet. */
export function newConversation(id: string, now: string): Conversation {
  return { id, party: undefined, dialogue: initialState(now) };
}

/**
 * What happens to a conversation when something happens to it: the guest writes, a call the
 * dialogue asked for answers, staff act, the session runs idle. Pure: time, ids and what was looked
 * up elsewhere (the restaurant, the understanding, call results) come in as parameters. The
 * dialogue (`next`) decides what to say; this turns its steps into the events and commands one
 * decision publishes. A decision may take several rounds (an idle timeout, the message, a call's
 * result …): `settle` makes them one.
 */
export function decide(command: ConversationCommand, state: Conversation, context: DecideContext): Decision {
  const { now, settings } = context;
  switch (command.type) {
    case 'guestMessage':
      return guestMessage(command, state, context);
    case 'callResult': {
      if (!state.party) return rejected('NOT_FOUND', `no conversation ${state.id}`);
      const step = next(
        state.dialogue,
        { kind: 'result', now, business: command.business, call: command.result },
        settings,
      );
      const record = new Recorder(state.id, state.party, context);
      const awaiting = record.effects(step.effects);
      return decided(record.state(step.state), awaiting);
    }
    case 'idleTimeout': {
      if (!state.party || idleFor(state.dialogue, now, settings) === undefined)
        return rejected('NOT_IDLE', `conversation ${state.id} has nothing in progress to time out`);
      const step = next(state.dialogue, { kind: 'idle', now }, settings);
      const record = new Recorder(state.id, state.party, context);
      record.effects(step.effects);
      return decided(record.state(step.state));
    }
    case 'intentUnavailable': {
      const { message, interpreted } = command;
      const language = interpreted.understanding.language ?? state.dialogue.language;
      const id = `${state.id}:${causationIdOf(context.cause)}:wait`;
      const wait = sendCommand(addresseeOf(state.id, message), id, now, {
        kind: 'text',
        body: catalogueFor(language).oneMoment,
        previewUrl: false,
      });
      const reason = `intent.v1 failed (${interpreted.fallbackReason ?? 'unknown'}); retrying the message`;
      return { outcome: 'retry', sends: [wait], reason };
    }
    case 'unknownBusiness': {
      const causationId = causationIdOf(context.cause);
      const event: ConversationEvent = {
        v: 1,
        id: `${state.id}:${causationId}:unknown-business`,
        type: DIALOGUE_EVENT_TYPES.unknownBusiness,
        conversationId: state.id,
        occurredAt: now,
        causationId,
        phoneNumberId: command.message.phoneNumberId,
      };
      return { outcome: 'decided', events: [event], sends: [] };
    }
    case 'takeOver':
    case 'release': {
      if (!inScope(state, command)) return rejected('NOT_FOUND', `no conversation ${state.id}`);
      const holder = holderOtherThan(state.dialogue, command.staff, now);
      if (command.type === 'takeOver' && holder) return takenBy(state, holder);
      const action = command.type === 'takeOver' ? 'handoff' : 'release';
      const step = next(state.dialogue, { kind: 'staff', action, staff: command.staff, now }, settings);
      const record = new Recorder(state.id, state.party, context);
      record.effects(step.effects);
      return decided(record.state(step.state));
    }
    case 'staffReply': {
      if (!inScope(state, command)) return rejected('NOT_FOUND', `no conversation ${state.id}`);
      if (!handedOff(state.dialogue, now))
        return rejected(
          'NOT_HANDED_OFF',
          `conversation ${state.id} is answered by the assistant: take it over (Handoff) first`,
        );
      const holder = holderOtherThan(state.dialogue, command.staff, now);
      if (holder) return takenBy(state, holder);
      if (command.message.kind === 'text' && !insideWindow(state.dialogue, now))
        return rejected(
          'OUTSIDE_WINDOW',
          `the guest's last message in conversation ${state.id} is 24 hours old or more: WhatsApp allows only a template message now`,
        );
      const record = new Recorder(state.id, state.party, context);
      record.staffReply(command.staff, command.message);
      return decided(record.state(answeredByStaff(state.dialogue, command.staff)));
    }
    case 'waitlistOffer':
      return waitlistOffer(command, state, context);
    case 'reminderDue':
      return reminderDue(command, state, context);
    case 'feedbackDue':
      return feedbackDue(command, state, context);
    case 'noShowMessage':
      return noShowMessage(command, state, context);
    default:
      return exhaustive(command);
  }
}

/**
 * A table offered from the waitlist: inside the window the dialogue's own message with a Confirm
 * button, in the guest's language; outside it the restaurant's waitlist-offer template (its body
 * {{1}} the day and time, {{2}} the party size, {{3}} until when it is held, as many as it has),
 * whose quick reply comes back as the same Confirm.
 */
function waitlistOffer(
  command: Extract<ConversationCommand, { type: 'waitlistOffer' }>,
  state: Conversation,
  context: DecideContext,
): Decision {
  if (!state.party) return rejected('NOT_FOUND', `no conversation ${state.id}`);
  const { offer } = command;
  const record = new Recorder(state.id, state.party, context);
  const cat = catalogueFor(state.dialogue.language);
  if (insideWindow(state.dialogue, context.now)) {
    record.reply(waitlistOfferReply({ cat }, offer));
  } else {
    const language = state.dialogue.language;
    const template =
      command.templates.find((t) => t.language.split('_')[0] === language) ?? command.templates[0];
    if (!template)
      return rejected(
        'NO_TEMPLATE',
        `the guest's last message in conversation ${state.id} is 24 hours old or more and the restaurant has no waitlist-offer template`,
      );
    const values = [cat.when(offer.date, offer.time), String(offer.partySize), offer.until];
    record.templateReply(
      {
        kind: 'template',
        name: template.name,
        language: template.language,
        bodyParameters: values.slice(0, template.bodyParameters),
      },
      choiceId.offerAccept(offer.date, offer.entryId),
    );
  }
  record.note({ kind: 'waitlist.offered', entryId: offer.entryId });
  return decided(record.state(state.dialogue));
}

/**
 * The staff member who has the conversation now, when it is someone else: one person answers a
 * guest at a time, and a second takeover must not silently take it from the first. Releasing stays
 * open to everyone (the first may have left for the night).
 */
function holderOtherThan(dialogue: DialogueState, staff: string, now: string): string | undefined {
  const holder = handedOff(dialogue, now) ? dialogue.handoff?.staff : undefined;
  return holder && holder !== staff ? holder : undefined;
}

function takenBy(state: Conversation, holder: string): Decision {
  return rejected(
    'TAKEN_BY_OTHER',
    `conversation ${state.id} is taken over by ${holder}: they answer the guest until they release it`,
  );
}

function guestMessage(
  command: Extract<ConversationCommand, { type: 'guestMessage' }>,
  state: Conversation,
  context: DecideContext,
): Decision {
  const { message, business, interpreted } = command;
  const party: Party = {
    businessId: business.id,
    phoneNumberId: message.phoneNumberId,
    guestId: message.guestId,
  };
  const record = new Recorder(state.id, party, context);
  // Any message of the guest, a reaction too, opens WhatsApp's 24-hour window again.
  const dialogue: DialogueState = { ...state.dialogue, lastInboundAt: context.now };
  // Reactions and system notices are history, not messages to answer (or to mark read).
  if (message.said.answer) record.markRead(message.wamid);
  record.guestSaid(message, interpreted);
  if (!message.said.answer) return decided(record.state(dialogue));
  const turn: GuestTurn = {
    kind: 'turn',
    messageId: message.wamid,
    conversationId: state.id,
    now: context.now,
    business,
    text: message.said.text,
    ...(message.said.interactive ? { interactive: message.said.interactive } : {}),
    ...(message.guestName ? { profileName: message.guestName } : {}),
    ...(interpreted ? { understanding: interpreted.understanding } : {}),
  };
  const step = next(dialogue, turn, context.settings);
  const awaiting = record.effects(step.effects);
  return decided(record.state(step.state), awaiting);
}

/** The conversation exists and, when the staff tool is scoped to a business, is that business's. */
function inScope(state: Conversation, scope: StaffScope): state is Conversation & { party: Party } {
  if (!state.party) return false;
  return !scope.businessId || scope.businessId === state.party.businessId;
}

/** The conversation after one of its events: each state change carries the whole dialogue state. */
export function evolve(state: Conversation, event: ConversationEvent): Conversation {
  switch (event.type) {
    case DIALOGUE_EVENT_TYPES.stateChanged:
      return {
        id: state.id,
        party: {
          businessId: event.businessId,
          phoneNumberId: event.phoneNumberId,
          // Events written before the guest's id was added to them leave the one known before.
          guestId: event.guestId ?? state.party?.guestId ?? '',
        },
        dialogue: event.state as unknown as DialogueState,
      };
    case CONVERSATION_EVENT_TYPES.turnRecorded:
    case DIALOGUE_EVENT_TYPES.intentInterpreted:
    case DIALOGUE_EVENT_TYPES.replyRequested:
    case DIALOGUE_EVENT_TYPES.noted:
    case DIALOGUE_EVENT_TYPES.unknownBusiness:
    case DIALOGUE_EVENT_TYPES.staffReplied:
      return state;
    default:
      return exhaustive(event);
  }
}

/**
 * The events of a decision's rounds as the one decision that is committed and published: what the
 * guest said and how it was understood first (an idle timeout decided before the message was read
 * is part of answering it), then everything else in the order decided, then the state the last
 * round left (each round ends with the state it reached; the last one is the decision's).
 */
export function settle(events: readonly ConversationEvent[]): ConversationEvent[] {
  const said = (event: ConversationEvent) =>
    (event.type === CONVERSATION_EVENT_TYPES.turnRecorded && event.role === 'guest') ||
    event.type === DIALOGUE_EVENT_TYPES.intentInterpreted;
  const states = events.filter((event) => event.type === DIALOGUE_EVENT_TYPES.stateChanged);
  const last = states[states.length - 1];
  return [
    ...events.filter(said),
    ...events.filter((event) => !said(event) && event.type !== DIALOGUE_EVENT_TYPES.stateChanged),
    ...(last ? [last] : []),
  ];
}

/** Whether the session ran idle, so the pipeline feeds an `idleTimeout` before the guest's turn. */
export function idleTimeoutDue(
  state: Conversation,
  now: string,
  settings: DecideContext['settings'],
): boolean {
  return state.party !== undefined && idleFor(state.dialogue, now, settings) !== undefined;
}

function addresseeOf(conversationId: string, message: GuestMessage) {
  return {
    conversationId,
    phoneNumberId: message.phoneNumberId,
    guestId: message.guestId,
    replyTo: message.wamid,
  };
}

function decided(record: Recorder, awaiting?: ReturnType<Recorder['effects']>): Decision {
  return {
    outcome: 'decided',
    events: record.events,
    sends: record.sends,
    ...(awaiting ? { awaiting } : {}),
  };
}

function rejected(code: Rejection['code'], message: string): Decision {
  return { outcome: 'rejected', rejection: { code, message } };
}

function exhaustive(value: never): never {
  throw new Error(`unhandled ${JSON.stringify(value)}`);
}
