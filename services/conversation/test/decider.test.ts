import { sendRequestedSchema } from '@reserveit/contracts';
import { describe, expect, it } from 'vitest';
import {
  type Cause,
  type Conversation,
  type ConversationCommand,
  type ConversationEvent,
  type DecideContext,
  type Decision,
  decide,
  decisionIds,
  evolve,
  type GuestMessage,
  type Interpreted,
  inboundCommands,
  newConversation,
  settle,
} from '../src/decider/index.js';
import { DEFAULT_SETTINGS, type Intent } from '../src/dialogue/index.js';
import { at, BUSINESS, NOW, TOMORROW } from './dialogue-fixtures.js';

const ID = 'c_test';
const GUEST = '971500000001';
const PNID = 'pnid-1';

function message(wamid: string, text: string, extra: Partial<GuestMessage> = {}): GuestMessage {
  return {
    wamid,
    phoneNumberId: PNID,
    guestId: GUEST,
    guestName: 'Layla',
    type: 'text',
    said: { text, readable: text !== '', answer: true },
    ...extra,
  };
}

const understood = (
  intent: Intent,
  entities: Interpreted['understanding']['entities'] = {},
): Interpreted => ({
  understanding: { intent, entities, language: 'en', source: 'rules' },
  confidence: 0.9,
});

function contextOf(cause: Cause, now = NOW): DecideContext {
  return { now, settings: DEFAULT_SETTINGS, cause, ids: decisionIds(ID, cause) };
}
const byGuest = (wamid: string, now = NOW) => contextOf({ kind: 'message', wamid, guestName: 'Layla' }, now);
const byStaff = (actionId: string, now = NOW) => contextOf({ kind: 'staff', actionId }, now);

/** The conversation as the events of earlier decisions left it. */
const given = (...events: ConversationEvent[]): Conversation =>
  events.reduce(evolve, newConversation(ID, NOW));

/** The events of a decision that was made; fails the test on any other outcome. */
function decided(decision: Decision) {
  if (decision.outcome !== 'decided') throw new Error(`expected a decision, got ${JSON.stringify(decision)}`);
  return decision;
}

const idsOf = (events: readonly { id: string; type: string }[]) =>
  events.map((event) => [event.type, event.id]);
const stateOf = (events: readonly ConversationEvent[]) => {
  const last = events[events.length - 1];
  if (last?.type !== 'conversation.state.changed') throw new Error('a decision ends with its state');
  return last;
};

/** A greeted conversation, by its first message's decision. */
function greetedConversation(): ConversationEvent[] {
  return decided(
    decide(
      {
        type: 'guestMessage',
        message: message('wamid.0', 'hi'),
        business: BUSINESS,
        interpreted: understood('GREETING'),
      },
      newConversation(ID, NOW),
      byGuest('wamid.0'),
    ),
  ).events;
}

/** A guest asking for a table with every detail: the dialogue must check availability first. */
const tableForLayla = (wamid: string) => ({
  type: 'guestMessage' as const,
  message: message(wamid, 'table for 2 tomorrow at 8pm, Layla'),
  business: BUSINESS,
  interpreted: understood('BOOK', { partySize: 2, date: TOMORROW, time: '20:00', guestName: 'Layla' }),
});

