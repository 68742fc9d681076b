import type {
  Call,
  CallResult,
  ConversationState,
  DialogueSettings,
  Effect,
  GuestTurn,
  Input,
  Step,
} from './dialogue/index.js';
import { next } from './dialogue/index.js';

/** Runs one call the dialogue asked for and says what came of it (a refusal is a result, not a throw). */
export type CallExecutor = (call: Call) => Promise<CallResult>;

/** More calls than any flow needs (list → modify is two): a loop past it is a bug, not a guest. */
const MAX_CALLS_PER_TURN = 4;

/**
 * Feeds the dialogue a guest's turn, runs each call it asks for and feeds the result back, until
 * it asks for nothing more. Returns the final state and every reply and note, in order.
 */
export async function runTurn(
  state: ConversationState,
  turn: GuestTurn,
  execute: CallExecutor,
  settings?: DialogueSettings,
): Promise<{ state: ConversationState; effects: Exclude<Effect, { kind: 'call' }>[]; calls: Call[] }> {
  const effects: Exclude<Effect, { kind: 'call' }>[] = [];
  const calls: Call[] = [];
  let input: Input = turn;
  let current = state;
  for (;;) {
    const step: Step = next(current, input, settings);
    current = step.state;
    let pending: Call | undefined;
    for (const effect of step.effects) {
      if (effect.kind === 'call') pending = effect.call;
      else effects.push(effect);
    }
    if (!pending) return { state: current, effects, calls };
    if (calls.length === MAX_CALLS_PER_TURN)
      throw new Error(`the dialogue asked for more than ${MAX_CALLS_PER_TURN} calls in one turn`);
    calls.push(pending);
    input = { kind: 'result', turn, call: await execute(pending) };
  }
}
