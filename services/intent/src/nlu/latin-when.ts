import { hhmm, isoDate, type LocalParts } from '@reserveit/time';
import * as chrono from 'chrono-node';
import { dinnerHour, type FoundWhen, without } from './arabic-when.js';
import { ENGLISH_NUMBER_WORDS } from './party-size.js';
import type { Language } from './types.js';

/**
 * "03:00", "07h30": an hour written with its leading zero is a 24-hour clock, so it keeps its
 * morning; "3:00" is still heard as a restaurant hears it (dinnerHour).
 */
const TWENTY_FOUR_HOUR_CLOCK = /(?<!\d)0\d\s*[:h.]\s*\d{2}/;
const HOUR_WORDS: Readonly<Record<string, number>> = Object.fromEntries(
  Object.entries(ENGLISH_NUMBER_WORDS).filter(([, n]) => n <= 12),
);
const HOUR_WORD = Object.keys(HOUR_WORDS).join('|');

/** From two: "une heure" is nearly always a duration ("décaler d'une heure", "une heure après"). */
const FRENCH_HOUR_WORDS: Readonly<Record<string, number>> = {
  deux: 2,
  trois: 3,
  quatre: 4,
  cinq: 5,
  six: 6,
  sept: 7,
  huit: 8,
  neuf: 9,
  dix: 10,
  onze: 11,
  douze: 12,
  // The 24-hour clock spelt out: "vingt heures", "dix-neuf heures", "vingt et une heures".
  treize: 13,
  quatorze: 14,
  quinze: 15,
  seize: 16,
  'dix-sept': 17,
  'dix-huit': 18,
  'dix-neuf': 19,
  vingt: 20,
  'vingt et une': 21,
  'vingt-et-une': 21,
  'vingt-deux': 22,
  'vingt-trois': 23,
};
const FRENCH_HOUR_WORD = Object.keys(FRENCH_HOUR_WORDS).join('|');

/** Days a French or Spanish booking is moved from or to. */
const DAY_WORD = [
  'ce soir',
  "aujourd'hui",
  'demain',
  'hoy',
  'esta noche',
  'mañana',
  ...['lundi', 'mardi', 'mercredi', 'jeudi', 'vendredi', 'samedi', 'dimanche'],
  ...['lunes', 'martes', 'miércoles', 'jueves', 'viernes', 'sábado', 'domingo'],
].join('|');

/** "at 9:00" rather than "at 9": chrono's Spanish and French parsers read no bare hour after "at". */
const atClock = (time: string): string => `at ${/[:h]|am|pm/.test(time) ? time : `${time}:00`}`;

/**
 * Everyday English time phrases chrono-node does not read, rewritten into ones it does:
 * "half past eight", "quarter to 9", "9ish", "around 8", "at eight", "19h30".
 */
