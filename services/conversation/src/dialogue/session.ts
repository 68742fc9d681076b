import type { Draft } from './draft.js';
import type { ConversationState, DialogueSettings, IdleInput, Language, Step } from './types.js';

export const DEFAULT_SETTINGS: DialogueSettings = {
  sessionIdleMs: 30 * 60_000,
  handoffTimeoutMs: 4 * 60 * 60_000,
  maxMessagesPerMinute: 20,
};

const RATE_WINDOW_MS = 60_000;

export function initialState(now: string, language: Language = 'en'): ConversationState {
  return {
    v: 1,
    greeted: false,
    language,
    rate: { windowStart: now, count: 0, noticed: false },
    phase: { kind: 'idle' },
  };
}

/** The anti-spam window with one more guest message counted: a fixed minute, restarted when over. */
export function counted(rate: ConversationState['rate'], now: string): ConversationState['rate'] {
  return Date.parse(now) - Date.parse(rate.windowStart) >= RATE_WINDOW_MS
    ? { windowStart: now, count: 1, noticed: false }
    : { ...rate, count: rate.count + 1 };
}

/**
 * Past the limit, the guest hears one polite notice and then nothing until the minute is over
 * (every message is still recorded). Undefined while under the limit.
 */
export function overLimit(d: Draft, settings: DialogueSettings): Step | undefined {
  const { rate } = d.state;
  if (rate.count <= settings.maxMessagesPerMinute) return undefined;
  if (rate.noticed) return d.note({ kind: 'turn.ignored', reason: 'rate_limited' }).done();
  d.state = { ...d.state, rate: { ...rate, noticed: true } };
  return d.note({ kind: 'rate.limited', count: rate.count }).say(d.cat.rateLimited).done();
}

/**
 * How long a half-finished dialogue has been idle, when that is long enough for it to start over;
 * undefined when nothing is in progress or the guest answered in time.
 */
export function idleFor(
  state: ConversationState,
  now: string,
  settings: DialogueSettings,
): number | undefined {
  if (!state.lastTurnAt || state.phase.kind === 'idle') return undefined;
  const idleMs = Date.parse(now) - Date.parse(state.lastTurnAt);
  return idleMs >= settings.sessionIdleMs ? idleMs : undefined;
}

/** The session timed out: whatever was in progress is dropped; the greeting is not repeated. */
export function onIdle(state: ConversationState, input: IdleInput, settings: DialogueSettings): Step {
  const idleMs = idleFor(state, input.now, settings);
  if (idleMs === undefined) return { state, effects: [] };
  return {
    state: { ...state, phase: { kind: 'idle' } },
    effects: [{ kind: 'note', note: { kind: 'session.reset', idleMs } }],
  };
}
