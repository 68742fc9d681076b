import { addDays, hhmm, isoDate, type LocalParts } from '@reserveit/time';
import { anyOf, normalize } from './normalize.js';

/**
 * Dates and times in Arabic (MSA and the common Gulf, Levantine and Egyptian spellings), table
 * driven because chrono-node's Arabic support misses colloquial forms ("بكرة", "بعد بكرة", "٨ ونص",
 * "بالليل"). Input is normalized text (see normalize.ts): ة→ه, أ/إ/آ→ا, ى→ي, Arabic digits→ASCII.
 */
export interface FoundWhen {
  date?: string;
  time?: string;
  /** The text without what was read as a date or time, so "الساعه 8" is not also 8 people. */
  rest: string;
  /** A day or time was taken back or moved from ("saturday, not friday", "بدل الجمعة"): a change. */
  corrected?: boolean;
  /**
   * Another day or time kept where one was taken back ("pas demain, jeudi"), not only a day negated
   * ("on ne viendra pas demain"). Read from Latin script only.
   */
  replaced?: boolean;
}

export function without(text: string, spans: string[]): string {
  let rest = text;
  for (const span of spans) rest = rest.replace(span, ' ');
  return rest;
}

/** Longest first, so "بعد بكره" wins over "بكره". */
const RELATIVE_DAYS: ReadonlyArray<readonly [string, number]> = [
  ...['بعد بكرة', 'بعد بكرا', 'بعد باكر', 'بعد غد', 'بعد الغد', 'بعد بكره']
    .map(normalize)
    .map((w) => [w, 2] as const),
  ['tomorrow', 1] as const,
  ...['بكرة', 'بكرا', 'بكره', 'غدا', 'غدًا', 'الغد', 'غدوة', 'باكر', 'باجر', 'بكرى']
    .map(normalize)
    .map((w) => [w, 1] as const),
  // English in an Arabic message ("ممكن table لشخصين tonight؟").
  ...['today', 'tonight'].map((w) => [w, 0] as const),
  ...['اليوم', 'لليوم', 'الليلة', 'لليلة', 'هالليلة', 'الليلة دي', 'النهارده', 'النهاردة', 'هاليوم']
    .map(normalize)
    .map((w) => [w, 0] as const),
];

/** Arabic weekday names → ISO weekday (1 = Monday … 7 = Sunday). */
const WEEKDAYS: ReadonlyArray<readonly [string, number]> = [
  // "يوم الحد": Egyptian and Maghrebi Sunday ("الحد" alone is also "the limit").
  ...['الأحد', 'يوم احد', 'يوم الحد', 'نهار الحد', 'الحد الجاي'].map(normalize).map((w) => [w, 7] as const),
  ...['الإثنين', 'الاتنين', 'يوم اثنين'].map(normalize).map((w) => [w, 1] as const),
  ...['الثلاثاء', 'الثلاثا', 'التلات', 'التلاتاء'].map(normalize).map((w) => [w, 2] as const),
  ...['الأربعاء', 'الاربعا', 'يوم الاربع'].map(normalize).map((w) => [w, 3] as const),
  ...['الخميس'].map(normalize).map((w) => [w, 4] as const),
  ...['الجمعة', 'جمعة', 'الجمعه'].map(normalize).map((w) => [w, 5] as const),
  ...['السبت'].map(normalize).map((w) => [w, 6] as const),
  // English in an Arabic message ("ابي booking next Friday").
  ...['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'].map(
    (w, i) => [w, i + 1] as const,
  ),
];

const NEXT_WEEK = new RegExp(anyOf(['الجاي', 'الجاية', 'القادم', 'القادمة', 'الجايه', 'اللي جاي', 'الجايي']));

/**
 * The week after this one named beside a weekday: "السبت الاسبوع الجاي", "الخميس من الأسبوع
 * القادم", "الجمعة يلي بعد الجاية", "next Friday". The weekday of next week (Monday to Sunday), as
 * the English corpus reads "next friday" (2026-12-04 from Monday 2026-11-23); "الجمعة الجاية"
 * alone stays the coming Friday.
 */
const WEEK_AFTER = new RegExp(
  `${normalize('اسبوع')}\\s+(?:${anyOf(['الجاي', 'الجاية', 'القادم', 'الجايي', 'اللي جاي', 'الياي'])})|(?:${anyOf(['اللي', 'يلي', 'الي'])})\\s+${normalize('بعد')}\\s+(?:${anyOf(['الجاي', 'الجاية', 'القادم', 'القادمة'])})|(?<![\\p{L}])next\\s+(?:mon|tue|wed|thu|fri|sat|sun)`,
  'u',
);