describe('decider: a guest message', () => {
  it('records the turn and its understanding, marks it read and replies, with ids derived from the message', () => {
    const decision = decided(
      decide(
        {
          type: 'guestMessage',
          message: message('wamid.1', 'hi'),
          business: BUSINESS,
          interpreted: understood('GREETING'),
        },
        newConversation(ID, NOW),
        byGuest('wamid.1'),
      ),
    );
    expect(idsOf(decision.events)).toEqual([
      ['conversation.turn.recorded', `${ID}:wamid.1:guest`],
      ['conversation.intent.interpreted', `${ID}:wamid.1:intent`],
      ['conversation.reply.requested', `${ID}:wamid.1:1:requested`],
      ['conversation.turn.recorded', `${ID}:wamid.1:1:assistant`],
      ['conversation.state.changed', `${ID}:wamid.1:state`],
    ]);
    expect(stateOf(decision.events)).toMatchObject({
      causationId: 'wamid.1',
      businessId: 'bistro',
      phoneNumberId: PNID,
      guestId: GUEST,
      guestName: 'Layla',
      phase: 'idle',
      state: { greeted: true, lastTurnAt: NOW },
    });
    expect(decision.sends.map((command) => [command.id, command.message.kind, command.replyTo])).toEqual([
      [`${ID}:wamid.1:read`, 'read', 'wamid.1'],
      [`${ID}:wamid.1:1`, 'buttons', 'wamid.1'],
    ]);
    for (const command of decision.sends) expect(sendRequestedSchema.parse(command)).toEqual(command);
    expect(decision.awaiting).toBeUndefined();
  });

  it('asks for the call the dialogue needs, and answers on its result in a next round that numbers on', () => {
    const state = given(...greetedConversation());
    const context = byGuest('wamid.2');
    const first = decided(decide(tableForLayla('wamid.2'), state, context));
    expect(first.awaiting).toEqual({
      kind: 'checkAvailability',
      partySize: 2,
      date: TOMORROW,
      time: '20:00',
    });
    expect(first.sends.map((command) => command.message.kind)).toEqual(['read']);
    const second = decided(
      decide(
        {
          type: 'callResult',
          business: BUSINESS,
          result: { kind: 'availability', result: { ok: true, preferredAvailable: true, alternatives: [] } },
        },
        first.events.reduce(evolve, state),
        context,
      ),
    );
    expect(idsOf(second.events)).toEqual([
      ['conversation.reply.requested', `${ID}:wamid.2:1:requested`],
      ['conversation.turn.recorded', `${ID}:wamid.2:1:assistant`],
      ['conversation.state.changed', `${ID}:wamid.2:state`],
    ]);
    expect(stateOf(second.events)).toMatchObject({ phase: 'confirming', guestName: 'Layla' });
    expect(second.sends.map((command) => command.id)).toEqual([`${ID}:wamid.2:1`]);
    // One decision of both rounds: one state, the last.
    const whole = settle([...first.events, ...second.events]);
    expect(whole.filter((event) => event.type === 'conversation.state.changed')).toEqual([
      stateOf(second.events),
    ]);
    expect(whole[0]).toMatchObject({ type: 'conversation.turn.recorded', role: 'guest' });
  });

  it('sends the welcome of a first message with the answer that waited for a call, as one OUTBOUND message', () => {
    const state = newConversation(ID, NOW);
    const context = byGuest('wamid.9');
    const first = decided(decide(tableForLayla('wamid.9'), state, context));
    // The welcome waits in the state for the answer, which needs the availability first.
    expect(first.sends.map((command) => command.message.kind)).toEqual(['read']);
    expect(stateOf(first.events).state).toMatchObject({ greeted: true, opening: BUSINESS.greetings.en });
    const second = decided(
      decide(
        {
          type: 'callResult',
          business: BUSINESS,
          result: { kind: 'availability', result: { ok: true, preferredAvailable: true, alternatives: [] } },
        },
        first.events.reduce(evolve, state),
        context,
      ),
    );
    expect(second.sends).toHaveLength(1);
    const [answer] = second.sends;
    expect(answer?.message).toMatchObject({
      kind: 'buttons',
      body: `${BUSINESS.greetings.en}\nA table for 2 guests on Tue 24 Nov at 20:00, under the name Layla. Shall I book it?`,
    });
    expect(stateOf(second.events).state).not.toHaveProperty('opening');
  });

  it('records a reaction without answering it or marking it read', () => {
    const state = given(...greetedConversation());
    const decision = decided(
      decide(
        {
          type: 'guestMessage',
          message: message('wamid.3', '', {
            type: 'reaction',
            said: { text: '', readable: false, answer: false },
          }),
          business: BUSINESS,
        },
        state,
        byGuest('wamid.3'),
      ),
    );
    expect(idsOf(decision.events)).toEqual([
      ['conversation.turn.recorded', `${ID}:wamid.3:guest`],
      ['conversation.state.changed', `${ID}:wamid.3:state`],
    ]);
    expect(decision.events[0]).toMatchObject({ kind: 'reaction', messageId: 'wamid.3' });
    expect(stateOf(decision.events).state).toEqual(state.dialogue);
    expect(decision.sends).toEqual([]);
  });
});

