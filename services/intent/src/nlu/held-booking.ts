import type { LocalParts } from '@reserveit/time';
import { arabicWhen } from './arabic-when.js';
import { classifyIntent } from './intent-classifier.js';
import { findMenuTerms } from './menu-terms.js';
import { anyOf, CLAUSE } from './normalize.js';
import { findPartySize } from './party-size.js';
import type { Intent } from './types.js';

const words = (list: string[]) => new RegExp(`(?<![\\p{L}])(?:${anyOf(list)})(?![\\p{L}])`, 'u');

/**
 * A booking the guest already has, named as the context of what they ask ("عندي حجز الخميس",
 * "حاجزين عندكم بكرة", "حجزنا اليوم", "عندي reservation الساعة ٨"): no request to book. The corpus
 * labels none of these BOOK (corpus/ar.jsonl).
 */
const HELD = words([
  'عندي حجز',
  'عندنا حجز',
  'عدنا حجز',
  'عندي reservation',
  'عندنا reservation',
  'عندي booking',
  'عندنا booking',
  'حاجز',
  'حاجزه',
  'حاجزين',
  'حجزت',
  'حجزته',
  'حجزتها',
  'حجزنا',
  'حجزناه',
  'حجزناها',
  'حجزي',
  'محجوز',
  'محجوزه',
  // The booking named by its guest ("الحجز اللي باسم سلمى"); not "الحجز باسم عبدالله لخمسة", a
  // request for one.
  'الحجز اللي باسم',
  'الحجز مسجل',
]);
/** The booking's own words, removed before the rest is read for what it asks. */
const BOOKING_WORDS = words([
  'عندي حجز',
  'عندنا حجز',
  'عدنا حجز',
  'حجز',
  'الحجز',
  'حاجز',
  'حاجزه',
  'حاجزين',
  'حجزت',
  'حجزنا',
  'حجزي',
  'محجوز',
  'محجوزه',
  'عندكم',
  'reservation',
  'booking',
]);
/**
 * What a guest with a booking asks to have changed though no verb of change is in the cue tables:
 * where they sit ("بعيدة عن المكيف", "جنب الشباك": "ممكن تنقلوا طاولتنا جنب الشباك؟" is MODIFY in
 * the corpus), when they come ("ممكن نيجي الساعة عشرة؟", "can we make it 8:30?").
 */
const CHANGE_ASKED = words([
  'جنب',
  'قرب',
  'قريبه من',
  'بعيد عن',
  'بعيده عن',
  'الشباك',
  'النافذه',
  'جوا',
  'برا',
  'اكثر',
  'اقل',
  'صرنا',
  'بنصير',
  'نزيد',
  'ننقص',
  'ضيف',
  'نضيف',
  'اضيف',
  'التراس',
  'تراس',
  'بمكان هادي',
  'نيجي',
  'نجي',
  'نوصل',
  'نخليه',
  'نخليها',
  'متاخرين',
  'بدري',
  'بدل',
  'بدال',
  'make it',
  'push',
  'move',
  'instead',
  'later',
  'earlier',
]);
/**
 * Something done for the booked table ("تجهزون كيكة", "تكتبون عيد ميلاد سعيد على الحلى", "تجيبوا
 * لنا ورد"): a request of the staff, not a question about the menu, though it names a dessert.
 */
const SERVICE_ASKED = words([
  'تجهزون',
  'تجهزوا',
  'تجهزولنا',
  'تحضرون',
  'تحضروا',
  'تكتبون',
  'تكتبوا',
  'تحطون',
  'تحطوا',
  'تحطولنا',
  'تجيبون',
  'تجيبوا',
  'تجيبولنا',
  'تعملون',
  'تعملوا',
  'تعملولنا',
  'تزينون',
  'تزينوا',
  'تسوون',
  'تسوولنا',
  'ترتبون',
  'ترتبوا',
  'زينه',
  'شموع',
  'شمع',
  'بالونات',
  'ورد',
]);
/** Another booking beside the one held ("وبدي احجز كمان واحد للجمعة"): a booking after all. */
const ANOTHER_BOOKING = new RegExp(
  `${words(['احجز', 'نحجز', 'حجز']).source}.*${words(['كمان', 'ثاني', 'ثانيه', 'جديد', 'another', 'new']).source}`,
  'u',
);
/**
 * A message that names the guest's own booking and asks something of it (issue 17): a day, hour
 * or count in a clause apart from the one naming the booking, or a seat or arrival asked for, is a
 * change; otherwise the question the rest asks (the menu, the hours, a person, a cancellation), or
 * none: decorations, a cake, parking, Wi-Fi or a prayer room for a booked table are OTHER, as the
 * corpus labels them ("مساء الخير، عندي حجز الليلة، بس بدي اعرف فيه باركينغ؟"). Undefined when the
 * message names no booking of the guest's.
 */
export function heldBookingIntent(normalized: string, today: LocalParts): Intent | undefined {
  if (!HELD.test(normalized)) return undefined;
  if (ANOTHER_BOOKING.test(normalized)) return 'BOOK';
  const others = (normalized.match(CLAUSE) ?? []).filter((clause) => !HELD.test(clause));
  const newValue = others.some((clause) => {
    const when = arabicWhen(clause, today);
    return (
      when.date !== undefined || when.time !== undefined || findPartySize(clause).partySize !== undefined
    );
  });
  if (newValue || CHANGE_ASKED.test(normalized)) return 'MODIFY';
  if (SERVICE_ASKED.test(normalized)) return 'OTHER';
  const rest = normalized.replace(new RegExp(BOOKING_WORDS.source, 'gu'), ' ');
  const { intent } = classifyIntent(rest);
  if (
    intent === 'MENU' ||
    intent === 'HOURS' ||
    intent === 'HUMAN' ||
    intent === 'CANCEL' ||
    intent === 'MODIFY'
  )
    return intent;
  const menu = findMenuTerms(rest);
  return menu.menuCategory || menu.menuItem ? 'MENU' : 'OTHER';
}