const MONTHS: ReadonlyArray<readonly [string, number]> = [
  'يناير',
  'فبراير',
  'مارس',
  'أبريل',
  'مايو',
  'يونيو',
  'يوليو',
  'أغسطس',
  'سبتمبر',
  'أكتوبر',
  'نوفمبر',
  'ديسمبر',
]
  .map(normalize)
  .map((w, i) => [w, i + 1] as const);
/**
 * The Levantine and Iraqi month names ("١٥ كانون الأول") and the Maghrebi ones taken from French
 * ("١٥ جانفي"), where they differ from the Egyptian and Gulf ones above.
 */
const OTHER_MONTHS: ReadonlyArray<readonly [string, number]> = [
  ...['كانون الثاني', 'شباط', 'آذار', 'نيسان', 'أيار', 'حزيران', 'تموز', 'آب', 'أيلول', 'تشرين الأول']
    .map(normalize)
    .map((w, i) => [w, i + 1] as const),
  ...['تشرين الثاني', 'كانون الأول'].map(normalize).map((w, i) => [w, i + 11] as const),
  ...(
    [
      ['جانفي', 1],
      ['فيفري', 2],
      ['أفريل', 4],
      ['ماي', 5],
      ['جوان', 6],
      ['جويلية', 7],
      ['أوت', 8],
    ] as const
  ).map(([w, month]) => [normalize(w), month] as const),
];
const ALL_MONTHS = [...MONTHS, ...OTHER_MONTHS];

/** Hour words; the longer forms first so "احدعش" is not read as "احد". */
export const ARABIC_NUMBER_WORDS: ReadonlyArray<readonly [string, number]> = [
  ...['اثنا عشر', 'اثني عشر', 'اطنعش', 'اتناشر', 'اثنعش'].map(normalize).map((w) => [w, 12] as const),
  ...['أحد عشر', 'احدى عشر', 'احدعش', 'حداشر'].map(normalize).map((w) => [w, 11] as const),
  ...['عشرة', 'عشر'].map(normalize).map((w) => [w, 10] as const),
  ...['تسعة', 'تسع'].map(normalize).map((w) => [w, 9] as const),
  ...['ثمانية', 'تمانية', 'تمانة', 'ثمان', 'تمان', 'ثماني', 'تمنية', 'ثمنية', 'تمن']
    .map(normalize)
    .map((w) => [w, 8] as const),
  ...['سبعة', 'سبع'].map(normalize).map((w) => [w, 7] as const),
  ...['ستة', 'ست'].map(normalize).map((w) => [w, 6] as const),
  ...['خمسة', 'خمس'].map(normalize).map((w) => [w, 5] as const),
  ...['أربعة', 'اربع'].map(normalize).map((w) => [w, 4] as const),
  ...['ثلاثة', 'تلاتة', 'ثلاث', 'تلات'].map(normalize).map((w) => [w, 3] as const),
  ...['اثنين', 'اتنين', 'ثنتين', 'اثنتين'].map(normalize).map((w) => [w, 2] as const),
  ...['واحدة', 'واحد'].map(normalize).map((w) => [w, 1] as const),
];

/**
 * Ordinal clock words, the usual way to tell the time in Arabic ("الساعة التاسعة", "الحادية
 * عشرة", "السابعة والنصف": the ninth, eleventh hour). Only for times: "الثالثة" is no head count.
 */
const ORDINAL_HOURS_WITH_ARTICLE: ReadonlyArray<readonly [string, number]> = [
  ...['الثانية عشرة', 'الثانية عشر', 'الثاني عشر'].map(normalize).map((w) => [w, 12] as const),
  ...['الحادية عشرة', 'الحادية عشر', 'الحادي عشر'].map(normalize).map((w) => [w, 11] as const),
  ...['العاشرة'].map(normalize).map((w) => [w, 10] as const),
  ...['التاسعة'].map(normalize).map((w) => [w, 9] as const),
  ...['الثامنة'].map(normalize).map((w) => [w, 8] as const),
  ...['السابعة'].map(normalize).map((w) => [w, 7] as const),
  ...['السادسة'].map(normalize).map((w) => [w, 6] as const),
  ...['الخامسة'].map(normalize).map((w) => [w, 5] as const),
  ...['الرابعة'].map(normalize).map((w) => [w, 4] as const),
  ...['الثالثة'].map(normalize).map((w) => [w, 3] as const),
  ...['الثانية'].map(normalize).map((w) => [w, 2] as const),
  ...['الواحدة'].map(normalize).map((w) => [w, 1] as const),
];
/** "نغير الساعة للتاسعة" (to the ninth): "ل" before the article swallows its alef. */
const ORDINAL_HOURS: ReadonlyArray<readonly [string, number]> = [
  ...ORDINAL_HOURS_WITH_ARTICLE,
  ...ORDINAL_HOURS_WITH_ARTICLE.map(([word, hour]) => [`لل${word.slice(2)}`, hour] as const),
];
const ORDINAL_HOUR = ORDINAL_HOURS.map(([word]) => word).join('|');
/**
 * An ordinal that tells the time: the two-word ones ("الثانية عشرة") anywhere, a one-word one after
 * "الساعة" ("الساعة الثانية"; alone "الثانية" may be "the other one").
 */
