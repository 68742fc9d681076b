/// <reference path="./nlpjs.d.ts" />
import { StemmerAr } from '@nlpjs/lang-ar';
import { StemmerEn } from '@nlpjs/lang-en';
import { StemmerEs } from '@nlpjs/lang-es';
import { StemmerFr } from '@nlpjs/lang-fr';
import { ORDINAL_CLOCK } from '../arabic-when.js';
import type { Language } from '../types.js';

export type ModelLanguage = Exclude<Language, 'und'>;

const STEMMERS: Record<ModelLanguage, { stem(tokens: string[]): string[] }> = {
  en: new StemmerEn(),
  ar: new StemmerAr(),
  es: new StemmerEs(),
  fr: new StemmerFr(),
};

/**
 * Stems remembered per language: stemming is most of a feature extraction, a Latin message is
 * stemmed three times (intent-model.ts), and guests reuse few words. Bounded: cleared when full.
 */
const STEM_CACHE_SIZE = 50_000;
const stemCache: Record<ModelLanguage, Map<string, string>> = {
  en: new Map(),
  ar: new Map(),
  es: new Map(),
  fr: new Map(),
};

function stem(word: string, language: ModelLanguage): string {
  const cache = stemCache[language];
  let stemmed = cache.get(word);
  if (stemmed === undefined) {
    stemmed = STEMMERS[language].stem([word])[0] ?? word;
    if (cache.size >= STEM_CACHE_SIZE) cache.clear();
    cache.set(word, stemmed);
  }
  return stemmed;
}

/**
 * Words that negate what follows them in their clause. "no need to cancel, can we move it" is a
 * change: the words after a negation become features of their own ("!cancel"), so the model learns
 * that a negated cancel is not a cancellation (Das & Chen's negation marking, as in
 * https://en.wikipedia.org/wiki/Sentiment_analysis#Negation). "ما" and "مش" also begin Arabic
 * questions and verbs ("ما راح نجي", we won't come): marked the same way, the model learns both.
 */
const NEGATORS = new Set([
  'no',
  'not',
  'never',
  'dont',
  'without',
  'nunca',
  'sin',
  'ni',
  'pas',
  'ne',
  // French elides "ne" before a vowel: "je n'annule rien".
  'n',
  'jamais',
  'sans',
  'plus',
  'لا',
  'مو',
  'مش',
  'ما',
  'مب',
  'ليس',
  'لن',
  'بلاش',
  'بدون',
]);

/** Words that end a negation's reach: "not cancelling, just moving it". */
const CONTRASTS = new Set([
  'but',
  'just',
  'only',
  'instead',
  'rather',
  'pero',
  'sino',
  'solo',
  'mais',
  'juste',
  'plutôt',
  'plutot',
  'بس',
  'لكن',
  'بل',
  'وانما',
]);

/**
 * Arabic glues "and" onto a negation: "وما نقدر نجي" (and we can't come). Not "ولا", which is also
 * "or" ("فاتحين بكرة ولا عطلة؟").
 */
const AND_NEGATORS = new Set(['وما', 'ومش', 'ومو', 'ولن', 'ومب']);

/** "can't", "won't", "don't", "cannot": the negation as a word of its own. */
const CONTRACTED =
  /\b(can|won|don|didn|isn|aren|wasn|couldn|wouldn|shouldn|haven|hasn|doesn)'?t\b|\bcannot\b/g;
const CLAUSE_END = /[,.;:!?()\u2014\u2013\n]+|\s-\s/;

/**
 * The model's view of a normalized message: stems from NLP.js's stemmer of the language, digits
 * collapsed to one token (the rules read the numbers; the model only needs to know one was there),
 * negated words marked. Deterministic and allocation-light: it runs on every call.
 */
export function features(normalized: string, language: ModelLanguage): string[] {
  const out: string[] = [];
  // An Arabic clock ordinal is a number told in words ("الساعة الثانية عشرة"): a number to the model,
  // not "second" or "other" (words of a change).
  const numbered = language === 'ar' ? normalized.replace(ORDINAL_CLOCK, ' 0 ') : normalized;
  const text = numbered.replace(CONTRACTED, (word) =>
    word === 'cannot' ? 'can not' : `${word.slice(0, -2).replace(/'$/, '')} not`,
  );
  for (const clause of text.split(CLAUSE_END)) {
    const words = clause.split(/[^\p{L}\p{N}]+|(?<=\p{N})(?=\p{L})|(?<=\p{L})(?=\p{N})/u).filter(Boolean);
    let negated = false;
    for (const word of words) {
      const stemmed = /^\p{N}+$/u.test(word) ? '0' : stem(word, language);
      if (CONTRASTS.has(word)) negated = false;
      out.push(negated ? `!${stemmed}` : stemmed);
      if (NEGATORS.has(word) || (language === 'ar' && AND_NEGATORS.has(word))) negated = true;
    }
  }
  return out;
}
