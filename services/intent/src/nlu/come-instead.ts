import type { LocalParts } from '@reserveit/time';
import { arabicWhen, type FoundWhen } from './arabic-when.js';
import { anyOf, CLAUSE, normalize } from './normalize.js';

/**
 * "نقدر نجي ٩؟", "ممكن نيجي الجمعة؟", "ينفع نوصل الساعة عشرة؟", "ينفع ٨؟": a time or day the guest
 * can come, or will arrive ("منوصل الساعة ١٠"); not "ممكن تلغوا طاولتنا الساعة ٨؟", a cancellation asked.
 */
const CAN_COME = new RegExp(
  `(?<![\\p{L}])(?:${anyOf(['منوصل', 'بنوصل', 'حنوصل', 'هنوصل', 'رح نوصل', 'راح نوصل'])}(?![\\p{L}])|${anyOf(['نقدر', 'ممكن', 'ينفع', 'يصير', 'بنقدر', 'اقدر', 'يمدي'])})(?:\\s+(?:${anyOf(['نجي', 'نيجي', 'نوصل', 'نحضر', 'اجي', 'اجيكم', 'نجيكم'])})(?![\\p{L}])|\\s+(?=(?:${normalize('الساعة')}\\s+)?\\d))`,
  'u',
);
/** "وما رح نقدر نجي" (and we won't be able to come): "و"/"ف" (and, so) joined to the negation. */
const NEGATION = new RegExp(
  `(?<![\\p{L}])(?:${anyOf(['و', 'ف'])})?(?:${anyOf(['ما', 'مش', 'مو', 'مب', 'لا', 'مانقدر', 'ماعاد', 'ماراح', 'مارح', 'محنا', 'حنقدر', 'هنقدر'])})(?![\\p{L}])`,
  'u',
);
const BARE_HOUR = new RegExp(
  `(?<!${normalize('الساعة')}\\s+)(?<![\\p{L}\\d:])(\\d{1,2}(?::\\d{2})?)(?![\\d:])`,
  'u',
);

/**
 * "ما نقدر نجي الساعة ٨، نقدر نجي ٩؟" (we can't come at 8, can we come at 9?): the day or hour a
 * guest who cannot keep theirs offers instead, read from the clause that offers it; undefined when
 * no clause without a negation offers one. As "we can't come at 7, is 8 ok?" in rules.ts, a change.
 */
export function arabicComeInstead(normalized: string, today: LocalParts): FoundWhen | undefined {
  for (const clause of normalized.match(CLAUSE) ?? []) {
    if (!CAN_COME.test(clause) || NEGATION.test(clause)) continue;
    // A bare number offered to come at is an hour ("نقدر نجي ٩؟"), as after "الساعة".
    const when = arabicWhen(clause.replace(BARE_HOUR, `${normalize('الساعة')} $1`), today);
    if (when.date !== undefined || when.time !== undefined) return when;
  }
  return undefined;
}