export const ORDINAL_CLOCK = new RegExp(
  `(?<![\\p{L}])(?:${ORDINAL_HOURS.map(([word]) => word)
    .filter((word) => word.includes(' '))
    .join('|')}|(?<=${normalize('الساعة')}\\s+)(?:${ORDINAL_HOUR}))(?![\\p{L}])`,
  'gu',
);
const HOUR_WORD = ARABIC_NUMBER_WORDS.map(([word]) => word).join('|');
const PM = anyOf([
  'مساء',
  'مساءا',
  'مساءً',
  'المسا',
  'المساء',
  'بالليل',
  'في الليل',
  'ليلا',
  'بليل',
  'العصر',
  'الظهر',
  'م',
  'بعد الظهر',
  'ظهرا',
  'الضهر',
  'عصرا',
  'بالمسا',
  'بالمساء',
  // "٧ المغرب": at the sunset prayer, in the evening.
  'المغرب',
  // Maghrebi "ديال الليل" (of the night), "فالعشية" (in the afternoon).
  'ديال الليل',
  'د الليل',
  'فالليل',
  'ديال العشية',
  'فالعشية',
  'pm',
]);
const AM = anyOf(['صباحا', 'صباحاً', 'الصبح', 'الصباح', 'صباح', 'بالصبح', 'ص', 'am']);
const FRACTION = anyOf([
  'ونص',
  'و نص',
  'ونصف',
  'و نصف',
  'وربع',
  'و ربع',
  'الا ربع',
  'إلا ربع',
  'الا ثلث',
  // MSA's accusative: "العاشرة إلا ربعاً".
  'الا ربعا',
  'الا ثلثا',
  'وثلث',
  'و ثلث',
  'والنصف',
  'و النصف',
  'والنص',
  'و النص',
  'والربع',
  'و الربع',
  'الا الربع',
  'والثلث',
  'الا الثلث',
]);

const L = '(?<![\\p{L}\\p{N}])';
const R = '(?![\\p{L}\\p{N}])';
/** "٨ و ٤٥", "٩ و١٠ دقايق": minutes after "و" (two digits, so "٨ و ٤ أشخاص" keeps its count). */
const AND_MINUTES = `\\s*${normalize('و')}\\s*(\\d{2})(?:\\s*(?:${anyOf(['دقيقة', 'دقائق', 'دقايق', 'د'])}))?`;
/** Maghrebi "مع الثمنية" (at eight): "مع" and the article before an hour word. */
const MAGHREBI_AT = `${normalize('مع')}\\s+(?:${normalize('ال')})?`;
/**
 * "حوالي ٦", "تقريبا ٨" (about), "ع ٧", "عالتمانة" (at): an hour told roughly or with "at" and
 * no "الساعة". The rough ones are also counts ("تقريبا ٦" answers "how many?"), so findTime keeps
 * them only beside a day or a verb of coming. A bare "على ٩" stays unread: for nine or at nine
 * (corpus/ar.jsonl: "احجزولي بكرة على ٩").
 */
const ROUGHLY = anyOf(['حوالي', 'حوالى', 'تقريبا', 'تقريباً', 'بحدود']);
const AT = `${normalize('ع')}\\s+|${normalize('عال')}(?=\\p{L})`;
/**
 * "مدري وش الوقت المناسب، يمكن ٨": the hour the guest is unsure of, then told roughly, is the hour,
 * as a count told so is the count (party-size.ts).
 */
