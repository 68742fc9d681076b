import { classifyIntent } from './intent-classifier.js';
import { normalize } from './normalize.js';
import { numberValue } from './party-size.js';

/**
 * Names come from the original text (normalization would lower-case and fold them), after a
 * cue: "my name is …", "it's under …", "I'm …", "اسمي …", "me llamo …", "je m'appelle …".
 */
const CUES: ReadonlyArray<{ pattern: RegExp; capitalized: boolean }> = [
  {
    pattern:
      /\b(?:my name is|my name's|name is|name's|the name is|call me|(?:booking|reservation|table) name)\s+(.+)|\bname\s*[:：=-]\s*(.+)/i,
    capitalized: false,
  },
  {
    pattern:
      /\b(?:under the name(?: of)?|under name|it's under|its under|it is under|booked under|reservation under|booking under|put it under|put us under|under)\s+(.+)/i,
    capitalized: false,
  },
  // "…, name Rossi", "…, nom Rossi", "change the name on the booking to Sara": a capitalized word only.
  { pattern: /(?:^|[\s,;])(?:name|nom|nombre)\s+(\p{Lu}.*)/u, capitalized: true },
  {
    pattern: /\bname(?: (?:on|of|for) (?:the|my|our) (?:booking|reservation|table))? to\s+(\p{Lu}.*)/u,
    capitalized: true,
  },
  // A title names whoever follows it: "la réservation de M. Brown", "for Mrs Chen".
  {
    pattern: /(?<![\p{L}])(?:(?:Mr|Mrs|Ms|Miss|Dr|Mme|Mlle|Sr|Sra|Srta)\.?|M\.)\s+(\p{Lu}.*)/u,
    capitalized: true,
  },
  // "I'm starving", "this is great", "soy vegetariano": these cues need a capitalized word after them.
  { pattern: /\b(?:i'm|i am|im|this is|it's|it’s|it is)\s+(.+)/i, capitalized: true },
  { pattern: /\b(?:reservation for|booking for|table for)\s+(.+)/i, capitalized: true },
  // A bare "for Ana" (issue 17): only a capitalized word that is no day, count or meal.
  { pattern: /\bfor\s+(\p{Lu}.*)/u, capitalized: true },
  {
    pattern: /\b(?:me llamo|mi nombre es|a nombre de)\s+(.+)|\bnombre\s*[:：=-]\s*(.+)/i,
    capitalized: false,
  },
  { pattern: /\b(?:soy)\s+(.+)/i, capitalized: true },
  {
    pattern:
      /\b(?:je m'appelle|je m’appelle|mon nom est|au nom de|au nom d'|au nom d’|sous le nom de|sous le nom d'|sous le nom)\s*(.+)|\bnom\s*[:：=-]\s*(.+)/i,
    capitalized: false,
  },
  // "c'est pour Marie", and a bare "pour Marie" like English "for Ana": a capitalized word only.
  { pattern: /\b(?:c'est|c’est)(?:\s+pour)?\s+(.+)/i, capitalized: true },
  { pattern: /(?<![\p{L}])pour\s+(\p{Lu}.*)/u, capitalized: true },
  // The name a booking is changed to ("غير الاسم عالحجز لاسم رامي", "الحجز باسم اخوي، غيروه لاسمي
  // انا منى", "اغير اسم الحجز الى نورة"): the "ل" or "الى" (to) marks the new one, which the name
  // the booking held does not replace.
  {
    pattern:
      /(?<![\p{L}])(?:لاسم|لإسم|للاسم|لاسمي\s+(?:انا|أنا)|(?:اسم الحجز|الاسم)\s+(?:الى|إلى))(?!ي)\s*[:：]?\s*(.+)/u,
    capitalized: false,
  },
  {
    // "على اسمي: فيصل": "my name" is the cue there, not "under the name".
    // Levantine "عاسم" (على اسم) too: "بدي احجز عاسم Rami".
    pattern:
      /(?:اسم الحجز|اسمي|إسمي|الاسم|الإسم|(?:باسم|بإسم|على اسم|علي اسم|تحت اسم|عاسم|عإسم)(?!ي))\s*[:：]?\s*(.+)/,
    capitalized: false,
  },
  // Arabizi "3la esm Rami", "b esm sara", "esmi Omar" (on the name of, my name): one word, or
  // capitalized ones ("3la esm Rami bukra" ends at "bukra").
  {
    pattern:
      /(?<![\p{L}\p{N}])(?:(?:3la|3ala|ala|b|bi|be)\s+(?:esm|ism|2sm|isem)|esmi|ismi|2smi)\s+(\p{Lu}[\p{L}'’-]*(?:\s+\p{Lu}[\p{L}'’-]*)?|\p{Ll}+)/iu,
    capitalized: false,
  },
];

/** Words that follow "I'm …" or "under …" without being a name. */
const NOT_NAMES = new Set(
  [
    'a',
    'an',
    'the',
    'looking',
    'wondering',
    'trying',
    'sorry',
    'not',
    'going',
    'here',
    'coming',
    'running',
    'late',
    'on',
    'at',
    'in',
    'so',
    'just',
    'still',
    'interested',
    'hoping',
    'planning',
    'afraid',
    'calling',
    'writing',
    'texting',
    'asking',
    'good',
    'fine',
    'ok',
    'okay',
    'very',
    'really',
    'hungry',
    'vegan',
    'vegetarian',
    'allergic',
    'back',
    'sure',
    'glad',
    'happy',
    'ready',
    'free',
    'available',
    'bringing',
    'booking',
    'book',
    'from',
    'with',
    'what',
    'your',
    'my',
    'this',
    'that',
    'it',
    'you',
    'me',
    'we',
    'he',
    'she',
    'they',
    'there',
    'outside',
    'arriving',
    'able',
    'unable',
    'gonna',
    'want',
    'reservation',
    'table',
    'cancel',
    'to',
    'for',
    'and',
    'but',
    'or',
    'also',
    'interesado',
    'buscando',
    'une',
    'un',
    'la',
    'le',
    'el',
    'de',
    'pas',
    'ici',
    'en',
    'desolé',
    'désolé',
    'demain',
    'ce',
    'midi',
    'moi',
    'nous',
    'vous',
    // "au nom de ma collègue": a relation, not a name; "D'accord" alone is a reply.
    'mon',
    'ma',
    'mes',
    'notre',
    'nos',
    "d'accord",
    // Replies, not names: "Entendu", "Parfait", "Vale", "Perfecto".
    'entendu',
    'parfait',
    'perfecto',
    'perfect',
    'génial',
    'nickel',
    'vale',
    ...['lundi', 'mardi', 'mercredi', 'jeudi', 'vendredi', 'samedi', 'dimanche'],
    ...[
      'janvier',
      'février',
      'avril',
      'juin',
      'juillet',
      'août',
      'septembre',
      'octobre',
      'novembre',
      'décembre',
    ],
    'tomorrow',
    'tonight',
    'today',
    'monday',
    'tuesday',
    'wednesday',
    'thursday',
    'friday',
    'saturday',
    'sunday',
    'tonight',
    'january',
    'february',
    'march',
    'april',
    'may',
    'june',
    'july',
    'august',
    'september',
    'october',
    'november',
    'december',
    'dec',
    'jan',
    'feb',
    'nov',
    'oct',
    'sept',
    'lunch',
    'dinner',
    'brunch',
    'breakfast',
    'two',
    'four',
    'six',
    'all',
    'hi',
    'hello',
    'hey',
    'thanks',
    'yes',
    'no',
    'yeah',
    'yep',
    'nope',
    'please',
    'hola',
    'bonjour',
    'merci',
    'gracias',
    'si',
    'sí',
    'oui',
    'non',
    ...[
      'بكرة',
      'بكرا',
      'اليوم',
      'الليلة',
      'غدا',
      'لشخصين',
      'حاب',
      'ابغى',
      'ابي',
      'بدي',
      'عايز',
      'عاوز',
      'اريد',
      'أريد',
      'هنا',
      'جاي',
      'متأخر',
      'آسف',
      'اسف',
      'حجز',
      'طاولة',
      'شكرا',
      'مرحبا',
      'اهلا',
      'نعم',
      'لا',
      'ايوه',
      'تمام',
      'اوكي',
      // What follows a name in a booking: "باسم أحمد الساعة ٨", "على اسم منى يوم الخميس".
      'الساعة',
      'ساعة',
      'يوم',
      'بعد',
      'من',
      'في',
      'لو',
      'عشان',
      'اللي',
      'الحين',
      'الان',
      'الحجز',
      'حجزي',
      // A name taken back ends the one given: "باسم رهف مو باسمي"; so does a "but" after "باسمي"
      // ("الحجز باسمي لكن اختي بتجي").
      'لكن',
      'ولكن',
      'بس',
      'مو',
      'مش',
      'مب',
      'ليس',
      'بدل',
      'الاحد',
      'الاثنين',
      'الثلاثاء',
      'الاربعاء',
      'الخميس',
      'الجمعة',
      'السبت',
    ].map(normalize),
  ].map((word) => word.toLowerCase()),
);

const NAME_WORD = /^[\p{L}][\p{L}'’-]*$/u;

/** The guest's name after a cue, one to three words, cut at the first word that is not part of it. */
export function findGuestName(original: string): string | undefined {
  for (const cue of CUES) {
    const match = cue.pattern.exec(original);
    const tail = match?.[1] ?? match?.[2];
    if (!tail) continue;
    if (cue.capitalized && !/^\p{Lu}/u.test(tail)) continue;
    // "تحطوا الحجز عاسمي؟ اسمي Lina": a cue with no name after it ("under my name?") may be
    // followed by another that has one.
    const name = leadingName(tail) ?? (tail.length < original.length ? findGuestName(tail) : undefined);
    if (name) return name;
  }
  return undefined;
}

/** A message that is only a name ("Sarah", "Ahmed Ali", "سارة"), when the dialogue asked for one or it looks like one. */
export function bareName(original: string, expectingName: boolean): string | undefined {
  const trimmed = original.trim().replace(/[.!]+$/, '');
  const words = trimmed.split(/\s+/);
  if (words.length === 0 || words.length > 3) return undefined;
  if (!words.every((word) => NAME_WORD.test(word))) return undefined;
  if (words.some((word) => NOT_NAMES.has(normalize(word)))) return undefined;
  // Unprompted, only a capitalized Latin word reads as a name; Arabic has no capitals, so it needs the prompt.
  if (!expectingName && !words.every((word) => /^\p{Lu}/u.test(word))) return undefined;
  return words.join(' ');
}

/**
 * Words that only say whose the booking is: "الحجز باسم زوجي حسن", "سجلوه على اسم اخوي فهد لو سمحت".
 * A message of nothing else answers "under what name?", whatever booking word it holds.
 */
const NAME_ONLY_WORDS = new Set(
  [
    'الحجز',
    'حجزي',
    'حجزنا',
    'باسم',
    'باسمي',
    'اسمي',
    'الاسم',
    'اسم',
    'على',
    'عاسم',
    'سجله',
    'سجلوه',
    'سجلها',
    'سجلوها',
    'اكتبه',
    'اكتبوه',
    'خليه',
    'خلوه',
    'خلها',
    'خليها',
    'حطه',
    'حطوه',
    'حطوها',
    'يكون',
    'لو',
    'سمحت',
    'سمحتي',
    'سمحتوا',
    'فضلك',
    'من',
    'انا',
    'شكرا',
  ].map(normalize),
);

/**
 * The message names the guest, or only the relative whose the booking is ("الحجز باسم اخوي"), and
 * says nothing else: a bare answer, though "الحجز" is a booking word.
 */
export function onlyNameGiven(original: string, name: string | undefined): boolean {
  const rest = normalize(name ? original.replace(name, ' ') : original)
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word.length > 0);
  return (
    (name !== undefined || rest.some((word) => RELATIONS.has(word))) &&
    rest.every((word) => NAME_ONLY_WORDS.has(word) || RELATIONS.has(word))
  );
}

/** "Mr. Khan", "M. Lambert", "Sra. López": the title is no part of the name the booking keeps. */
const TITLE = /^(?:mr|mrs|ms|miss|dr|m|mme|mlle|sr|sra|srta|don|doña)\.?\s+(?=\p{Lu})/iu;

function leadingName(tail: string): string | undefined {
  // Arabic has no capitals to end a name: its punctuation does ("باسم منى، بدنا نصير خمسة").
  // A title's abbreviation ("باسم د. سامر", Dr Samer; "M. Brown") is no part of the name, and its dot no end of it.
  // "سجله باسمي، رامي": the separator between the cue and the name is no end of it.
  const trimmed = tail.replace(/^[\s,،:]+/, '');
  const arabic = /^[\u0600-\u06ff]/.test(trimmed);
  const untitled = arabic ? trimmed.replace(/^[دمأا]\.\s*/, '') : trimmed.replace(TITLE, '');
  const clause = arabic ? (untitled.split(/[,.;!?،؛؟]/)[0] ?? '') : untitled;
  const words = clause.split(/[\s,.;!?،؛؟]+/).filter((word) => word.length > 0);
  // "باسم زوجي حسن", "على اسم اخوي فهد": the relation names whose the booking is, not what they are
  // called; "الحجز باسم اخوي" names no one.
  while (words.length > 0 && RELATIONS.has(normalize(words[0] ?? ''))) words.shift();
  const kept: string[] = [];
  for (const word of words) {
    // "باسم منى الله يعافيكم": a blessing after the name ends it ("عبد الله" keeps its "الله").
    if (kept.length > 0 && normalize(word) === GOD && normalize(kept.at(-1) ?? '') !== SERVANT) break;
    if (
      !NAME_WORD.test(word) ||
      NOT_NAMES.has(normalize(word)) ||
      NOT_NAMES.has(withoutArabicPrefix(word)) ||
      ARABIC_PREPOSITIONS.has(word)
    )
      break;
    // "pour Deux", "table for Four": a count, not a name.
    if (kept.length === 0 && /^\p{Script=Latin}/u.test(word) && numberValue(normalize(word)) !== undefined)
      break;
    // "حجز باسم محمد لأربعة": a count (with or without the "ل" of "for") ends the name.
    if (kept.length > 0 && numberValue(normalize(word).replace(/^(?:ل|لـ)/, '')) !== undefined) break;
    // A guest who capitalizes their name ends it at the first lower-case word ("I'm Sam and ...",
    // "au nom de Pierre à vendredi": accented lower-case letters too).
    if (kept.length > 0 && /^\p{Lu}/u.test(kept[0] ?? '') && /^\p{Ll}/u.test(word)) break;
    // Arabic has no capitals: two words at most, and "و…" (and …) ends the name.
    if (kept.length > 0 && /^[\u0600-\u06ff]/.test(word) && (kept.length >= 2 || word.startsWith('و'))) break;
    // "باسم حسن الغيه" (cancel it), "باسم طارق نخليه لستة" (make it): a word that asks to cancel or
    // change the booking follows the name, it is none of it.
    if (
      kept.length > 0 &&
      /^[\u0600-\u06ff]/.test(word) &&
      ARABIC_REQUESTS.has(classifyIntent(normalize(word)).intent ?? 'OTHER')
    )
      break;
    kept.push(word);
    if (kept.length === 3) break;
  }
  if (kept.length === 0) return undefined;
  return kept.map(capitalize).join(' ');
}

const ARABIC_REQUESTS = new Set(['CANCEL', 'MODIFY']);

/** A relation said before a name (husband, wife, brother, mother, father, friend …), in several dialects. */
const RELATIONS = new Set(
  [
    'زوجي',
    'زوجتي',
    'جوزي',
    'مرتي',
    'اخوي',
    'اخويا',
    'اخي',
    'اختي',
    'امي',
    'ابوي',
    'ابويا',
    'والدي',
    'والدتي',
    'صاحبي',
    'صاحبتي',
    'صديقي',
    'صديقتي',
    'ابني',
    'بنتي',
    'ولدي',
    'عمي',
    'عمتي',
    'خالتي',
    'جدي',
    'جدتي',
  ].map(normalize),
);
const GOD = normalize('الله');
const SERVANT = normalize('عبد');

/** "على" (on), "إلى" (to), as typed: normalized, "على" would be the name "علي". */
const ARABIC_PREPOSITIONS = new Set(['على', 'الى', 'إلى', 'حتى', 'عن']);

/** "لبكرة" (for tomorrow), "للجمعة" (to Friday): a word of a booking behind "ل"/"ب". */
const withoutArabicPrefix = (word: string) =>
  normalize(word)
    .replace(/^لل/, 'ال')
    .replace(/^[لب](?=\p{L}{3})/u, '');

const capitalize = (word: string) =>
  /^[a-z]/.test(word) ? word.charAt(0).toUpperCase() + word.slice(1) : word;
