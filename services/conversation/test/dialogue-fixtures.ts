import { outboundMessageSchema } from '@reserveit/contracts';
import {
  type BusinessProfile,
  type Call,
  type CallResult,
  type ConversationState,
  DEFAULT_SETTINGS,
  type Effect,
  type Entities,
  type GuestTurn,
  type Input,
  type Intent,
  idleFor,
  initialState,
  type Language,
  next,
  type Reply,
  type ReservationSummary,
} from '../src/dialogue/index.js';
import { toOutboundMessage } from '../src/outbound-commands.js';

/** Monday 23 November 2026, 14:00 in Dubai. */
export const NOW = '2026-11-23T10:00:00.000Z';
export const TODAY = '2026-11-23';
export const TOMORROW = '2026-11-24';

export const BUSINESS: BusinessProfile = {
  id: 'bistro',
  name: 'Bistro Dubai',
  timezone: 'Asia/Dubai',
  greetings: { en: 'Welcome to Bistro Dubai, the best grill in town!' },
  maxPartySize: 8,
  hours: {
    weekly: {
      1: [
        { start: '12:00', end: '15:00' },
        { start: '18:00', end: '23:30' },
      ],
      2: [
        { start: '12:00', end: '15:00' },
        { start: '18:00', end: '23:30' },
      ],
      3: [
        { start: '12:00', end: '15:00' },
        { start: '18:00', end: '23:30' },
      ],
      4: [
        { start: '12:00', end: '15:00' },
        { start: '18:00', end: '23:30' },
      ],
      5: [{ start: '18:00', end: '01:00' }],
      6: [{ start: '18:00', end: '01:00' }],
    },
    closedDates: [],
  },
};

let counter = 0;

export function at(offsetMs: number): string {
  return new Date(Date.parse(NOW) + offsetMs).toISOString();
}

/** A guest's turn; `understood` is what intent.v1 would have said. */
export function turn(
  text: string,
  understood?: { intent: Intent; entities?: Entities; language?: Language } | null,
  extra: Partial<GuestTurn> = {},
): GuestTurn {
  counter += 1;
  return {
    kind: 'turn',
    messageId: `wamid.test${counter}`,
    conversationId: 'c_test',
    now: NOW,
    business: BUSINESS,
    text,
    ...(understood === null
      ? {}
      : {
          understanding: {
            intent: understood?.intent ?? 'OTHER',
            entities: understood?.entities ?? {},
            ...(understood?.language ? { language: understood.language } : { language: 'en' as const }),
            source: 'rules' as const,
          },
        }),
    ...extra,
  };
}

export function tap(id: string, title: string, extra: Partial<GuestTurn> = {}): GuestTurn {
  return turn(title, { intent: 'OTHER' }, { interactive: { kind: 'button_reply', id, title }, ...extra });
}

export const greeted = (language: Language = 'en'): ConversationState => ({
  ...initialState(NOW, language),
  greeted: true,
});

export function reservation(overrides: Partial<ReservationSummary> = {}): ReservationSummary {
  return {
    id: 'r_abcdefghijklmnop',
    date: TOMORROW,
    time: '20:00',
    partySize: 4,
    name: 'Sarah',
    startsAt: '2026-11-24T16:00:00.000Z',
    ...overrides,
  };
}

type Answer = CallResult | ((call: Call) => CallResult);

/**
 * Runs a turn like the pipeline does: the idle timeout first when it is due, then the turn, then
 * each call's result as the dialogue asks for them, answered in order from `answers`. Checks that
 * every reply is a valid OUTBOUND message (WhatsApp's limits).
 */
export async function when(state: ConversationState, input: GuestTurn, answers: Answer[] = []) {
  const queue = [...answers];
  const effects: Exclude<Effect, { kind: 'call' }>[] = [];
  const calls: Call[] = [];
  const inputs: Input[] = [
    ...(idleFor(state, input.now, DEFAULT_SETTINGS) === undefined
      ? []
      : [{ kind: 'idle' as const, now: input.now }]),
    input,
  ];
  let current = state;
  for (let queued = inputs.shift(); queued; queued = inputs.shift()) {
    const step = next(current, queued);
    current = step.state;
    for (const effect of step.effects) {
      if (effect.kind !== 'call') {
        effects.push(effect);
        continue;
      }
      calls.push(effect.call);
      const answer = queue.shift();
      if (!answer) throw new Error(`unexpected call ${JSON.stringify(effect.call)}`);
      const result = typeof answer === 'function' ? answer(effect.call) : answer;
      inputs.push({ kind: 'result', now: input.now, business: input.business, call: result });
    }
  }
  const replies = effects.flatMap((effect) => (effect.kind === 'reply' ? [effect.reply] : []));
  for (const reply of replies) outboundMessageSchema.parse(toOutboundMessage(reply));
  const notes = effects.flatMap((effect) => (effect.kind === 'note' ? [effect.note] : []));
  return { state: current, effects, calls, replies, notes, unanswered: queue.length };
}

export function bodies(replies: Reply[]): string[] {
  return replies.map((reply) => reply.body);
}

export function buttonsOf(reply: Reply | undefined): { id: string; title: string }[] {
  if (reply?.kind !== 'buttons') throw new Error(`expected buttons, got ${reply?.kind}`);
  return reply.buttons;
}

export function rowsOf(reply: Reply | undefined): { id: string; title: string; description?: string }[] {
  if (reply?.kind !== 'list') throw new Error(`expected a list, got ${reply?.kind}`);
  return reply.rows;
}

/** The guest's bookings, as ListReservations answered. */
export const listed = (...reservations: ReservationSummary[]): CallResult => ({
  kind: 'listed',
  result: { ok: true, reservations },
});

export const available: CallResult = {
  kind: 'availability',
  result: { ok: true, preferredAvailable: true, alternatives: [] },
};

export const created = (r: ReservationSummary = reservation()): CallResult => ({
  kind: 'created',
  result: { ok: true, reservation: r },
});

export type { Effect };