const TIME_NAMED = `(?:${anyOf(['الوقت', 'الساعة', 'الموعد'])})(?:\\s+\\p{L}+){0,3}[\\s,.]+`;
const UNSURE_HOUR = `(?<=${TIME_NAMED})(?:${ROUGHLY}|${anyOf(['يمكن', 'احتمال'])})\\s+`;
const TIME_NAMED_BEFORE = new RegExp(`${TIME_NAMED}$`, 'u');
/** "مش قبل ١٠" (not before ten): the earliest hour the guest can come, the one to book. */
const NOT_BEFORE = `(?:${anyOf(['مش', 'مو', 'مب', 'ما'])})\\s+${normalize('قبل')}\\s+`;
const TIME = new RegExp(
  `${L}((?:ال|لل|ل|بال|ع|عال)?ساعه\\s*|ل|${MAGHREBI_AT}|${UNSURE_HOUR}|(?:${ROUGHLY})\\s+|${AT}|${NOT_BEFORE})?(\\d{1,2}|${ORDINAL_HOUR}|${HOUR_WORD})(?:[:.](\\d{2})|${AND_MINUTES})?\\s*(${FRACTION})?\\s*(${PM}|${AM})?${R}`,
  'gu',
);
const DAY_MONTH_NUMERIC = new RegExp(`${L}(\\d{1,2})/(\\d{1,2})(?:/(\\d{2,4}))?${R}`, 'u');
/**
 * A day of the month alone ("يوم ١٥", "بتاريخ 15", "١٥ الشهر"): the next such day. After "يوم" or
 * "بتاريخ", or before "الشهر"; a bare number is a count or an hour.
 */
const DAY_OF_MONTH = new RegExp(
  `${L}(?:(?:${anyOf(['يوم', 'ليوم', 'بيوم', 'بتاريخ', 'تاريخ'])})\\s+(\\d{1,2})${R}(?!\\s*[:.]\\d)|(\\d{1,2})\\s+(?:${anyOf(['الشهر', 'من الشهر', 'بالشهر'])})${R})`,
  'u',
);
const DAY_MONTH_NAME = new RegExp(
  `${L}(\\d{1,2})\\s*(?:من\\s*)?(${ALL_MONTHS.map(([w]) => w).join('|')})${R}`,
  'u',
);

/** "بعد يومين", "بعد ٣ أيام": days from today. */
const IN_DAYS = new RegExp(
  `(?<![\\p{L}])${normalize('بعد')}\\s+(?:(${normalize('يومين')})|(\\d{1,2}|${HOUR_WORD})\\s+(?:${anyOf(['أيام', 'ايام', 'يوم'])}))${R}`,
  'u',
);

export function arabicWhen(text: string, today: LocalParts): FoundWhen {
  const spans: string[] = [];
  const date = findDate(text, today, spans);
  const time = findTime(text, spans, date !== undefined || COMING.test(text));
  const corrected = (date !== undefined || time !== undefined) && REPLACED_VALUE.test(text);
  return {
    ...(date ? { date } : {}),
    ...(time ? { time } : {}),
    rest: without(text, spans),
    ...(corrected ? { corrected } : {}),
  };
}

/**
 * The words that name a day or an hour, with "لل" for the article after "ل" ("للخميس"): what
 * "مو"/"بدل" may replace. Not any word with the article: "مو الغاء، حجز جديد" replaces nothing.
 */
const withArticleAfterL = (words: string[]) => {
  const article = normalize('ال');
  return [...words, ...words.filter((word) => word.startsWith(article)).map((word) => `لل${word.slice(2)}`)];
};
const longestFirst = (words: string[]) => words.sort((a, b) => b.length - a.length).join('|');
const DAY_OR_HOUR_WORDS = longestFirst([
  ...withArticleAfterL([...RELATIVE_DAYS, ...WEEKDAYS, ...ORDINAL_HOURS].map(([word]) => word)),
  ...['الساعة', 'الموعد', 'الوقت'].map(normalize),
  ...ARABIC_NUMBER_WORDS.map(([word]) => word),
]);
/** The words that name a day ("بكرة", "الخميس", "للجمعة"), longest first. */
export const DAY_WORD = longestFirst(
  withArticleAfterL([...RELATIVE_DAYS, ...WEEKDAYS].map(([word]) => word)),
);
const DAY_THEN_BARE_HOUR = new RegExp(
  `(?<![\\p{L}])(${DAY_WORD})\\s+(1[0-2]|[1-9]|${HOUR_WORD})(?=\\s*(?:[,.?!]|$|${FRACTION}))`,
  'u',
);

/**
 * "ثلاثة بكرة ٩", "لي ولزوجتي الخميس ٨": a bare number right after the day, once the count was told
 * apart, is the hour (corpus/ar.jsonl); written with "الساعة" so arabicWhen reads it as one.
 */
export function withHourAfterDay(text: string): string {
  return text.replace(DAY_THEN_BARE_HOUR, `$1 ${normalize('الساعة')} $2`);
}

/** "بدل الجمعة", "مو السابعة", "بدال الساعة تسعة": a day or an hour the guest replaces. */
const REPLACED_VALUE = new RegExp(
  `(?:${anyOf(['بدل', 'بدال', 'بدلا من', 'مو', 'مش', 'مب'])})\\s+(?:${normalize('يوم')}\\s+)?(?:\\d|(?:${DAY_OR_HOUR_WORDS})(?![\\p{L}]))`,
  'u',
);

