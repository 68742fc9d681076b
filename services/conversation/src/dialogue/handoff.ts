import type { Draft } from './draft.js';
import type { ConversationState, DialogueSettings, Handoff, StaffInput, Step } from './types.js';

/** Whether staff have the conversation at `now` (HUMAN mode): the assistant stays quiet meanwhile. */
export function handedOff(state: ConversationState, now: string): boolean {
  return state.handoff !== undefined && Date.parse(now) < Date.parse(state.handoff.until);
}

/** Staff take the conversation over (for `handoffTimeoutMs` at most) or give it back. */
export function onStaff(state: ConversationState, input: StaffInput, settings: DialogueSettings): Step {
  if (input.action === 'handoff') {
    const until = new Date(Date.parse(input.now) + settings.handoffTimeoutMs).toISOString();
    // Taking it over answers a guest who waited for a person: nobody waits any more.
    return {
      state: {
        ...state,
        handoff: { by: 'staff', since: input.now, until, staff: input.staff },
        phase: { kind: 'idle' },
      },
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

/**
 * A staff member wrote to the guest while the conversation is handed off: the guest no longer
 * waits, and a conversation nobody had taken (the guest asked for a person) is now the writer's.
 */
export function answeredByStaff(state: ConversationState, staff: string): ConversationState {
  // Staff answered the guest: a low rating's flag has been seen to.
  const { lowRating: _seen, ...rest } = state;
  if (!rest.handoff) return rest;
  const { waitingSince: _answered, ...handoff } = rest.handoff;
  return { ...rest, handoff: { ...handoff, staff: handoff.staff ?? staff } };
}

/**
 * A guest's message while the conversation was handed off (`handoff` as it was before the turn):
 * ignored while it lasts; once it has run out, it ends here and the turn is answered. Returns the
 * step only when the turn is ignored.
 */
export function whileHandedOff(d: Draft, handoff: Handoff | undefined): Step | undefined {
  if (!handoff) return undefined;
  if (Date.parse(d.now) < Date.parse(handoff.until))
    return d.note({ kind: 'turn.ignored', reason: 'handoff' }).done();
  const { handoff: _expired, ...rest } = d.state;
  d.state = rest;
  d.note({ kind: 'handoff.released', by: 'timeout' });
  return undefined;
}

/** The guest asked for a person: the assistant says someone will answer and stays quiet until then. */
export function askedForPerson(d: Draft, settings: DialogueSettings): Step {
  const until = new Date(Date.parse(d.now) + settings.handoffTimeoutMs).toISOString();
  d.state = { ...d.state, handoff: { by: 'guest', since: d.now, until, waitingSince: d.now } };
  return d
    .phase({ kind: 'idle' })
    .note({ kind: 'handoff.started', by: 'guest', until })
    .say(d.cat.handoff)
    .done();
}
