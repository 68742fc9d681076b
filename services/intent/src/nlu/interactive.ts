import { interpretFlowReply } from './flow-reply.js';
import type { Entities, Intent, InteractiveReply, Interpretation, Language } from './types.js';

/**
 * Ids of interactive buttons and list rows, as the conversation service writes them:
 *   book | modify | cancel | menu | hours | human | greeting | thanks   → that intent
 *   intent:<one of the above>                                        → that intent
 *   date:YYYY-MM-DD, time:HH:MM, slot:YYYY-MM-DDTHH:MM, party:N,
 *   menu:<category>, item:<menu item>                                → a slot answer (OTHER)
 * Anything else is read from the row's title as if typed.
 */
const INTENT_IDS: Record<string, Exclude<Intent, 'OTHER'>> = {
  book: 'BOOK',
  modify: 'MODIFY',
  change: 'MODIFY',
  cancel: 'CANCEL',
  menu: 'MENU',
  hours: 'HOURS',
  human: 'HUMAN',
  agent: 'HUMAN',
  greeting: 'GREETING',
  thanks: 'THANKS',
};

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

export function interpretInteractive(
  reply: InteractiveReply,
  language: Language,
): Interpretation | undefined {
  if (reply.kind === 'nfm_reply') return interpretFlowReply(reply, language);
  const id = reply.id.trim();
  const [head = '', ...tail] = id.split(':');
  const value = tail.join(':');
  const lower = head.toLowerCase();
  const intentOnly =
    value === '' ? INTENT_IDS[lower] : lower === 'intent' ? INTENT_IDS[value.toLowerCase()] : undefined;
  if (intentOnly) return { intent: intentOnly, entities: {}, language, confidence: 1, answer: false };
  const entities = slotEntities(lower, value);
  if (!entities) return undefined;
  return { intent: 'OTHER', entities, language, confidence: 1, answer: true };
}

function slotEntities(kind: string, value: string): Entities | undefined {
  switch (kind) {
    case 'date':
      return DATE.test(value) ? { date: value } : undefined;
    case 'time':
      return TIME.test(value) ? { time: value } : undefined;
    case 'slot': {
      const [date = '', time = ''] = value.split('T');
      return DATE.test(date) && TIME.test(time) ? { date, time } : undefined;
    }
    case 'party': {
      const size = Number(value);
      return Number.isInteger(size) && size >= 1 && size <= 200 ? { partySize: size } : undefined;
    }
    case 'menu':
      return value ? { menuCategory: value } : undefined;
    case 'item':
      return value ? { menuItem: value } : undefined;
    default:
      return undefined;
  }
}