/** "Now" is today's date (issue 17: a guest who wants a table now wants one today), no time. */
const NOW = new RegExp(
  `(?<![\\p{L}])(?:${anyOf(['الآن', 'الان', 'الحين', 'دحين', 'دلوقتي', 'هلق', 'هسه', 'حالا'])})(?![\\p{L}])`,
  'u',
);

/**
 * Each relative day as a whole word at its end ("غدا", tomorrow, is not the start of "غداء", lunch)
 * and with no article of its own ("الغدا" is lunch too).
 */
const RELATIVE_DAY_PATTERNS = RELATIVE_DAYS.map(
  ([word, offset]) =>
    [new RegExp(`${word.startsWith('ال') ? '' : '(?<!ال)'}${word}(?![\\p{L}])`, 'gu'), word, offset] as const,
);
const THE_DAY = normalize('اليوم');
const THE_DAY_BEFORE = new RegExp(
  `(?:ب|(?:${anyOf(['في', 'غير', 'اغير', 'نغير', 'تغير', 'بدل', 'ابدل', 'نبدل', 'نفس'])})\\s+)$`,
  'u',
);

/**
 * What comes before a weekday the guest replaces or moves from: "بدل (يوم) الجمعة", "مو الجمعة",
 * "من الجمعة للسبت".
 */
const REPLACED_BEFORE = new RegExp(
  `(?<![\\p{L}])(?:${anyOf(['بدل', 'بدال', 'بدلا من', 'مو', 'مش', 'مب', 'ليس', 'من'])})\\s+(?:${normalize('يوم')}\\s+)?(?:ال)?$`,
  'u',
);

function findDate(text: string, today: LocalParts, spans: string[]): string | undefined {
  const inDays = IN_DAYS.exec(text);
  if (inDays) {
    const days = inDays[1]
      ? 2
      : /^\d+$/.test(inDays[2] ?? '')
        ? Number(inDays[2])
        : wordValue(inDays[2] ?? '');
    if (days !== undefined && days <= 60) {
      spans.push(inDays[0]);
      return addDays(today.date, days);
    }
  }
  // The day the guest wants of the relative days and weekdays written: the last one not replaced
  // ("الحجز بكرة، نخليه بعد بكرة", "السبت بدل الجمعة", "لليوم بدل بكرة"), the first if all are.
  const days: { spelled: string; at: number; end: number; date: string; replaced: boolean }[] = [];
  const add = (spelled: string, at: number, date: string) =>
    days.push({
      spelled,
      at,
      end: at + spelled.length,
      date,
      replaced: REPLACED_BEFORE.test(text.slice(0, at)),
    });
  for (const [pattern, word, offset] of RELATIVE_DAY_PATTERNS) {
    for (const match of text.matchAll(pattern)) {
      // "غلطت باليوم" (I got the day wrong), "ابي اغير اليوم للجمعة" (change the day to Friday):
      // there "اليوم" is "the day", not today.
      if (word === THE_DAY && THE_DAY_BEFORE.test(text.slice(0, match.index))) continue;
      add(match[0], match.index, addDays(today.date, offset));
    }
  }
  for (const [word, weekday] of WEEKDAYS) {
    let ahead = (weekday - today.isoWeekday + 7) % 7;
    if (WEEK_AFTER.test(text)) ahead = weekday - today.isoWeekday + 7;
    else if (ahead === 0 && NEXT_WEEK.test(text)) ahead = 7;
    // "للسبت" (to Saturday): "ل" before the article swallows its alef.
    for (const spelled of word.startsWith('ال') ? [word, `لل${word.slice(2)}`] : [word]) {
      const at = text.indexOf(spelled);
      if (at >= 0) add(spelled, at, addDays(today.date, ahead));
    }
  }
  // A day inside a longer one ("بكرة" in "بعد بكرة") is no day of its own.
  const whole = days
    .filter(
      (day) =>
        !days.some(
          (other) => other.at <= day.at && other.end >= day.end && other.end - other.at > day.end - day.at,
        ),
    )
    .sort((a, b) => a.at - b.at);
  const chosen = whole.filter((day) => !day.replaced).at(-1) ?? whole[0];
  if (chosen) {
    spans.push(chosen.spelled);
    return chosen.date;
  }
  const numeric = DAY_MONTH_NUMERIC.exec(text);
  if (numeric) {
    spans.push(numeric[0]);
    return upcoming(today, Number(numeric[2]), Number(numeric[1]));
  }
  const named = DAY_MONTH_NAME.exec(text);
  if (named) {
    spans.push(named[0]);
    const month = ALL_MONTHS.find(([word]) => word === named[2])?.[1] ?? 1;
    return upcoming(today, month, Number(named[1]));
  }
  const dayOfMonth = DAY_OF_MONTH.exec(text);
  if (dayOfMonth) {
    spans.push(dayOfMonth[0]);
    const day = Number(dayOfMonth[1] ?? dayOfMonth[2]);
    return upcoming(today, day >= today.day ? today.month : (today.month % 12) + 1, day);
  }
  const now = NOW.exec(text);
  if (now) {
    spans.push(now[0]);
    return today.date;
  }
  return undefined;
}