describe('decider: the idle timeout', () => {
  /** A booking left half-way at NOW. */
  const halfWay = () =>
    given(
      ...greetedConversation(),
      ...decided(
        decide(
          {
            type: 'guestMessage',
            message: message('wamid.4', 'book for tomorrow'),
            business: BUSINESS,
            interpreted: understood('BOOK', { date: TOMORROW }),
          },
          given(...greetedConversation()),
          byGuest('wamid.4'),
        ),
      ).events,
    );

  it('starts a half-finished dialogue over once the session ran idle, noting how long', () => {
    const state = halfWay();
    expect(state.dialogue.phase.kind).toBe('collecting');
    const decision = decided(decide({ type: 'idleTimeout' }, state, byGuest('wamid.5', at(31 * 60_000))));
    expect(idsOf(decision.events)).toEqual([
      ['conversation.dialogue.noted', `${ID}:wamid.5:note:1`],
      ['conversation.state.changed', `${ID}:wamid.5:state`],
    ]);
    expect(decision.events[0]).toMatchObject({ note: 'session.reset', detail: { idleMs: 31 * 60_000 } });
    expect(stateOf(decision.events)).toMatchObject({ phase: 'idle', state: { greeted: true } });
    expect(decision.sends).toEqual([]);
  });

  it('refuses a timeout before the session ran idle, or with nothing in progress', () => {
    expect(decide({ type: 'idleTimeout' }, halfWay(), byGuest('wamid.6', at(29 * 60_000)))).toMatchObject({
      outcome: 'rejected',
      rejection: { code: 'NOT_IDLE' },
    });
    const idle = given(...greetedConversation());
    expect(decide({ type: 'idleTimeout' }, idle, byGuest('wamid.7', at(60 * 60_000)))).toMatchObject({
      outcome: 'rejected',
      rejection: { code: 'NOT_IDLE' },
    });
  });

  it('puts the guest’s turn before the reset it caused when both rounds settle into one decision', () => {
    const state = halfWay();
    const context = byGuest('wamid.8', at(31 * 60_000));
    const reset = decided(decide({ type: 'idleTimeout' }, state, context));
    const answer = decided(
      decide(
        {
          type: 'guestMessage',
          message: message('wamid.8', '8pm'),
          business: BUSINESS,
          interpreted: understood('OTHER', { time: '20:00' }),
        },
        reset.events.reduce(evolve, state),
        context,
      ),
    );
    expect(idsOf(settle([...reset.events, ...answer.events]))).toEqual([
      ['conversation.turn.recorded', `${ID}:wamid.8:guest`],
      ['conversation.intent.interpreted', `${ID}:wamid.8:intent`],
      ['conversation.dialogue.noted', `${ID}:wamid.8:note:1`],
      ['conversation.reply.requested', `${ID}:wamid.8:1:requested`],
      ['conversation.turn.recorded', `${ID}:wamid.8:1:assistant`],
      ['conversation.state.changed', `${ID}:wamid.8:state`],
    ]);
    // The day asked before the reset is forgotten: the time is kept, the day asked again.
    expect(stateOf(answer.events).state).toMatchObject({
      phase: { kind: 'collecting', booking: { time: '20:00' }, expecting: 'date' },
    });
  });
});

