import { NUMBER_WORDS } from './party-size.js';

/** Latin-script number words ("cinq", "seven", "quince"), longest first so "dix-sept" beats "dix". */
const LATIN_WORD = [...NUMBER_WORDS.keys()]
  .filter((word) => /^[a-zà-ÿ' -]+$/u.test(word))
  .sort((a, b) => b.length - a.length)
  .join('|');
/**
 * An amount in digits ("20", "12,50") or words, compounds included ("septante-cinq", "vingt et
 * une", "twenty-five"), or a French round figure ("une quinzaine de", "une vingtaine de").
 */
const AMOUNT = String.raw`(?:\d+(?:[.,]\d+)?|(?:une\s+)?(?:quinz|vingt|trent|quarant|cinquant|soixant|cent)aines?\s+(?:de\s+|d')|(?:${LATIN_WORD})(?:(?:-|\s+et\s+|-et-)(?:${LATIN_WORD}))*)`;
/**
 * Units that measure what is never a head count nor a clock: minutes and seconds, age, money,
 * distance, weight. Hours are left to the clock rules (latin-when.ts: "à 20 heures" is a time,
 * "dans deux heures" a duration); days and weeks to chrono ("dans 2 jours" is a date).
 */
const UNIT = [
  'minutes?',
  'mins?',
  'minutos?',
  'secondes?',
  'seconds?',
  'segundos?',
  'ans',
  'años',
  'anos',
  'years?(?:\\s+old)?',
  'yrs?',
  'euros?',
  'eur',
  '€',
  'dollars?',
  'dólares',
  'dolares',
  'usd',
  '\\$',
  '£',
  'pounds?',
  'dirhams?',
  'dhs?',
  'aed',
  'francs?',
  'chf',
  'fcfa',
  'cfa',
  'dinars?',
  'balles',
  'km',
  'kms',
  'kilomètres?',
  'kilometres?',
  'kilometers?',
  'kilómetros?',
  'kilometros?',
  'miles?',
  'mètres?',
  'metres?',
  'meters?',
  'metros?',
  'kg',
  'kilos?',
  'grammes?',
  'grams?',
  '%',
  'pour ?cent',
  'percent',
  'por ciento',
].join('|');
/** "€15", "$20": a currency sign before its amount. */
const SIGN_FIRST = String.raw`[€$£]\s*\d+(?:[.,]\d+)?`;
/** "6 et 8 ans", "10, 12 ou 15 euros": amounts listed before their one unit. */
const AMOUNTS = `${AMOUNT}(?:\\s*(?:,|et|and|y|ou|or|à|-)\\s*${AMOUNT})*`;
const MEASURE = new RegExp(
  `(?<![\\p{L}\\p{N}])(?:${AMOUNTS})\\s*(?:of\\s+|de\\s+|d')?(?:${UNIT})(?![\\p{L}\\p{N}])|${SIGN_FIRST}`,
  'gu',
);

/** "06 12 34 56 78", "+33 6 12 34 56 78", "0612345678": a phone number, whose pairs are no day nor hour. */
const PHONE = /(?<![\p{N}])(?:\+\d{1,3}[\s.-]?)?\d{1,2}(?:[\s.-]?\d{2}){4,}(?![\p{N}])/gu;

/**
 * The message with its numbers that fill no slot blanked: measured amounts ("septante-cinq
 * minutes", "il a 8 ans", "15 euros", "à 2 km"), a number with a unit of time, age, money or
 * distance being no party size and no hour in every Latin-script language, and phone numbers
 * (party-size.ts and latin-when.ts read what is left).
 */
export function withoutNonSlotNumbers(normalized: string): string {
  return normalized.replace(PHONE, ' ').replace(MEASURE, ' ');
}