const REWRITES: ReadonlyArray<readonly [RegExp, (...groups: string[]) => string]> = [
  // British "half 9" (9:30) before "from 8 to half 9" is read as a move.
  [/\bhalf (\d{1,2})\b(?!\s*(?:hour|an|past))/g, (h) => `${h}:30`],
  // "7 in the evening", "8 at night", "10 in the morning": the half of the day said in words.
  [
    /\b(\d{1,2}(?::\d{2})?)\s+(?:in the (evening|afternoon|morning)|at (night))\b/g,
    (t, part, night) => `${t}${part === 'morning' && !night ? 'am' : 'pm'}`,
  ],
  // French clocks spelt out: "20 heures 30", "20 h 30", "à 19 heures", "huit heures" as "20h30", "19h",
  // "8h", which the rewrites below and chrono read.
  [/\b(\d{1,2})\s*(?:heures?|h)\s*(\d{2})(?![\p{L}\p{N}])/gu, (h, m) => `${h}h${m}`],
  [/(?<!(?:dans|pendant|durant|de|d'une)\s)\b(\d{1,2})\s+(?:heures?|h)(?![\p{L}\p{N}])/gu, (h) => `${h}h`],
  [
    // Not a duration: "d'une heure", "dans deux heures".
    new RegExp(
      `(?<!(?:dans|pendant|durant|de|en)\\s)(?<![\\p{L}'’])(${FRENCH_HOUR_WORD})\\s+heures?(?![\\p{L}])`,
      'gu',
    ),
    (w) => `${FRENCH_HOUR_WORDS[w] ?? w}h`,
  ],
  // A correction ("9 instead of 8", "8 not 7", "21h au lieu de 20h"): the first is the new time,
  // the replaced one is dropped. A count ("5 people not 4") never matches: its unit follows it.
  [
    /(?<!(?:at|a las|à|a)\s|[\d:])\b(\d{1,2}(?::\d{2}|h\d{0,2})?(?:\s*(?:am|pm))?)\s+(?:instead of|rather than|not|and not|en vez de|en lugar de|y no|au lieu de|plutôt que|plutot que|et pas|et non)\s+(?:(?:at|a las|las|à)\s+)?\d{1,2}(?::\d{2}|h\d{0,2})?(?:\s*(?:am|pm))?\b/g,
    atClock,
  ],
  // "at 9 not 8:30", "à 21h et non 20h30": the clock after "at" is the one kept.
  [
    /(?<![\p{L}])(at|à|a las)\s+(\d{1,2}(?::\d{2}|h\d{0,2})?(?:\s*(?:am|pm))?)\s+(?:instead of|rather than|not|and not|en vez de|en lugar de|y no|au lieu de|plutôt que|plutot que|et pas|et non)\s+(?:(?:at|a las|las|à)\s+)?\d{1,2}(?::\d{2}|h\d{0,2})?(?:\s*(?:am|pm))?(?![\p{L}\p{N}])/gu,
    (at, time) => `${at} ${time}`,
  ],
  // "20h, non pardon 21h", "8pm no sorry 9": a clock taken back at once; the day before it stays.
  [
    /(?<![\p{L}\p{N}])\d{1,2}(?::\d{2}|h\d{0,2})\s*,?\s*(?:non|no|nope)\s*,?\s*(?:(?:pardon|désolée?|sorry|perdón|perdon|excusez-moi|oups|je veux dire|i mean|quiero decir)\s*,?\s*)?(?=(?:à\s+|at\s+)?\d)/gu,
    () => ' ',
  ],
  // "not 8, 9 please": the one after the negated one.
  [/\b(?:not|no|pas)\s+\d{1,2}(?::\d{2}|h\d{0,2})?\s*,\s*(\d{1,2}(?::\d{2}|h\d{0,2})?)\b/g, atClock],
  [
    /\b(?:instead of|rather than|en vez de|en lugar de|au lieu de|plutôt que|plutot que)\s+(?:(?:at|a las|las|à)\s+)?\d{1,2}(?::\d{2}|h\d{0,2})?(?:\s*(?:am|pm))?\b/g,
    () => ' ',
  ],
  // "8 y media", "9h et demie", "8 menos cuarto", "9 moins le quart": the half and quarter hours
  // Spanish and French guests write, which chrono's casual parsers read as the whole hour.
  [/\b(\d{1,2})h?\s+(?:y|et)\s+(?:media|demie|demi)\b/g, (h) => `${h}:30`],
  // "changer 19h en 20h", "passer de 19h à 20h" is read below: the clock it becomes.
  [/\b\d{1,2}h\d{0,2}\s+en\s+(\d{1,2}h\d{0,2})(?![\p{L}\p{N}])/gu, atClock],
  // "midi et demi", "minuit et demie": the half hour after noon or midnight.
  [/(?:\bà\s+)?\b(midi|minuit)\s+et\s+demie?\b/g, (w) => (w === 'midi' ? 'at 12:30' : 'at 00:30')],
  [/\b(\d{1,2})h?\s+(?:y|et)\s+(?:cuarto|quart)\b/g, (h) => `${h}:15`],
  [
    /\b(\d{1,2})h?\s+(?:menos|moins)\s+(?:cuarto|le quart|quart)\b/g,
    (h) => `${Math.max(0, Number(h) - 1)}:45`,
  ],
  // "from 8 to 9", "de las 8 a las 9", "de 20h à 21h": a move; the time it goes to is the one wanted.
  [
    /\b(?:from|de|de las|desde las)\s+\d{1,2}(?::\d{2}|h\d{0,2})?(?:\s*(?:am|pm))?\s+(?:to|a|a las|à)\s+(\d{1,2}(?::\d{2}|h\d{0,2})?(?:\s*(?:am|pm))?)(?![\p{L}\p{N}])(?!\s*(?:people|personas|personnes|guests))/gu,
    atClock,
  ],
  // "le 5 à 20h", "el 5 a las 9": chrono's French and Spanish parsers read "5 à 20h" as a range of
  // hours; the comma keeps the day of the month apart (ORDINAL_DAY reads it).
  [
    /(?<![\p{L}\p{N}])((?:le|el) \d{1,2}(?:er)?|\d{1,2}\/\d{1,2}(?:\/\d{2,4})?) (?=(?:à|a|a las|a la) \d)/gu,
    (day) => `${day.replace(/er$/, '')}, `,
  ],
  // "de ce soir à demain", "de hoy a mañana": a move; chrono reads one span, the day it goes to is the one wanted.
  [
    new RegExp(
      `(?<![\\p{L}])(?:de|du|del)\\s+(?:${DAY_WORD})\\s+(?:à|au|a|al|pour|para)\\s+(?=(?:${DAY_WORD})(?![\\p{L}]))`,
      'gu',
    ),
    () => ' ',
  ],
  // "not friday - thursday!": a dash between words is a pause, not a range of days.
  [/(?<=\p{L})\s+[-–—]\s+(?=\p{L})/gu, () => ', '],
  // "on a 2 chiens", "il y a 3 marches": the verb "avoir", which chrono's French parser takes for
  // an unaccented "à" before an hour.
  [/(?<![\p{L}'’])(on|il y|y|il|elle|qui) a (?=\d)/gu, (subject) => `${subject} avoir `],
  // Québécois "à soir" is "ce soir".
  [/(?<![\p{L}])à soir\b/gu, () => 'ce soir'],
  // "ce midi" is today at noon (the noon rewrite below reads "midi").
  [/(?<![\p{L}])ce midi\b/gu, () => "aujourd'hui midi"],
  // "jeudi en huit": that day of next week, as "jeudi prochain" reads (Monday's "lundi en huit" is
  // in seven days).
  [/\b(lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche) en huit\b/g, (day) => `${day} prochain`],
  [
    new RegExp(`\\b(${HOUR_WORD})\\b(?=\\s*(?:pm|am|o'clock|oclock|ish|thirty|fifteen|forty-five)\\b)`, 'g'),
    (w) => String(HOUR_WORDS[w] ?? w),
  ],
  [
    new RegExp(
      `\\b(at|around|about|by|say|for|half past|quarter past|quarter to|half)\\s+(${HOUR_WORD})\\b(?!\\s+(?:people|persons|guests|of us|adults|kids|children))`,
      'g',
    ),
    (p, w) => `${p} ${HOUR_WORDS[w] ?? w}`,
  ],
  [/\bhalf past (\d{1,2})\b/g, (h) => `${h}:30`],
  [/\bquarter past (\d{1,2})\b/g, (h) => `${h}:15`],
  [/\bquarter to (\d{1,2})\b/g, (h) => `${Math.max(0, Number(h) - 1)}:45`],
  // British "half eight" is 8:30.
  [/\bhalf (\d{1,2})\b(?!\s*(?:hour|an))/g, (h) => `${h}:30`],
  [/\b(\d{1,2})\s*-?ish\b/g, (h) => `at ${h}`],
  [
    /\b(\d{1,2}) (thirty|fifteen|forty-five)\b/g,
    (h, m) => `${h}:${m === 'thirty' ? '30' : m === 'fifteen' ? '15' : '45'}`,
  ],
  [
    /\b(around|about|approx|approximately|by|say|from)\s+(\d{1,2}(?::\d{2})?\s*(?:am|pm)?)\b/g,
    (_p, t) => `at ${t}`,
  ],
  [/\b(\d{1,2})h(\d{2})?\b/g, (h, m) => `${h}:${m || '00'}`],
  // "1930", "2045": a 24-hour clock without its colon; not a year after a month ("dec 5 2030").
  [
    /(?<![\d:/.,]|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|in|year)\p{L}*\.?\s+(?:\d{1,2}\s+)?)\b(1\d|2[0-3])(00|15|30|45)\b(?![\d:/.])/gu,
    (h, m) => `${h}:${m}`,
  ],
  // "8.30", "7.45": a clock written with a dot (British), not a price ("£8.50") or a date ("28.11").
  [/(?<![\d.,/£$€])\b(\d{1,2})\.(00|15|30|45)\b(?![.,/]?\d)/g, (h, m) => `${h}:${m}`],
  // "can we do 9", "is 8 ok?", "can't make 8": a bare hour offered or refused.
  [
    /\b(do|is|say|can't make|cannot make)\s+(\d{1,2}(?::\d{2})?(?:\s*(?:am|pm))?)(?=\s*(?:instead|ok|okay|possible|fine|better|free|available|please|then|anymore|any more|\?|[,.](?!\d)|!|$))/g,
    (verb, t) => `${verb} at ${t}`,
  ],
  // "tmrw @ 8": chat's "at".
  [/@\s*(?=\d)/g, () => ' at '],
  // Noon in French and Spanish, which chrono's casual parsers leave out.
  // Not "le menu du midi", "le service du midi", "le menu midi": the meal, not the clock.
  // Nor "demain midi à 12h30": the clock given is the more precise; nor the afternoon ("après-midi").
  [
    /(?:\bà\s+)?(?<!\bdu\s|\bformule\s|\bmenu\s|-)\bmidi\b(?!\s*(?:à\s+)?\d)|\b(?:al\s+)?mediod[ií]a\b/g,
    () => 'at 12:00',
  ],
  [/(?:\bà\s+)?\bminuit\b|\b(?:a\s+la\s+)?medianoche\b/g, () => 'at 00:00'],
  [/\b(\d{1,2})\s*o'?clock\b/g, (h) => `at ${h}`],
  [
    /\b(?:to|until|till)\s+(\d{1,2}(?::\d{2})?)\b(?!\s*(?:people|persons|guests|of us|adults|ppl))/g,
    (t) => `at ${t}`,
  ],
  [
    /\b(tonight|today|tomorrow|monday|tuesday|wednesday|thursday|friday|saturday|sunday),? (\d{1,2})\b(?![:.]\d|\s*(?:people|persons|guests|of us|am|pm))/g,
    (d, h) => `${d} at ${h}`,
  ],
];

const TODAY_WORDS = /\b(tonight|today|this evening|esta noche|hoy|ce soir|aujourd'hui|cette nuit)\b/;
const MORNING_WORDS = /\b(morning|breakfast|brunch|am|a\.m\.|mañana temprano|matin|desayuno)\b/;
const IGNORED =
  /\b(days? (?:earlier|later|before|after)|jours? plus (?:tôt|tard)|hours?|heures?|minutes?|mins?|a second|minutos|horas|now|weekend|ahora|maintenant|una hora|media hora|une heure|une demi-heure|semaine prochaine)\b/;
/** "Right now" is today's date (issue 17), no time: the guest means the next free slot. A bare "now" ("r u open now") is not a date. */
const RIGHT_NOW = /\b(right now|right away|ahora mismo|ahorita|maintenant|tout de suite|immédiatement)\b/;
const NEGATED =
  /\b(?:not|no|(?<!(?:vient|viens|viendra|viendrai|viendrons|venons|venez) )pas|ni|instead of|rather than|en vez|en lugar|au lieu|plutôt que|plutot que)\s+(?:es\s+|de\s+|d'|del\s+)?(?:on\s+|el\s+|le\s+|la\s+|las\s+|à\s+|a\s+)?$|\b(?:can't|cannot|can not|won't)\s+(?:make|do|come|manage)(?:\s+it)?\s+(?:on\s+|at\s+)?$|\b(?:peu[xt]|pourr[a-z]*|pouvons)\s+pas\s+(?:venir|être là|etre la|arriver)\s+(?:à\s+|le\s+)?$|\b(?:i said|j'ai dit|dije)\s+(?:at\s+|à\s+|a las\s+)?$|\b(?:pas|plus)\s+(?:dispo|disponibles?|libres?)\s+(?:le\s+)?$/;
/** Words of a correction ("9 instead of 8", "21h au lieu de 20h"), whose replaced value REWRITES drop. */
const CORRECTION =
  /\b(?:instead of|rather than|en vez de|en lugar de|au lieu de|plutôt que|plutot que|y no|et pas|et non|i meant|quise decir|je voulais dire)\b|\b(?:not|pas|no es)\s+(?:on\s+|at\s+|el\s+|le\s+|à\s+|a las\s+)?(?:\d|(?:mon|tues|wednes|thurs|fri|satur|sun)day|tonight|today|tomorrow|lunes|martes|miércoles|jueves|viernes|sábado|domingo|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|demain|ce soir|aujourd'hui|hoy|mañana|esta noche)|\bplutôt\s+\S+\s+que\b|\bplutôt\s+(?:à\s+|le\s+)?(?:\d|demain|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)/;
/** "annulez vendredi et réservez samedi": the day before the new booking is the one given up. */
const THEN_BOOK =
  /\b(?:and|then|et|puis|y|luego)\s+(?:re)?(?:book|rebook|reserve|réserve[rz]?|reserve[rz]|reserva[rn]?)/;
const MOVED_FROM = /\b(?:from|de|del|du)\s+(?:las?\s+|el\s+|le\s+)?$/;
/** "a las 9 no, mejor a las 8": a value the guest says no to right after it. */
const NEGATED_AFTER =
  /^\s+(?:no|non|not)\b(?!\s+(?:people|personas|personnes|later|más|plus|problem|problema))|^\s*,\s*(?:non|no|nope)\s*,?\s*(?:pardon|désolée?|sorry|perdón|perdon|excusez-moi|oups|plutôt|je veux dire|i mean|quiero decir)(?![a-zà-ÿ])|^\s*,?\s*(?:ça |ca )?(?:(?:ne (?:va|marche|convient) pas|ne va plus|c'est mort)\b|c'est compliqué)|^\s*,?\s*(?:but\s+|mais\s+|pero\s+)?(?:i meant|i mean|je voulais dire|je veux dire|quise decir|quiero decir)\b/;
/**
 * "samedi … dimanche à la place", "on avait dit samedi mais dimanche", "ce soir, mettez-nous plutôt
 * demain": a day or hour said after another and marked as the one wanted now; the earlier is replaced.
 * Not "plutôt samedi que vendredi", "21h plutôt qu'à 20h": the value after "que" is the one refused.
 */
const REPLACEMENT_BEFORE =
  /\b(?:mais|but|pero|plutôt|plutot|mettez(?:-nous|-la|-le)?|mets(?:-nous|-la|-le)?|make it|rather|mejor|finalement|en fait|actually|finalmente)\s+(?:(?!qu|than)[\p{L}'’]+\s+){0,2}$/u;
const REPLACEMENT_AFTER =
  /^\s*,?\s*(?:à la place|a la place|instead|en su lugar|plutôt|plutot|(?:ce |ça |ca )?(?:serait|sera) mieux|would be better|is better|works better)\b/;
const PAST_DAY = /\b(?:hier|avant-hier|yesterday|ayer|anoche|last night)\b/;
/** "pasado mañana", "après-demain": chrono's Spanish and French parsers read only the "tomorrow" in them. */
const DAY_AFTER_TOMORROW =
  /\b(?:pasado mañana|pasado manana|après-demain|apres-demain|après demain|apres demain|the day after tomorrow|day after tomorrow)\b/;
const ORDINAL_DAY =
  /\b(?:on )?the (\d{1,2})(?:st|nd|rd|th)\b|(?<![\p{L}])(?:le|el|du|del|au|pour le|para el) (\d{1,2})(?:er)?(?![\p{L}\p{N}]|\s*(?:[:.h]\d|h\b|heures?|horas?|hrs?|personnes?|pers|personas?|couverts|adultes|adultos|enfants|niños|pm|am)(?![\p{L}\p{N}]))/u;

export function latinWhen(
  text: string,
  language: Language,
  localeHint: string,
  today: LocalParts,
): FoundWhen {
  let prepared = text;
  for (const [pattern, rewrite] of REWRITES) {
    prepared = prepared.replace(pattern, (...args: unknown[]) => rewrite(...(args.slice(1, -2) as string[])));
  }
  let date: string | undefined;
  const dayAfter = DAY_AFTER_TOMORROW.exec(prepared);
  if (dayAfter) {
    const later = new Date(Date.UTC(today.year, today.month - 1, today.day + 2));
    date = isoDate(later.getUTCFullYear(), later.getUTCMonth() + 1, later.getUTCDate());
    prepared = prepared.replace(dayAfter[0], ' ');
  }
  const parser = parserFor(language, localeHint);
  // chrono reads wall-clock fields; an instant whose UTC fields are the business's local time,
  // read at offset 0, makes every result a business-local wall-clock time.
  const reference = {
    instant: new Date(Date.UTC(today.year, today.month - 1, today.day, today.hour, today.minute)),
    timezone: 0,
  };
  // "saturday, not friday", "no es el viernes, es el sábado": a negated date is the one replaced.
  const parsed = parser.parse(prepared, reference, { forwardDate: true });
  const kept = parsed.filter(
    (result) =>
      !NEGATED.test(prepared.slice(Math.max(0, result.index - 32), result.index)) &&
      !NEGATED_AFTER.test(prepared.slice(result.index + result.text.length)),
  );
  // "pasar la reserva de mañana al miércoles", "la table de 20h, mettez-la à 21h": of a day or
  // time moved from one to another, the one it goes to.
  const thenBook = THEN_BOOK.exec(prepared);
  const fields = (result: chrono.ParsedResult) =>
    `${result.start.isCertain('day') || result.start.isCertain('weekday') || TODAY_WORDS.test(result.text) ? 'd' : ''}${result.start.isCertain('hour') ? 't' : ''}`;
  const replacement = (result: chrono.ParsedResult) =>
    REPLACEMENT_BEFORE.test(prepared.slice(Math.max(0, result.index - 40), result.index)) ||
    REPLACEMENT_AFTER.test(prepared.slice(result.index + result.text.length));
  // "merci pour hier soir ! on voudrait revenir samedi": a past day beside another is the visit
  // told of, not the one booked.
  const past = (result: chrono.ParsedResult) =>
    PAST_DAY.test(result.text) && kept.some((other) => other !== result && !PAST_DAY.test(other.text));
  const from = (result: chrono.ParsedResult) =>
    MOVED_FROM.test(prepared.slice(Math.max(0, result.index - 12), result.index)) ||
    past(result) ||
    kept.some(
      (later) =>
        later.index > result.index && fields(later).includes(fields(result)[0] ?? '-') && replacement(later),
    ) ||
    // "move tomorrow's booking to friday": the day whose booking it is.
    prepared.startsWith("'s", result.index + result.text.length) ||
    (thenBook !== null && result.index < thenBook.index);
  // Only when another result gives the same field: "la mesa de mañana, ¿a las 10?" keeps its day;
  // "samedi mais en fait ce sera dimanche, à 13h" gives it with an hour.
  const moved = kept.filter(
    (result) =>
      !from(result) ||
      !kept.some(
        (other) =>
          other !== result && !from(other) && fields(result) !== '' && fields(other).includes(fields(result)),
      ),
  );
  const results = moved.length > 0 ? moved : kept.length > 0 ? kept : parsed;
  const replaced = results.length < parsed.length;
  const corrected = replaced || CORRECTION.test(text);
  const spans: string[] = dayAfter ? [dayAfter[0]] : [];
  let time: string | undefined;
  for (const result of results) {
    // Durations ("half an hour"), "now" and "the weekend" are not a slot a booking can take.
    if (IGNORED.test(result.text)) continue;
    // "de ce soir à demain": chrono reads a range; moved from its start, the booking goes to its end.
    const start = result.end && from(result) ? result.end : result.start;
    let used = false;
    if (!date && (start.isCertain('day') || start.isCertain('weekday'))) {
      date = isoDate(
        start.get('year') ?? today.year,
        start.get('month') ?? today.month,
        start.get('day') ?? today.day,
      );
      used = true;
    } else if (!date && TODAY_WORDS.test(result.text)) {
      date = today.date;
      used = true;
    }
    if (!time && start.isCertain('hour')) {
      const hour = start.get('hour') ?? 0;
      const certainMeridiem =
        start.isCertain('meridiem') || hour > 12 || TWENTY_FOUR_HOUR_CLOCK.test(result.text);
      const morning = MORNING_WORDS.test(text);
      time = hhmm(certainMeridiem ? hour : dinnerHour(hour, morning, false), start.get('minute') ?? 0);
      used = true;
    }
    if (used) spans.push(result.text);
  }
  if (!date && RIGHT_NOW.test(prepared)) date = today.date;
  if (!date) {
    const ordinal = ORDINAL_DAY.exec(prepared);
    if (ordinal) {
      // "the 5th", and French and Spanish "le 5", "el 5" (a day of the month with no month named).
      const day = Number(ordinal[1] ?? ordinal[2]);
      if (day >= 1 && day <= 31) {
        // "le 31" asked on 23 November is 31 December: a day this month lacks is next month's.
        const thisMonth =
          day >= today.day && day <= new Date(Date.UTC(today.year, today.month, 0)).getUTCDate();
        const month = thisMonth ? today.month : (today.month % 12) + 1;
        const year = month < today.month ? today.year + 1 : today.year;
        date = isoDate(year, month, day);
        spans.push(ordinal[0]);
      }
    }
  }
  return {
    ...(date ? { date } : {}),
    ...(time ? { time } : {}),
    rest: without(prepared, spans),
    ...(corrected && (date || time) ? { corrected: true } : {}),
    ...(replaced && (date || time) ? { replaced: true } : {}),
  };
}

function parserFor(language: Language, localeHint: string): chrono.Chrono {
  if (language === 'es') return chrono.es.casual;
  if (language === 'fr') return chrono.fr.casual;
  // Day-first outside the US ("20/12" reads either way; "3/12" is 3 December in London and Dubai).
  const region = localeHint.split(/[-_]/)[1]?.toUpperCase();
  return region === 'US' || region === undefined ? chrono.en.casual : chrono.en.GB;
}