describe('decider: intent.v1 unavailable and unknown numbers', () => {
  it('says "one moment" once per message (Msg-Id <conversation>:<wamid>:wait) and asks for a retry, deciding nothing', () => {
    const decision = decide(
      {
        type: 'intentUnavailable',
        message: message('wamid.9', 'lorem ipsum'),
        interpreted: {
          understanding: { intent: 'OTHER', entities: {}, language: 'ar', source: 'fallback' },
          fallbackReason: 'UNAVAILABLE',
        },
      },
      newConversation(ID, NOW),
      byGuest('wamid.9'),
    );
    if (decision.outcome !== 'retry') throw new Error(`expected a retry, got ${decision.outcome}`);
    expect(decision.reason).toContain('UNAVAILABLE');
    expect(decision.sends).toEqual([
      {
        v: 1,
        type: 'whatsapp.send.requested',
        id: `${ID}:wamid.9:wait`,
        phoneNumberId: PNID,
        to: GUEST,
        replyTo: 'wamid.9',
        conversationId: ID,
        requestedAt: NOW,
        message: { kind: 'text', body: 'لحظة من فضلك، سأكون معك حالًا.', previewUrl: false },
      },
    ]);
  });

  it('records a message to an unknown number as one event and answers nothing', () => {
    const decision = decided(
      decide(
        { type: 'unknownBusiness', message: message('wamid.10', 'hello?', { phoneNumberId: '999' }) },
        newConversation(ID, NOW),
        byGuest('wamid.10'),
      ),
    );
    expect(decision.events).toEqual([
      {
        v: 1,
        id: `${ID}:wamid.10:unknown-business`,
        type: 'conversation.business.unknown',
        conversationId: ID,
        occurredAt: NOW,
        causationId: 'wamid.10',
        phoneNumberId: '999',
      },
    ]);
    expect(decision.sends).toEqual([]);
  });
});

