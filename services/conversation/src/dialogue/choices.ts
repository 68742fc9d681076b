import type { Intent, InteractiveReply } from './types.js';

/**
 * Ids of the buttons and list rows this dialogue sends. intent.v1 reads the generic ones too
 * (`slot:`, `menu:`, `item:`, `intent:`), but the dialogue never depends on it: a tap on its own
 * button means the same whether or not the intent service is up.
 */
export type Choice =
  | { kind: 'confirm'; answer: 'yes' | 'change' | 'cancel' }
  | { kind: 'cancelAnswer'; yes: boolean }
  | { kind: 'changeAnswer'; yes: boolean }
  | { kind: 'reservation'; id: string }
  | { kind: 'slot'; date: string; time: string }
  | { kind: 'name'; name: string }
  | { kind: 'menuCategory'; name: string }
  | { kind: 'menuItem'; id: string }
  | { kind: 'intent'; intent: Intent }
  /** Wait for the full seating just refused (dialogue/waitlist.ts). */
  | { kind: 'waitlistJoin' }
  /** Take the table a waitlist offer holds: the entry of that service date. */
  | { kind: 'offerAccept'; date: string; entryId: string }
  | { kind: 'reminder'; answer: 'confirm' | 'cancel' | 'late'; reservationId: string }
  /** A feedback request's rows (and its template's quick replies): the rating and the booking rated. */
  | { kind: 'feedback'; rating: number; reservationId: string };

export const choiceId = {
  confirm: (answer: 'yes' | 'change' | 'cancel') => `confirm:${answer}`,
  cancelAnswer: (yes: boolean) => `cancel:${yes ? 'yes' : 'no'}`,
  changeAnswer: (yes: boolean) => `change:${yes ? 'yes' : 'no'}`,
  reservation: (id: string) => `rsv:${id}`,
  slot: (date: string, time: string) => `slot:${date}T${time}`,
  name: (name: string) => `name:${name}`,
  menuCategory: (name: string) => `menu:${name}`,
  menuItem: (id: string) => `item:${id}`,
  intent: (intent: 'book' | 'menu' | 'hours' | 'human') => `intent:${intent}`,
  waitlistJoin: () => 'waitlist:join',
  offerAccept: (date: string, entryId: string) => `offer:${date}/${entryId}`,
  /** A reminder's buttons (and its template's quick replies), naming the booking reminded of. */
  reminder: (answer: 'confirm' | 'cancel' | 'late', reservationId: string) =>
    `reminder:${answer}:${reservationId}`,
  feedback: (rating: number, reservationId: string) => `feedback:${rating}:${reservationId}`,
};

const FEEDBACK = /^([1-5]):(.+)$/;

const OFFER = /^(\d{4}-\d{2}-\d{2})\/([A-Za-z0-9_-]{1,64})$/;

const SLOT = /^(\d{4}-\d{2}-\d{2})T((?:[01]\d|2[0-3]):[0-5]\d)$/;
const INTENTS: Record<string, Intent> = { book: 'BOOK', menu: 'MENU', hours: 'HOURS', human: 'HUMAN' };

export function parseChoice(reply: InteractiveReply | undefined): Choice | undefined {
  if (!reply) return undefined;
  const at = reply.id.indexOf(':');
  if (at < 0) return undefined;
  const head = reply.id.slice(0, at);
  const value = reply.id.slice(at + 1);
  if (!value) return undefined;
  switch (head) {
    case 'confirm':
      return value === 'yes' || value === 'change' || value === 'cancel'
        ? { kind: 'confirm', answer: value }
        : undefined;
    case 'cancel':
      return value === 'yes' || value === 'no' ? { kind: 'cancelAnswer', yes: value === 'yes' } : undefined;
    case 'change':
      return value === 'yes' || value === 'no' ? { kind: 'changeAnswer', yes: value === 'yes' } : undefined;
    case 'rsv':
      return { kind: 'reservation', id: value };
    case 'slot': {
      const match = SLOT.exec(value);
      return match?.[1] && match[2] ? { kind: 'slot', date: match[1], time: match[2] } : undefined;
    }
    case 'name':
      return { kind: 'name', name: value };
    case 'menu':
      return { kind: 'menuCategory', name: value };
    case 'item':
      return { kind: 'menuItem', id: value };
    case 'waitlist':
      return value === 'join' ? { kind: 'waitlistJoin' } : undefined;
    case 'offer': {
      const match = OFFER.exec(value);
      return match?.[1] && match[2] ? { kind: 'offerAccept', date: match[1], entryId: match[2] } : undefined;
    }
    case 'reminder': {
      const split = value.indexOf(':');
      const answer = value.slice(0, split);
      const reservationId = value.slice(split + 1);
      return split > 0 && reservationId && (answer === 'confirm' || answer === 'cancel' || answer === 'late')
        ? { kind: 'reminder', answer, reservationId }
        : undefined;
    }
    case 'feedback': {
      const match = FEEDBACK.exec(value);
      return match?.[1] && match[2]
        ? { kind: 'feedback', rating: Number(match[1]), reservationId: match[2] }
        : undefined;
    }
    case 'intent': {
      const intent = INTENTS[value];
      return intent ? { kind: 'intent', intent } : undefined;
    }
    default:
      return undefined;
  }
}

// English, Arabic, Spanish ("sí", "vale", "de acuerdo") and French ("oui", "d'accord", "non merci").
const YES =
  /^(yes|yep|yeah|yup|ok|okay|sure|confirm|please do|go ahead|نعم|ايوه|أيوه|ايوا|أكيد|اكيد|تمام|موافق|أكد|اكد|s[ií]|vale|claro|de acuerdo|confirmo|perfecto|oui|ouais|d'accord|bien s[uû]r|je confirme|parfait)[\s!.]*$/iu;
const NO =
  /^(no|nope|nah|don't|do not|keep it|لا|لأ|كلا|خلاص لا|no,? gracias|mejor no|non|non merci|pas la peine)[\s!.]*$/iu;

/** A typed yes or no, for guests who answer a question with buttons by typing. */
export function typedAnswer(text: string): 'yes' | 'no' | undefined {
  const trimmed = text.trim();
  if (YES.test(trimmed)) return 'yes';
  if (NO.test(trimmed)) return 'no';
  return undefined;
}
