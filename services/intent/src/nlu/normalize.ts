import { arabiziToArabic } from './arabizi.js';

/**
 * Text as the rules see it: lower case, Arabic spelling variants folded (hamza forms of alef,
 * taa marbuta, alef maqsura, diacritics, tatweel), Arabic-Indic and Persian digits as ASCII, and
 * everyday chat spellings ("2moro", "ppl") expanded. Lexicons are normalized with the same
 * function, so a table entry matches whichever way the guest typed it.
 */
export function normalize(text: string): string {
  let out = text.normalize('NFKC').toLowerCase();
  out = out.replace(/[\u0660-\u0669]/g, (d) => String(d.charCodeAt(0) - 0x0660));
  out = out.replace(/[\u06f0-\u06f9]/g, (d) => String(d.charCodeAt(0) - 0x06f0));
  out = foldArabic(arabiziToArabic(out));
  // WhatsApp elongation ("مشكوووور", "هلااا"): no Arabic word has a letter three times running.
  out = out.replace(/([\u0621-\u064a])\1{2,}/gu, '$1');
  // The Arabic article on an English word ("الmenu", "الbooking"): the word on its own.
  out = out.replace(/\u0627\u0644(?=[a-z])/g, '\u0627\u0644 ');
  // Arabic comma, question mark and semicolon as the Latin ones, which end a clause for the model's
  // negation marking (model/features.ts: in "لا تلغي الحجز، ممكن نأخره" only the first clause is
  // negated); fancy quotes as the plain one.
  out = out
    .replace(/\u060c/g, ', ')
    .replace(/\u061f/g, '? ')
    .replace(/\u061b/g, '; ')
    .replace(/[\u2018\u2019\u02bc]/g, "'");
  out = out.replace(/\s+/g, ' ').trim();
  return expandChatSpellings(out);
}

/** A regex alternation of the words as the rules see them ("احجز|نحجز"), for a table inlined in a pattern. */
export const anyOf = (words: readonly string[]): string => words.map(normalize).join('|');

/** Clauses of a message, split at punctuation, so what one clause says is read apart from the next. */
export const CLAUSE = /[^,.!?;\n]+/g;

export function foldArabic(text: string): string {
  return (
    text
      .replace(/[\u064b-\u0652\u0670\u0640]/g, '')
      .replace(/[\u0622\u0623\u0625\u0671]/g, '\u0627')
      .replace(/\u0629/g, '\u0647')
      .replace(/\u0649/g, '\u064a')
      // Iraqi and Gulf "چ" ("باچر", tomorrow) as the "ج" the tables spell; "گ" (g: "تگدرون", can
      // you) as the "ق" it is written for.
      .replace(/\u0686/g, '\u062c')
      .replace(/\u06af/g, '\u0642')
      // A word-final "ئ" typed for "ي" ("الغئ", "شئ").
      .replace(/\u0626(?![\u0621-\u064a])/g, '\u064a')
  );
}

/**
 * Chat spellings and common typos, whole words only. Word edges are Unicode letters: with \b (ASCII
 * only) the "r" of "réserver" was a word of its own ("r" → "are"), and French "mon" a Monday.
 */