describe('decider: staff', () => {
  const takeOver: ConversationCommand = { type: 'takeOver', staff: 'maria' };
  const reply: ConversationCommand = {
    type: 'staffReply',
    staff: 'maria',
    message: { kind: 'text', text: 'Hello Layla, this is Maria.' },
  };

  it('takes a conversation over and gives it back, each a decision under the staff action’s id', () => {
    const taken = decided(decide(takeOver, given(...greetedConversation()), byStaff('a1', at(1000))));
    expect(idsOf(taken.events)).toEqual([
      ['conversation.dialogue.noted', `${ID}:staff:a1:note:1`],
      ['conversation.state.changed', `${ID}:staff:a1:state`],
    ]);
    expect(taken.events[0]).toMatchObject({
      causationId: 'staff:a1',
      note: 'handoff.started',
      detail: { by: 'staff' },
    });
    expect(stateOf(taken.events)).not.toHaveProperty('guestName');
    expect(taken.sends).toEqual([]);
    const released = decided(
      decide(
        { type: 'release', staff: 'maria' },
        given(...greetedConversation(), ...taken.events),
        byStaff('a2'),
      ),
    );
    expect(released.events[0]).toMatchObject({ note: 'handoff.released', detail: { by: 'staff' } });
    expect(stateOf(released.events).state).not.toHaveProperty('handoff');
  });

  it('sends a staff member’s text while the conversation is taken over, recorded as the restaurant’s turn', () => {
    const taken = decided(decide(takeOver, given(...greetedConversation()), byStaff('a3'))).events;
    const decision = decided(
      decide(reply, given(...greetedConversation(), ...taken), byStaff('a4', at(60_000))),
    );
    expect(idsOf(decision.events)).toEqual([
      ['conversation.staff.replied', `${ID}:staff:a4:1:requested`],
      ['conversation.turn.recorded', `${ID}:staff:a4:1:assistant`],
      ['conversation.state.changed', `${ID}:staff:a4:state`],
    ]);
    expect(decision.events[0]).toMatchObject({ staff: 'maria', commandId: `${ID}:staff:a4:1` });
    expect(decision.events[1]).toMatchObject({
      role: 'assistant',
      text: 'Hello Layla, this is Maria.',
      kind: 'text',
    });
    expect(decision.sends).toEqual([
      {
        v: 1,
        type: 'whatsapp.send.requested',
        id: `${ID}:staff:a4:1`,
        phoneNumberId: PNID,
        to: GUEST,
        conversationId: ID,
        requestedAt: at(60_000),
        message: { kind: 'text', body: 'Hello Layla, this is Maria.', previewUrl: false },
      },
    ]);
  });

  it('refuses a staff reply while the assistant answers: never taken over, released, or the handoff ran out', () => {
    const greetedOnly = given(...greetedConversation());
    expect(decide(reply, greetedOnly, byStaff('a5'))).toMatchObject({
      outcome: 'rejected',
      rejection: { code: 'NOT_HANDED_OFF' },
    });
    const taken = decided(decide(takeOver, greetedOnly, byStaff('a6'))).events;
    const released = decided(
      decide({ type: 'release', staff: 'maria' }, given(...greetedConversation(), ...taken), byStaff('a7')),
    ).events;
    expect(
      decide(reply, given(...greetedConversation(), ...taken, ...released), byStaff('a8')),
    ).toMatchObject({
      outcome: 'rejected',
      rejection: { code: 'NOT_HANDED_OFF' },
    });
    const late = at(DEFAULT_SETTINGS.handoffTimeoutMs + 1);
    expect(decide(reply, given(...greetedConversation(), ...taken), byStaff('a9', late))).toMatchObject({
      outcome: 'rejected',
      rejection: { code: 'NOT_HANDED_OFF' },
    });
  });

  it('keeps a conversation with the staff member who has it: another may not take it over or reply, but may release it', () => {
    const taken = decided(decide(takeOver, given(...greetedConversation()), byStaff('t1'))).events;
    const held = given(...greetedConversation(), ...taken);
    const rival = { type: 'takeOver', staff: 'omar' } as const;
    expect(decide(rival, held, byStaff('t2'))).toMatchObject({
      outcome: 'rejected',
      rejection: { code: 'TAKEN_BY_OTHER' },
    });
    expect(decide({ ...reply, staff: 'omar' }, held, byStaff('t3'))).toMatchObject({
      outcome: 'rejected',
      rejection: { code: 'TAKEN_BY_OTHER' },
    });
    // The holder takes it again (extends it) and replies; after the handoff ran out anyone may take it.
    expect(decide(takeOver, held, byStaff('t4')).outcome).toBe('decided');
    expect(decide(reply, held, byStaff('t5')).outcome).toBe('decided');
    expect(decide(rival, held, byStaff('t6', at(DEFAULT_SETTINGS.handoffTimeoutMs + 1))).outcome).toBe(
      'decided',
    );
    const released = decided(decide({ type: 'release', staff: 'omar' }, held, byStaff('t7'))).events;
    expect(decide(rival, given(...greetedConversation(), ...taken, ...released), byStaff('t8')).outcome).toBe(
      'decided',
    );
  });

  it('refuses every staff action scoped to another business as if the conversation did not exist', () => {
    const conversation = given(...greetedConversation());
    for (const command of [takeOver, { type: 'release', staff: '' } as const, reply]) {
      expect(decide({ ...command, businessId: 'other' }, conversation, byStaff('s1'))).toEqual({
        outcome: 'rejected',
        rejection: { code: 'NOT_FOUND', message: `no conversation ${ID}` },
      });
    }
    expect(decide({ ...takeOver, businessId: 'bistro' }, conversation, byStaff('s2')).outcome).toBe(
      'decided',
    );
  });

  it('sends free text only within 24 hours of the guest’s last message, a template at any time', () => {
    const day = 24 * 60 * 60_000;
    const late = at(day);
    // The handoff lasts hours, the window a day: staff take it over again before writing.
    const taken = decided(decide(takeOver, given(...greetedConversation()), byStaff('w1', late))).events;
    const state = given(...greetedConversation(), ...taken);
    expect(decide(reply, state, byStaff('w2', late))).toMatchObject({
      outcome: 'rejected',
      rejection: { code: 'OUTSIDE_WINDOW' },
    });
    expect(decide(reply, state, byStaff('w3', at(day - 1))).outcome).toBe('decided');

    const template: ConversationCommand = {
      type: 'staffReply',
      staff: 'maria',
      message: {
        kind: 'template',
        name: 'table_ready',
        language: 'en_US',
        bodyParameters: ['Layla', '8 pm'],
      },
    };
    const decision = decided(decide(template, state, byStaff('w4', late)));
    expect(decision.sends).toEqual([
      {
        v: 1,
        type: 'whatsapp.send.requested',
        id: `${ID}:staff:w4:1`,
        phoneNumberId: PNID,
        to: GUEST,
        conversationId: ID,
        requestedAt: late,
        message: {
          kind: 'template',
          name: 'table_ready',
          language: 'en_US',
          components: [
            {
              type: 'body',
              parameters: [
                { type: 'text', text: 'Layla' },
                { type: 'text', text: '8 pm' },
              ],
            },
          ],
        },
      },
    ]);
    expect(sendRequestedSchema.parse(decision.sends[0])).toEqual(decision.sends[0]);
    expect(decision.events[1]).toMatchObject({
      type: 'conversation.turn.recorded',
      role: 'assistant',
      kind: 'template',
      text: '[table_ready] Layla | 8 pm',
    });
    const bare = decided(
      decide(
        { ...template, message: { kind: 'template', name: 'hello', language: 'en', bodyParameters: [] } },
        state,
        byStaff('w5', late),
      ),
    );
    expect(bare.sends[0]?.message).toEqual({
      kind: 'template',
      name: 'hello',
      language: 'en',
      components: [],
    });
    expect(bare.events[1]).toMatchObject({ text: '[hello]' });
  });

  it('keeps the guest’s last message of any kind, a reaction too, for the window', () => {
    const reaction = message('wamid.r', '', {
      type: 'reaction',
      said: { text: '', readable: false, answer: false },
    });
    const later = at(60_000);
    const events = decided(
      decide(
        { type: 'guestMessage', message: reaction, business: BUSINESS },
        given(...greetedConversation()),
        byGuest('wamid.r', later),
      ),
    ).events;
    expect(stateOf(events).state).toMatchObject({ lastInboundAt: later });
  });

  it('answers a guest waiting for a person: the wait ends and the writer has the conversation', () => {
    const asked = decided(
      decide(
        {
          type: 'guestMessage',
          message: message('wamid.h', 'a person please'),
          business: BUSINESS,
          interpreted: understood('HUMAN'),
        },
        given(...greetedConversation()),
        byGuest('wamid.h', at(1000)),
      ),
    ).events;
    expect(stateOf(asked).state).toMatchObject({ handoff: { by: 'guest', waitingSince: at(1000) } });
    const answered = decided(
      decide(reply, given(...greetedConversation(), ...asked), byStaff('h1', at(2000))),
    );
    expect(stateOf(answered.events).state).toMatchObject({ handoff: { by: 'guest', staff: 'maria' } });
    expect(stateOf(answered.events).state).not.toHaveProperty('handoff.waitingSince');
  });

  it('refuses every staff action on a conversation that does not exist', () => {
    for (const command of [takeOver, { type: 'release', staff: '' } as const, reply]) {
      expect(decide(command, newConversation(ID, NOW), byStaff('b1'))).toMatchObject({
        outcome: 'rejected',
        rejection: { code: 'NOT_FOUND' },
      });
    }
  });
});

