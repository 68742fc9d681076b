import { unaryCall } from '@reserveit/rpc';
import { type InterpretResponse, Source, Intent as WireIntent } from '@reserveit/rpc/intent/v1/intent';
import type { Interpreted } from './decider/index.js';
import type { Entities, Expecting, Intent, InteractiveReply, Understanding } from './dialogue/index.js';
import { fallbackUnderstanding, LANGUAGES } from './dialogue/index.js';
import { failureCode, type Upstreams } from './upstreams.js';

const INTENTS: Record<number, Intent> = {
  [WireIntent.INTENT_BOOK]: 'BOOK',
  [WireIntent.INTENT_MODIFY]: 'MODIFY',
  [WireIntent.INTENT_CANCEL]: 'CANCEL',
  [WireIntent.INTENT_MENU]: 'MENU',
  [WireIntent.INTENT_HOURS]: 'HOURS',
  [WireIntent.INTENT_GREETING]: 'GREETING',
  [WireIntent.INTENT_HUMAN]: 'HUMAN',
  [WireIntent.INTENT_THANKS]: 'THANKS',
  [WireIntent.INTENT_OTHER]: 'OTHER',
};

export interface InterpretInput {
  text: string;
  interactive?: InteractiveReply;
  conversationId: string;
  timeZone: string;
  now: string;
  expecting?: Expecting;
  localeHint: string;
}

/** intent.v1.Interpret with a deadline; when it fails, the dialogue's own small understanding. */
export async function interpret(
  upstreams: Upstreams,
  input: InterpretInput,
  deadlineMs: number,
): Promise<Interpreted> {
  try {
    const { intent } = upstreams;
    const response = await unaryCall(
      intent,
      intent.interpret,
      {
        text: input.text,
        localeHint: input.localeHint,
        conversationId: input.conversationId,
        businessTimezone: input.timeZone,
        now: input.now,
        interactive: input.interactive,
        expecting: input.expecting ?? '',
      },
      deadlineMs,
    );
    return {
      understanding: fromWire(response),
      confidence: response.confidence,
      latencyMs: response.latencyMs,
    };
  } catch (error) {
    return {
      understanding: fallbackUnderstanding({
        text: input.interactive?.title ?? input.text,
        now: input.now,
        timeZone: input.timeZone,
        ...(input.expecting ? { expecting: input.expecting } : {}),
      }),
      fallbackReason: failureCode(error),
    };
  }
}

export function fromWire(response: InterpretResponse): Understanding {
  const e = response.entities;
  const entities: Entities = {
    ...(e?.date ? { date: e.date } : {}),
    ...(e?.time ? { time: e.time } : {}),
    ...(e?.partySize ? { partySize: e.partySize } : {}),
    ...(e?.guestName ? { guestName: e.guestName } : {}),
    ...(e?.menuCategory ? { menuCategory: e.menuCategory } : {}),
    ...(e?.menuItem ? { menuItem: e.menuItem } : {}),
  };
  // The reply follows the guest in every language with a catalogue; "und" ("4", "👍") keeps the last.
  const language = LANGUAGES.find((known) => known === response.language);
  return {
    intent: INTENTS[response.intent] ?? 'OTHER',
    entities,
    ...(language ? { language } : {}),
    source: response.source === Source.SOURCE_LLM ? 'llm' : 'rules',
  };
}