const wordValue = (word: string) => ARABIC_NUMBER_WORDS.find(([spelled]) => spelled === word)?.[1];

/** The next date with this month and day, this year or next (a booking is never in the past). */
function upcoming(today: LocalParts, month: number, day: number): string | undefined {
  if (month < 1 || month > 12 || day < 1 || day > 31) return undefined;
  const thisYear = month > today.month || (month === today.month && day >= today.day);
  return isoDate(thisYear ? today.year : today.year + 1, month, day);
}

/** What comes before an hour the guest replaces or moves from: "بدل الساعة ٨", "مو الثامنة", "من الساعة ٨". */
const REPLACED_HOUR_BEFORE = new RegExp(
  `(?<![\\p{L}])(?:${anyOf(['بدل', 'بدال', 'بدلا من', 'مو', 'مش', 'مب', 'ليس', 'من'])})\\s*$`,
  'u',
);

/**
 * The hour the guest wants: of several ("عندي حجز الساعة ٨، نخليه الساعة ٩"), the last one not
 * replaced ("الساعة ٩ بدل الساعة ٨").
 */
function findTime(text: string, spans: string[], bookingHour: boolean): string | undefined {
  if (EITHER_HOUR.test(text)) return undefined;
  let chosen: { time: string; whole: string; replaced: boolean } | undefined;
  for (const match of text.matchAll(TIME)) {
    const [whole, clock, hourText = '', colonMinutes, andMinutes, fraction, meridiem] = match;
    const minuteText = colonMinutes ?? andMinutes;
    const roughOnly = clock && ROUGH_CLOCK.test(clock) && !minuteText && !fraction && !meridiem;
    if (roughOnly && !bookingHour && !TIME_NAMED_BEFORE.test(text.slice(0, match.index))) continue;
    const ordinal = ORDINAL_HOURS.find(([word]) => word === hourText)?.[1];
    // A bare number is a party size or an answer, not a time: it needs "الساعه", minutes, a
    // fraction or a meridiem. An ordinal ("التاسعه") only ever tells the time.
    if (!clock && !minuteText && !fraction && !meridiem && ordinal === undefined) continue;
    let hour = /^\d+$/.test(hourText)
      ? Number(hourText)
      : (ordinal ?? ARABIC_NUMBER_WORDS.find(([word]) => word === hourText)?.[1] ?? -1);
    let minute = minuteText ? Number(minuteText) : 0;
    if (hour < 0 || hour > 23 || minute > 59) continue;
    if (fraction) {
      if (/نص/.test(fraction)) minute = 30;
      else if (/الا (?:ال)?ربع/.test(fraction)) {
        hour = hour === 0 ? 23 : hour - 1;
        minute = 45;
      } else if (/ربع/.test(fraction)) minute = 15;
      else if (/الا (?:ال)?ثلث/.test(fraction)) {
        hour = hour === 0 ? 23 : hour - 1;
        minute = 40;
      } else minute = 20;
    }
    const isAm = meridiem !== undefined && new RegExp(`^(?:${AM})$`, 'u').test(meridiem);
    const isPm = meridiem !== undefined && !isAm;
    // "٠٣:٠٠": a leading zero writes a 24-hour clock (as in latin-when.ts).
    if (!(hourText.length === 2 && hourText.startsWith('0') && colonMinutes))
      hour = dinnerHour(hour, isAm, isPm);
    const replaced = REPLACED_HOUR_BEFORE.test(text.slice(0, match.index));
    if (!chosen || !replaced || chosen.replaced)
      chosen = { time: hhmm(hour, minute), whole: whole.trim(), replaced };
  }
  // "نقدم الموعد من ٩ لـ ٨": an hour moved from one to another, told bare beside a word of time.
  // "الساعة ٩، نقدمه لـ ٨": the booking moved to an hour; "غير الوقت ل ٨" only when no hour was told.
  const timeWord = TIME_WORD.test(text);
  for (const movedTo of [
    timeWord ? FROM_TO_HOUR : undefined,
    timeWord ? MOVED_TO_HOUR : undefined,
    chosen ? undefined : TIME_WORD_TO_HOUR,
  ]) {
    const moved = movedTo?.exec(text);
    const to = moved ? hourValue(moved[1] ?? '') : undefined;
    if (moved && to !== undefined && to >= 1 && to <= 12) {
      spans.push(moved[0]);
      return hhmm(dinnerHour(to, false, false), 0);
    }
  }
  if (!chosen) {
    // "لا قصدي ٩ مش ٨", "مش ٨، قصدي ٩", "بدل ٩ نخليه ٨", "بدل ٨ تصير ٩": bare hours, one taken
    // back, the other kept; not beside people ("معانا طفل، يعني ٥ مش ٤"), and a count taken back
    // ("احنا ٥ مو ٤") was read before as a party size.
    const pair = (PEOPLE_NAMED.test(text) ? null : KEPT_NOT_HOUR.exec(text)) ?? REPLACED_THEN_HOUR.exec(text);
    const kept = pair ? hourValue(pair[1] ?? pair[2] ?? pair[3] ?? '') : undefined;
    if (!pair || kept === undefined || kept < 1 || kept > 12) return undefined;
    spans.push(pair[0]);
    return hhmm(dinnerHour(kept, false, false), 0);
  }
  spans.push(chosen.whole);
  // "بدل الساعة تسعة خليها عشرة", "ما راح نوصل الساعة ٨، ممكن نخليها ٩": the hour told with "الساعة"
  // is replaced or followed by "make it …"; the bare one after it is the new one.
  const following = text.slice(text.indexOf(chosen.whole) + chosen.whole.length);
  const after = chosen.replaced ? BARE_HOUR.exec(following) : MAKE_IT_HOUR.exec(following);
  const hour = after
    ? /^\d+$/.test(after[1] ?? '')
      ? Number(after[1])
      : wordValue(after[1] ?? '')
    : undefined;
  if (hour !== undefined && hour >= 1 && hour <= 12) return hhmm(dinnerHour(hour, false, false), 0);
  return chosen.time;
}