const word = (body: string) => new RegExp(`(?<![\\p{L}\\p{N}])(?:${body})(?![\\p{L}\\p{N}])`, 'gu');
const CHAT_SPELLINGS: ReadonlyArray<readonly [RegExp, string]> = [
  [word('2mo?r+o+w*|2morrow|tmrw?|tmo?r+o+w*|tomm?or+ow|tomorow|tomoro|tommorrow|tomrw'), 'tomorrow'],
  [word('2nite|2night|tonite|tonigt|tonihgt'), 'tonight'],
  // "4pax", "4ppl": the count glued to its unit.
  // "4pax", "4ppl": the count glued to its unit. "pax" stays "pax" (a count word party-size.ts
  // knows in every language), so "4pax mañana" is not taken for English.
  [/(?<=\d)(ppl|pple|pax|persons|people|pers)(?![\p{L}\p{N}])/gu, ' $1'],
  [word('ppl|pple|peeps|persons'), 'people'],
  [word('pls|plz|plss|pleas'), 'please'],
  [word('thx|thnx|thanx|tnx|thks|ty|tyvm|thnks|thnk|thanku|thankyou|tysm|thx so much'), 'thanks'],
  [word('rn'), 'right now'],
  // French texting: "dmain", "mrc bcp", "slt", "bsr", "vs", "jvoudrais", "kel heure", "résa".
  [word('dmain|2main|dmn|2m1|2mn'), 'demain'],
  [word('auj|ajd|ojd'), "aujourd'hui"],
  [word('jsp'), 'je sais pas'],
  [word('jpeux|jpx'), 'je peux'],
  [word('qd|qnd'), 'quand'],
  [word('tjrs|tjr|tjs'), 'toujours'],
  // "on é 6": "é" for "est".
  [/(?<=(?<![\p{L}])on )é(?![\p{L}\p{N}])/gu, 'est'],
  // "c soir", "c possible": "ce" before a part of the day, "c'est" before what it says.
  [/(?<![\p{L}\p{N}'])c(?= (?:soir|midi|matin|week-end|weekend|samedi|dimanche)(?![\p{L}]))/gu, 'ce'],
  [
    /(?<![\p{L}\p{N}'])c(?= (?:possible|bon|ok|okay|noté|note|parfait|pour|quoi|combien|complet|dispo|ouvert|fermé|mort|toujours|tjrs)(?![\p{L}]))/gu,
    "c'est",
  ],
  [word('mrc|mrci|mci'), 'merci'],
  [word('bcp'), 'beaucoup'],
  [word('slt'), 'salut'],
  [word('bsr'), 'bonsoir'],
  [word('vs'), 'vous'],
  [word('jvoudrais|jvoudrai'), 'je voudrais'],
  [word('jveux|jveu'), 'je veux'],
  [word('kel|kelle'), 'quelle'],
  [word('resa|résa|rsa'), 'réservation'],
  // Québec's "table d'hôte" is the set menu, no table to book.
  [word("table d'h[oô]te"), 'menu'],
  [word('u'), 'you'],
  [word('r'), 'are'],
  [word('ur'), 'your'],
  [word('wanna'), 'want to'],
  [word('gonna'), 'going to'],
  [word('cant'), "can't"],
  [word('wont'), "won't"],
  [word('im'), "i'm"],
  [word('its'), "it's"],
  [
    word(
      'resv|rsvp|rezervation|reservaton|resevation|reservasion|reservtion|reservatoin|resrvation|reservaiton|reservacion',
    ),
    'reservation',
  ],
  [word('tabel|tble|tabl'), 'table'],
  // "table 4 two": the digit stands for "for" when a count follows it.
  [
    /\b(table|booking|reservation|book|reserve) 4 (?=(?:\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|twelve)\b)/g,
    '$1 for ',
  ],
  [word('bok|boook|bookin|boking'), 'book'],
  [word('cancle|cancell|cansel|cancl|cncl|canel|cancellll'), 'cancel'],
  [word('menue|menus|manu|mneu'), 'menu'],
  [word('fri'), 'friday'],
  [word('sat'), 'saturday'],
  [word('thurs|thur|thu'), 'thursday'],
  [word('tues|tue'), 'tuesday'],
  [word('wed'), 'wednesday'],
  // Not French "mon" (my): only before a time or after "on", "next", "this".
  [
    /(?<![\p{L}\p{N}])(?:(?<=(?<![\p{L}])(?:on|next|this) )mon|mon(?=\s*(?:\d|at |night|evening|[,.!?]|$)))(?![\p{L}\p{N}])/gu,
    'monday',
  ],
];

function expandChatSpellings(text: string): string {
  let out = text;
  // Stretched words ("hiiii", "heyyy", "thanksss") down to two letters.
  out = out.replace(/([a-z])\1{2,}/g, '$1$1');
  for (const [pattern, replacement] of CHAT_SPELLINGS) out = out.replace(pattern, replacement);
  return out;
}
