import { classifyIntent } from './intent-classifier.js';
import { findMenuTerms } from './menu-terms.js';
import { normalize } from './normalize.js';
import type { Intent } from './types.js';

/** Clauses, each with whether the guest ended it with a question mark (Latin or Arabic). */
const CLAUSE = /[^.!?؟\n]+[.!?؟\n]*/g;
/**
 * "before I book, …", "… وبعدين بحجز" (and then I'll book): what is asked comes first; the booking
 * after the answer.
 */
const BEFORE_BOOKING =
  /\b(?:before (?:i|we) (?:book|reserve|make a (?:reservation|booking))|antes de reservar|avant de réserver|avant de reserver)\b|قبل (?:ما )?(?:ا|ن)?حجز|قبل الحجز|بعدين (?:ب|ا|ن)?حجز/u;

/**
 * A question asked without a question mark: "ما بعرف اذا عندكم اكل نباتي" (I don't know whether),
 * "ما بعرف لاي ساعة بتضلو فاتحين" (until what hour), "بدي اعرف اذا", "wondering if"; what follows
 * it is what is asked.
 */
const WONDER =
  /\b(?:wondering if|not sure if|je ne sais pas si|je sais pas si|no sé si|no se si)\b|(?:ما|مش|مو|مب) ?(?:ب|ن|ا)?(?:عرف|اعرف|عارف|عارفه|داري) (?:اذا|لو|هل|ان كان|متي|امتي|لاي|لايش|شو|وش|ايش|كم)|(?:بدي|ابي|ابغي|ودي|حاب|عايز|نبي|بدنا) (?:ا|ن)?عرف (?:اذا|لو|هل)/u;

const AFTER_BOOKING_ASKS =
  /[,،]|\s(?=و(?:عندكم|فيه|هل|متى|امتى|شو|وش|ايش|كم)(?![\p{L}]))|\s(?:بس|لكن)\s+(?=(?:وش|شو|ايش|متى|امتى|كم|هل)(?![\p{L}]))/u;

/**
 * Two intents in one message (issue 17): a question about the menu or the hours that mentions
 * booking ("what's on the menu? thinking of booking", "قبل ما نحجز، متى تفتحون؟") wants the
 * answer first — the dialogue offers the booking after it. The cue tables' fixed order made it a
 * booking; this reads the question the guest actually asked. Called only when the tables found a
 * booking cue; undefined when no clause asks about the menu or the hours.
 */
export function askedBeforeBooking(
  original: string,
  whole: Intent | undefined,
): 'MENU' | 'HOURS' | undefined {
  if (whole !== 'BOOK') return undefined;
  const before = BEFORE_BOOKING.test(normalize(original));
  for (const clause of original.match(CLAUSE) ?? []) {
    const wondered = WONDER.exec(normalize(clause));
    const asked = /[?؟]\s*$/.test(clause) || wondered !== null;
    if (!asked && !before) continue;
    // "j'ai une question sur ma réservation de samedi, vous servez encore après 22h ?": the question
    // may be only the part after a comma, after "و" opening a question ("…الساعة ٨ وعندكم منيو
    // اطفال؟") or "بس" before one ("حابين نحجز الخميس بس وش اخر وقت تستقبلون؟"), or after "I
    // don't know whether".
    const parts = [clause, ...clause.split(AFTER_BOOKING_ASKS).slice(1)].map(normalize);
    if (wondered) parts.push(normalize(clause).slice(wondered.index));
    for (const part of parts) {
      const topic = topicOf(part);
      if (topic) return topic;
    }
  }
  return undefined;
}

function topicOf(normalized: string): 'MENU' | 'HOURS' | undefined {
  const { intent } = classifyIntent(normalized.replace(BEFORE_BOOKING, ' '));
  if (intent === 'MENU' || intent === 'HOURS') return intent;
  // "عندكم مشاوي مشكلة؟ نبي نطلب للطاولة": a dish or menu section asked after, with no other cue.
  const { menuCategory, menuItem } = findMenuTerms(normalized);
  return intent === undefined && (menuCategory || menuItem) ? 'MENU' : undefined;
}