const ROUGH_CLOCK = new RegExp(`^(?:${ROUGHLY})\\s`, 'u');
/** "بنجي", "نوصل", "جايين" (we come, we arrive): a rough number beside them is an hour. */
const COMING = new RegExp(
  `(?<![\\p{L}])(?:${anyOf(['نجي', 'بنجي', 'رح نجي', 'نيجي', 'هنيجي', 'حنجي', 'نوصل', 'بنوصل', 'راح نوصل', 'جايين', 'واصلين', 'نكون عندكم', 'بنكون عندكم', 'نمر', 'بنمر'])})(?![\\p{L}])`,
  'u',
);
const hourValue = (text: string) => (/^\d+$/.test(text) ? Number(text) : wordValue(text));
/** A word of time ("الموعد", "الوقت"): "من ٩ لـ ٨" beside it moves an hour, not a head count. */
export const TIME_WORD = new RegExp(anyOf(['الساعة', 'الموعد', 'الوقت', 'موعد', 'وقت']), 'u');
export const FROM_TO_HOUR = new RegExp(
  `(?<![\\p{L}])${normalize('من')}\\s+(?:\\d{1,2}|${HOUR_WORD})\\s+(?:${anyOf(['لل', 'ل', 'الى', 'إلى'])})\\s*(\\d{1,2}|${HOUR_WORD})${R}`,
  'u',
);
/** Not before people: "ل ٤ اشخاص" is a head count, whatever comes before it. */
const NO_PEOPLE = `(?!\\s*(?:${anyOf(['اشخاص', 'أشخاص', 'شخص', 'افراد', 'أفراد', 'نفر', 'ناس', 'كراسي'])}))`;
/**
 * "الساعة ٨ ولا ٩ ما تذكرت" (8 or 9, I don't remember): two hours the guest is unsure between, so
 * neither is the hour; not two counts ("٤ ولا ٥ اشخاص").
 */
const EITHER_HOUR = new RegExp(
  `${L}(?:\\d{1,2}|${HOUR_WORD}|${ORDINAL_HOUR})(?::\\d{2}|\\s*(?:${FRACTION}))?\\s+(?:${anyOf(['ولا', 'او', 'أو', 'والا'])})\\s+(?:${normalize('الساعة')}\\s+)?(?:\\d{1,2}|${HOUR_WORD}|${ORDINAL_HOUR})${R}${NO_PEOPLE}`,
  'u',
);
/**
 * "غير الوقت ل ٨", "نبدل الساعة ديال الحجز لـ 10": a word of time, a few words, then "to" and an
 * hour; never a head count ("الموعد بكرة ل ٤ اشخاص") nor past a number ("الساعة ٨ ل ٤").
 */