describe('decider: evolve', () => {
  it('takes the whole dialogue state and the parties from a state change, and nothing from other events', () => {
    const events = greetedConversation();
    const state = given(...events);
    expect(state.party).toEqual({ businessId: 'bistro', phoneNumberId: PNID, guestId: GUEST });
    expect(state.dialogue).toEqual(stateOf(events).state);
    for (const event of events.filter((e) => e.type !== 'conversation.state.changed'))
      expect(evolve(state, event)).toBe(state);
  });
});

describe('decider: the commands of an inbound message', () => {
  const nothing: Interpreted = {
    understanding: { intent: 'OTHER', entities: {}, source: 'fallback' },
    fallbackReason: 'UNAVAILABLE',
  };
  const commandsOf = (
    state: Conversation,
    guest: GuestMessage,
    interpreted: Interpreted | undefined,
    lastAttempt: boolean,
    now = NOW,
  ) =>
    inboundCommands(
      state,
      { message: guest, business: BUSINESS, interpreted, lastAttempt },
      now,
      DEFAULT_SETTINGS,
    ).map((command) => command.type);

  it('waits for intent.v1 while the fallback understood nothing of a typed message, but not on the last attempt', () => {
    const state = newConversation(ID, NOW);
    expect(commandsOf(state, message('w1', 'lorem'), nothing, false)).toEqual(['intentUnavailable']);
    expect(commandsOf(state, message('w1', 'lorem'), nothing, true)).toEqual(['guestMessage']);
    const tapped = message('w1', 'Menu', {
      said: {
        text: 'Menu',
        readable: true,
        answer: true,
        interactive: { kind: 'button_reply', id: 'x', title: 'Menu' },
      },
    });
    expect(commandsOf(state, tapped, nothing, false)).toEqual(['guestMessage']);
    const understoodByFallback: Interpreted = {
      ...nothing,
      understanding: { ...nothing.understanding, intent: 'MENU' },
    };
    expect(commandsOf(state, message('w1', 'menu'), understoodByFallback, false)).toEqual(['guestMessage']);
    expect(commandsOf(state, message('w1', 'lorem'), understood('OTHER'), false)).toEqual(['guestMessage']);
  });

  it('feeds the idle timeout before a message once the session ran idle, and not before a reaction', () => {
    const halfWay = given(
      ...decided(
        decide(
          {
            type: 'guestMessage',
            message: message('w0', 'book tomorrow'),
            business: BUSINESS,
            interpreted: understood('BOOK', { date: TOMORROW }),
          },
          newConversation(ID, NOW),
          byGuest('w0'),
        ),
      ).events,
    );
    const later = at(31 * 60_000);
    expect(commandsOf(halfWay, message('w1', '8pm'), understood('OTHER'), false, later)).toEqual([
      'idleTimeout',
      'guestMessage',
    ]);
    expect(commandsOf(halfWay, message('w1', '8pm'), understood('OTHER'), false, at(60_000))).toEqual([
      'guestMessage',
    ]);
    const reaction = message('w1', '', {
      type: 'reaction',
      said: { text: '', readable: false, answer: false },
    });
    expect(commandsOf(halfWay, reaction, undefined, false, later)).toEqual(['guestMessage']);
  });
});

