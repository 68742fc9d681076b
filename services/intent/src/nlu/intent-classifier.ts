import { FUZZY_KEYWORDS, INTENT_CUES } from './lexicon.js';
import type { Intent } from './types.js';

export interface Classified {
  intent?: Exclude<Intent, 'OTHER'>;
  confidence: number;
}

/**
 * The first intent in precedence order whose cue appears. Confidence is lower when the message
 * carries cues of several intents (other than a greeting or thanks around the request), and lower
 * still when only a misspelt keyword matched.
 */
export function classifyIntent(normalized: string): Classified {
  const matched: Exclude<Intent, 'OTHER'>[] = [];
  for (const { intent, cues } of INTENT_CUES) {
    if (cues.some((cue) => cue.test(normalized))) matched.push(intent);
  }
  // A misspelt keyword of a stronger intent ("chnage my reservation") outranks a weaker exact one.
  const fuzzy = fuzzyIntent(normalized);
  if (
    fuzzy &&
    !matched.includes(fuzzy) &&
    (matched.length === 0 || rank(fuzzy) < rank(matched[0] ?? 'GREETING'))
  ) {
    return { intent: fuzzy, confidence: 0.7 };
  }
  const [first] = matched;
  if (first) {
    // "cancel my reservation" names the booking it cancels: not a rival reading.
    const companions = new Set<Intent>([
      first,
      'GREETING',
      'THANKS',
      ...(first === 'CANCEL' || first === 'MODIFY' ? (['BOOK'] as const) : []),
    ]);
    const rivals = matched.filter((intent) => !companions.has(intent)).length;
    return { intent: first, confidence: rivals === 0 ? 0.95 : 0.8 };
  }
  return { confidence: 0 };
}

const rank = (intent: Intent) => INTENT_CUES.findIndex((cue) => cue.intent === intent);

/**
 * Real words one edit from a keyword, never its typo: "on vient manger" is no manager, "any chance
 * of a table" no change, "what are you cooking" no booking, "l'argent" no agent.
 */
const NOT_TYPOS = new Set([
  'manger',
  'mangé',
  'argent',
  'chance',
  'chances',
  'looking',
  'cooking',
  'hooking',
  'stable',
  'cable',
  'fable',
  'sable',
  'tablet',
  'tabla',
  'yours',
  'cancer',
  'danger',
  'ranger',
  'charger',
  'charge',
]);

function fuzzyIntent(normalized: string): Exclude<Intent, 'OTHER'> | undefined {
  const words = normalized.split(/[^a-zà-ÿñ]+/).filter((word) => word.length >= 5 && !NOT_TYPOS.has(word));
  for (const word of words) {
    for (const [keyword, intent] of FUZZY_KEYWORDS) {
      if (Math.abs(word.length - keyword.length) > 1) continue;
      if (withinOneEdit(word, keyword)) return intent;
    }
  }
  return undefined;
}

/** Levenshtein distance ≤ 1, including one swap of neighbours ("resevration"). */
export function withinOneEdit(a: string, b: string): boolean {
  if (a === b) return true;
  if (a.length === b.length) {
    const diffs: number[] = [];
    for (let i = 0; i < a.length; i += 1) if (a[i] !== b[i]) diffs.push(i);
    if (diffs.length === 1) return true;
    const [i, j] = diffs;
    return diffs.length === 2 && i !== undefined && j === i + 1 && a[i] === b[j] && a[j] === b[i];
  }
  const [short, long] = a.length < b.length ? [a, b] : [b, a];
  let i = 0;
  while (i < short.length && short[i] === long[i]) i += 1;
  return short.slice(i) === long.slice(i + 1);
}
