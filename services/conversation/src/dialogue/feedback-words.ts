import { asciiDigits } from './reminder-words.js';

/**
 * A guest's words rating a visit, in any of the assistant's languages: a lone digit 1–5 ("4",
 * "٥", "5 stars", "4/5", "٥ نجوم") or a word that says it ("excellent", "ممتاز", "muy bien"). The
 * whole message must be the rating: "table for 4 at 8" is not one.
 */
const DIGIT =
  /^([1-5])\s*(\/\s*5|stars?|⭐+|نجوم|نجمة|نجمات|estrellas?|[ée]toiles?|points?|puntos?)?[\s!.]*$/iu;

/** Best first: "very good" is read before "good". */
const WORDS: [RegExp, number][] = [
  [
    /^(excellent|amazing|perfect|outstanding|ممتاز|ممتازة|رائع|رائعة|مذهل|excelente|perfecto|genial|parfait|génial|superbe)$/iu,
    5,
  ],
  [/^(very good|great|جيد جدا|جيد جدًا|جميل|muy bien|muy buena?|très bien|très bon(ne)?)$/iu, 4],
  [/^(good|ok|okay|fine|جيد|جيدة|كويس|مقبول|bien|buena?|bon(ne)?|correct)$/iu, 3],
  [/^(bad|poor|not good|سيء|سيئ|سيئة|مش كويس|mal[ao]?|regular|mauvais(e)?|moyen(ne)?|bof)$/iu, 2],
  [
    /^(terrible|awful|horrible|very bad|سيء جدا|سيء جدًا|سيئ جدا|فظيع|pésimo|p[ée]sima|horrible|très mauvais(e)?|nul(le)?)$/iu,
    1,
  ],
];

export function ratingIn(text: string): number | undefined {
  const normal = asciiDigits(text.trim().toLowerCase());
  const digit = DIGIT.exec(normal);
  if (digit?.[1]) return Number(digit[1]);
  const words = normal.replace(/[\s!.]+$/u, '');
  return WORDS.find(([pattern]) => pattern.test(words))?.[1];
}