describe('conversation decider: waitlist offers', () => {
  const offer = (templates: { name: string; language: string; bodyParameters: number }[] = []) =>
    ({
      type: 'waitlistOffer',
      offer: { date: TOMORROW, time: '20:00', partySize: 4, entryId: 'w_1', until: '14:15' },
      templates,
    }) as const;
  const template = { name: 'table_freed', language: 'en_US', bodyParameters: 3 };

  it('sends the offer as free text with a Confirm button inside the 24-hour window', () => {
    const { sends, events } = decided(
      decide(offer([template]), given(...greetedConversation()), byStaff('o1')),
    );
    expect(sends).toHaveLength(1);
    expect(sends[0]?.message).toMatchObject({
      kind: 'buttons',
      buttons: [{ id: `offer:${TOMORROW}/w_1`, title: 'Confirm' }],
    });
    expect(sends[0]?.message).toMatchObject({ body: expect.stringContaining('held for you until 14:15') });
    expect(events.map((e) => e.type)).toContain('conversation.dialogue.noted');
  });

  it('sends the waitlist-offer template, its quick reply carrying the offer, once the window closed', () => {
    const late = at(24 * 60 * 60_000);
    const { sends } = decided(
      decide(offer([template]), given(...greetedConversation()), byStaff('o2', late)),
    );
    expect(sends[0]?.message).toEqual({
      kind: 'template',
      name: 'table_freed',
      language: 'en_US',
      components: [
        {
          type: 'body',
          parameters: [
            { type: 'text', text: expect.stringContaining('20:00') },
            { type: 'text', text: '4' },
            { type: 'text', text: '14:15' },
          ],
        },
        {
          type: 'button',
          sub_type: 'quick_reply',
          index: '0',
          parameters: [{ type: 'payload', payload: `offer:${TOMORROW}/w_1` }],
        },
      ],
    });
    for (const send of sends) sendRequestedSchema.parse(send);
  });

  it('refuses with NO_TEMPLATE outside the window when the restaurant has no waitlist-offer template', () => {
    const late = at(24 * 60 * 60_000);
    expect(decide(offer(), given(...greetedConversation()), byStaff('o3', late))).toMatchObject({
      outcome: 'rejected',
      rejection: { code: 'NO_TEMPLATE' },
    });
  });

  it('refuses an offer to a guest who never wrote to the restaurant', () => {
    expect(decide(offer(), newConversation(ID, NOW), byStaff('o4'))).toMatchObject({
      outcome: 'rejected',
      rejection: { code: 'NOT_FOUND' },
    });
  });
});