export const TIME_WORD_TO_HOUR = new RegExp(
  `(?<![\\p{L}])(?:${anyOf(['الساعة', 'الموعد', 'الوقت', 'موعد', 'وقت', 'ميعاد'])})(?:\\s+(?!(?:${HOUR_WORD}|${ORDINAL_HOUR})${R})\\p{L}+){0,3}?\\s+(?:${anyOf(['لل', 'ل', 'لـ', 'الى', 'إلى'])})\\s*(\\d{1,2}|${HOUR_WORD})${R}${NO_PEOPLE}`,
  'u',
);
/**
 * "الساعة ٩، نبي نقدمه لـ ٨", "نأخرها لعشرة": a verb that moves the booking, its pronoun, "to" and
 * an hour (beside a word of time); the hour it is moved to, never a head count.
 */
export const MOVED_TO_HOUR = new RegExp(
  `(?<![\\p{L}])(?:${anyOf(['نقدم', 'اقدم', 'قدم', 'تقدم', 'نأخر', 'اأخر', 'اخر', 'تأخر', 'نأجل', 'اأجل', 'نخلي', 'خلي', 'تخلي', 'ننقل', 'انقل'])})(?:${anyOf(['ه', 'ها', 'وه', 'وها', 'و'])})\\s+(?:${anyOf(['لل', 'ل', 'لـ', 'الى', 'إلى'])})\\s*(\\d{1,2}|${HOUR_WORD})${R}${NO_PEOPLE}`,
  'u',
);
const NOT = anyOf(['مش', 'مو', 'مب', 'وليس', 'ليس', 'بدل', 'بدال']);
/** "قصدي ٩ مش ٨", "مش ٨، قصدي ٩" (I mean 9, not 8), "٨ بدل ٧" (8 instead of 7): the hour meant. */
const I_MEAN = anyOf(['قصدي', 'اقصد', 'قصدنا', 'نقصد']);
const INSTEAD_OF = anyOf(['بدل', 'بدال', 'بدلا من']);
const KEPT_NOT_HOUR = new RegExp(
  `(?<![\\p{L}])(?:(?:${I_MEAN})\\s+(\\d{1,2}|${HOUR_WORD})\\s+(?:${NOT})\\s+(?:\\d{1,2}|${HOUR_WORD})|(?:${NOT})\\s+(?:\\d{1,2}|${HOUR_WORD})[\\s,.،]+(?:${I_MEAN})\\s+(\\d{1,2}|${HOUR_WORD})|(?<![\\p{L}\\p{N}])(\\d{1,2}|${HOUR_WORD})\\s+(?:${INSTEAD_OF})\\s+(?:${normalize('ال')})?(?:\\d{1,2}|${HOUR_WORD}))${R}`,
  'u',
);
const PEOPLE_NAMED = new RegExp(anyOf(['شخص', 'اشخاص', 'افراد', 'طفل', 'اطفال', 'نفر', 'كبار']), 'u');
const REPLACED_THEN_HOUR = new RegExp(
  `(?<![\\p{L}])(?:${anyOf(['بدل', 'بدال', 'بدلا من'])})\\s+(?:\\d{1,2}|${HOUR_WORD})\\s+(?:${anyOf(['نخليه', 'نخليها', 'خليه', 'خليها', 'خلوه', 'خلوها', 'تخلوه', 'تخلوها', 'نحطه', 'حطوه', 'تصير', 'يصير', 'تكون', 'يكون'])})\\s+(?:${anyOf(['لل', 'ل', 'لـ', 'الى'])})?\\s*(\\d{1,2}|${HOUR_WORD})${R}${NO_PEOPLE}`,
  'u',
);
const BARE_HOUR = new RegExp(`${L}(\\d{1,2}|${HOUR_WORD})${R}`, 'u');
const MAKE_IT_HOUR = new RegExp(
  `(?<![\\p{L}])(?:${anyOf(['خلي', 'خلو', 'نخلي', 'تخلو', 'تخلي', 'اخلي'])})(?:${anyOf(['ها', 'ه', 'هـا', 'وها', 'وه', 'نه', 'نها'])})\\s+(\\d{1,2}|${HOUR_WORD})${R}`,
  'u',
);

/**
 * A restaurant hears "at 8" as 8 in the evening: a bare hour from 1 to 10 is afternoon or
 * evening unless the guest said morning; 11 and 12 stay as they are (late morning, noon).
 */
export function dinnerHour(hour: number, isAm: boolean, isPm: boolean): number {
  if (hour > 12) return hour;
  if (isAm) return hour === 12 ? 0 : hour;
  if (isPm) return hour === 12 ? 12 : hour + 12;
  return hour >= 1 && hour <= 10 ? hour + 12 : hour;
}
