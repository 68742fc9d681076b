import {
  ARABIC_NUMBER_WORDS,
  DAY_WORD,
  FROM_TO_HOUR,
  MOVED_TO_HOUR,
  TIME_WORD,
  TIME_WORD_TO_HOUR,
} from './arabic-when.js';
import { anyOf, normalize } from './normalize.js';

/** English number words up to twenty; times use the first twelve ("eight thirty"). */
export const ENGLISH_NUMBER_WORDS: Readonly<Record<string, number>> = {
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  thirteen: 13,
  fourteen: 14,
  fifteen: 15,
  sixteen: 16,
  seventeen: 17,
  eighteen: 18,
  nineteen: 19,
  twenty: 20,
};

/**
 * French tens with their units, for banquets counted in words: "vingt-cinq", "trente et un",
 * "septante-deux", and after "soixante" and "quatre-vingt" the teens ("soixante-quinze").
 */
const FRENCH_TENS: ReadonlyArray<readonly [string, number]> = [
  ['vingt', 20],
  ['trente', 30],
  ['quarante', 40],
  ['cinquante', 50],
  ['soixante', 60],
  ['septante', 70],
  ['huitante', 80],
  ['octante', 80],
  ['nonante', 90],
  ['quatre-vingt', 80],
];
const FRENCH_UNITS = ['deux', 'trois', 'quatre', 'cinq', 'six', 'sept', 'huit', 'neuf'];
const FRENCH_TEENS = [
  'onze',
  'douze',
  'treize',
  'quatorze',
  'quinze',
  'seize',
  'dix-sept',
  'dix-huit',
  'dix-neuf',
];
const FRENCH_COMPOUNDS: ReadonlyArray<readonly [string, number]> = FRENCH_TENS.flatMap(([ten, value]) => [
  ...(ten === 'quatre-vingt' ? [[`${ten}-un`, value + 1] as const] : []),
  ...(ten === 'quatre-vingt'
    ? []
    : [[`${ten} et un`, value + 1] as const, [`${ten}-et-un`, value + 1] as const]),
  ...FRENCH_UNITS.map((unit, i) => [`${ten}-${unit}`, value + i + 2] as const),
  ...(ten === 'soixante' || ten === 'quatre-vingt'
    ? FRENCH_TEENS.map((teen, i) => [`${ten}-${teen}`, value + i + 11] as const)
    : []),
]);

/** Small numbers as words in every supported language (normalized spellings). */
export const NUMBER_WORDS: ReadonlyMap<string, number> = new Map<string, number>([
  ...Object.entries({
    ...ENGLISH_NUMBER_WORDS,
    dozen: 12,
    'a dozen': 12,
    couple: 2,
    'a couple': 2,
    'un couple': 2,
    'une douzaine': 12,
    douzaine: 12,
    // "une huitaine de personnes", "une dizaine": about eight, about ten.
    'une huitaine': 8,
    huitaine: 8,
    'une dizaine': 10,
    dizaine: 10,
    'une quinzaine': 15,
    quinzaine: 15,
    'une vingtaine': 20,
    vingtaine: 20,
    'une trentaine': 30,
    trentaine: 30,
    'una docena': 12,
    docena: 12,
    uno: 1,
    una: 1,
    dos: 2,
    tres: 3,
    cuatro: 4,
    cinco: 5,
    seis: 6,
    siete: 7,
    ocho: 8,
    nueve: 9,
    diez: 10,
    doce: 12,
    un: 1,
    une: 1,
    deux: 2,
    trois: 3,
    quatre: 4,
    cinq: 5,
    sept: 7,
    huit: 8,
    neuf: 9,
    dix: 10,
    onze: 11,
    douze: 12,
    treize: 13,
    quatorze: 14,
    quinze: 15,
    seize: 16,
    vingt: 20,
    // Tens for banquets, with Belgium's and Switzerland's "septante", "huitante", "nonante" and
    // France's "soixante-dix", "quatre-vingts", "quatre-vingt-dix".
    trente: 30,
    quarante: 40,
    cinquante: 50,
    soixante: 60,
    'soixante-dix': 70,
    'quatre-vingts': 80,
    'quatre-vingt': 80,
    'quatre-vingt-dix': 90,
    septante: 70,
    huitante: 80,
    octante: 80,
    nonante: 90,
  }),
  ...FRENCH_COMPOUNDS,
  ...ARABIC_NUMBER_WORDS.map(([word, value]) => [word, value] as [string, number]),
  [normalize('ثلاثة'), 3],
  [normalize('أربع'), 4],
  // Spoken forms: Levantine "تنين", Tunisian "زوز", Moroccan "جوج", Gulf and Maghrebi "ربعة";
  // tens are counts, never hours.
  [normalize('تنين'), 2],
  [normalize('زوز'), 2],
  [normalize('جوج'), 2],
  [normalize('ربعة'), 4],
  // Thirteen to nineteen, MSA ("خمسة عشر", longer than "خمسة" so read first) and spoken.
  ...['ثلاثة', 'أربعة', 'خمسة', 'ستة', 'سبعة', 'ثمانية', 'تسعة'].flatMap((unit, i) =>
    ['عشر', 'عشرة'].map((ten) => [normalize(`${unit} ${ten}`), i + 13] as [string, number]),
  ),
  ...[
    ['تلطعش', 'تلتعش', 'تلتاشر', 'ثلاثطعش'],
    ['اربعطعش', 'اربعتعش', 'اربعتاشر'],
    ['خمسطعش', 'خمستعش', 'خمستاشر'],
    ['ستطعش', 'ستعش', 'ستاشر'],
    ['سبعطعش', 'سبعتعش', 'سبعتاشر'],
    ['ثمنطعش', 'تمنتعش', 'تمنتاشر'],
    ['تسعطعش', 'تسعتعش', 'تسعتاشر'],
  ].flatMap((spellings, i) => spellings.map((word) => [normalize(word), i + 13] as [string, number])),
  [normalize('ثنين'), 2],
  // The count before its noun as spoken, its "ة" typed "ت" ("لستت اشخاص", "خمست اشخاص").
  ...[
    ['تلاتت', 3],
    ['ثلاثت', 3],
    ['اربعت', 4],
    ['خمست', 5],
    ['ستت', 6],
    ['سبعت', 7],
    ['تمنت', 8],
    ['ثمانيت', 8],
    ['تسعت', 9],
    ['عشرت', 10],
  ].map(([word, value]) => [normalize(String(word)), Number(value)] as [string, number]),
  [normalize('عشرين'), 20],
  [normalize('ثلاثين'), 30],
]);

/**
 * The French compounds as one pattern (a ten, then "-", " et " or "-et-" and a unit or a teen), not
 * 110 words more in the alternation: listed, they tripled the cost of the count patterns below,
 * which try every word at every position (INTRODUCED from 11 to 34 µs a message). It may match a
 * pair that is no number ("vingt-dix-sept"); numberValue has no value for it, so it counts nobody.
 */
const FRENCH_COMPOUND = `(?:${FRENCH_TENS.map(([ten]) => ten).join('|')})(?:(?:-et-| et |-)(?:un|${[...FRENCH_UNITS, ...FRENCH_TEENS].join('|')}))`;
const compounds = new Set(FRENCH_COMPOUNDS.map(([word]) => word));
const WORD = [
  FRENCH_COMPOUND,
  ...[...NUMBER_WORDS.keys()].filter((word) => !compounds.has(word)).sort((a, b) => b.length - a.length),
].join('|');
const NUM = `(\\d{1,3}|${WORD})`;
const L = '(?<![\\p{L}\\p{N}])';
const R = '(?![\\p{L}\\p{N}])';
/** What follows a number that makes it a time, not a head count. */
const NOT_TIME = `(?!\\s*(?:[:./]\\d|h\\d|(?:am|pm|a\\.m|p\\.m|h|o'?clock|ish|heures?|hrs?|مساء|مساءا|المسا|بالليل|الصبح|صباحا|ونص|وربع|الا ربع)${R}))`;
const PEOPLE = [
  'people',
  'persons',
  'person',
  'guests',
  'guest',
  'adults',
  'adult',
  'diners',
  'of us',
  'heads',
  'seats',
  'covers',
  'pax',
  'personas',
  'persona',
  'adultos',
  'comensales',
  'personnes',
  'personne',
  'adultes',
  'couverts',
  // "2 pers", "4pers" (normalize.ts splits the glued form).
  'pers',
  'places',
  'plazas',
  // "so 5 total", "6 en tout": the whole count.
  'in total',
  'total',
  'en tout',
  'au total',
  'en total',
  ...[
    'أشخاص',
    'اشخاص',
    'شخص',
    'أفراد',
    'افراد',
    'فرد',
    'نفر',
    'أنفار',
    'انفار',
    'ضيوف',
    'كراسي',
    'كبار',
    'ناس',
    'نفرات',
    'بالغين',
    'بنات',
    'شباب',
    'رجال',
    'حريم',
    'ستات',
    'صبايا',
    'اصحاب',
    'اصدقاء',
  ].map(normalize),
].join('|');
const CHILDREN = [
  'kids',
  'kid',
  'children',
  'child',
  'babies',
  'baby',
  'toddlers',
  'niños',
  'niñas',
  'niño',
  'niña',
  'enfants',
  'enfant',
  // "3 adultes et 2 petits".
  'petits',
  'bébés',
  'bébé',
  'ados',
  'ado',
  'adolescents',
  'teens',
  'teenagers',
  ...['أطفال', 'اطفال', 'طفل', 'ولاد', 'بزران'].map(normalize),
].join('|');

/** Adults and children, in either order ("2 adults and 2 kids", "١٠ اطفال و٤ كبار"). */
const MIXED = new RegExp(
  // The "and" is often left out: "2 adults 2 kids", "2 adultes, 1 enfant".
  `${L}${NUM}\\s*(?:${PEOPLE})\\s*(?:(?:,\\s*)?(?:and|plus|\\+|&|y|et|و)|,)?\\s*${NUM}\\s*(?:${CHILDREN})${R}|${L}${NUM}\\s*(?:${CHILDREN})\\s*(?:and|plus|\\+|&|y|et|و)\\s*${NUM}\\s*(?:${PEOPLE})${R}`,
  'u',
);
/** "3 adultes, 2 ados et 1 bébé": three groups or more, each counted, summed. */
const GROUP = `${NUM}\\s*(?:${PEOPLE}|${CHILDREN})${R}`;
const GROUPS = new RegExp(`${L}${GROUP}(?:\\s*(?:,|and|et|y|\\+|&|plus)?\\s*${GROUP}){2,}`, 'u');
const GROUP_COUNT = new RegExp(GROUP, 'gu');
// "une douzaine de personnes": a round number counts its people after "de".
// Not "pour 6, dont 2 enfants": the count after "dont" (of whom) is part of the total before it.
const COUNTED = new RegExp(`${L}(?<!dont\\s+)${NUM}\\s*(?:de\\s+)?(?:${PEOPLE}|${CHILDREN})${R}`, 'gu');
/** "نحن ٤", "حنا ٤", "بنكون ٥", "عدد الأشخاص صار ٧", "ترابيزة اتنين": Arabic words that introduce the count. */
const ARABIC_COUNT_CUES = [
  'نحن',
  'نحنا',
  'احنا',
  'حنا',
  'عددنا',
  'صرنا',
  'صارو',
  'صاروا',
  'العدد',
  'نكون',
  'بنكون',
  'حنكون',
  'هنكون',
  'راح نكون',
  'رح نكون',
  'نصير',
  'بنصير',
  'عدد',
  'لعدد',
  'للعدد',
  // "نخليهم خمسة" (make them five): the count a change makes.
  'نخليهم',
  'خليهم',
  'خلوهم',
  'تخليهم',
  'تخلوهم',
  'مجموعة من',
  'عائلة من',
  'عيلة من',
  'لعائلة من',
  'لمجموعة من',
  'لعيلة من',
  'طلعنا',
  'طاولة',
  'لطاولة',
  'ترابيزة',
  // Gulf "حق" (for): "ابي طاولة حق ٤".
  'طاولة حق',
  'حجز حق',
  'مكان حق',
]
  .map(normalize)
  // "حجز ٢ ٨:٣٠" (a booking, two): the bare word (not "الحجز") before a count that an hour follows
  // or that ends the message; "حجز ٢٥ نوفمبر" is a day.
  .concat(`${normalize('حجز')}(?=\\s*\\d{1,2}(?:\\s+\\d|\\s*$))`)
  // "غير العدد من ٤ الى ٧": the count it becomes.
  .concat(
    `${normalize('العدد')}\\s+${normalize('من')}\\s+(?:\\d{1,3}|${WORD})\\s+(?:${anyOf(['الى', 'إلى', 'لل', 'ل'])})`,
  )
  .concat(
    `${normalize('عدد')} (?:${anyOf(['الأشخاص', 'الافراد', 'الضيوف'])})(?:(?:\\s+(?:${anyOf(['في', 'بـ', 'ب'])})?\\s*(?:${anyOf(['حجزي', 'حجزنا', 'الحجز'])}))?\\s+(?:${anyOf(['صار', 'الى', 'إلى', 'ل'])}))?`,
  )
  // "نبي نجي اربعة الخميس", "عاوزين نيجي ٤ يوم الجمعة": the number after "we want to come" is who
  // comes (corpus/ar.jsonl); not a rough one, an hour beside a verb of coming ("بنجي حوالي ٦").
  .concat(
    `(?<=(?:${anyOf(['نبي', 'نبغى', 'نبغي', 'بدنا', 'عاوزين', 'عايزين', 'حابين', 'ناويين', 'ودنا', 'نحب'])})\\s+)(?:${anyOf(['نجي', 'نيجي', 'نجيكم', 'نيجيكم', 'نجيو', 'نيجو'])})(?!\\s+(?:${anyOf(['حوالي', 'تقريبا', 'بحدود', 'ع', 'على'])})\\s)`,
  )
  // "احجزوا لنا ٤ الخميس": the number after "for us" that a booking verb asks for.
  .concat(
    `(?<=(?:${anyOf(['احجزوا', 'احجزو', 'احجز', 'نحجز', 'تحجزون', 'تحجزوا', 'حجز'])})\\s+)(?:${anyOf(['لنا', 'لي'])})`,
  )
  // "ما اعرف العدد بالضبط، تقريبا ٨", "ما ندري كم بنكون، يمكن ١٠": the count the guest is unsure of,
  // then told roughly, is the count (corpus/ar.jsonl), not an hour told roughly; two told ("يمكن ٦
  // او ٧") are none, as two hours are none (arabic-when.ts).
  .concat(
    `(?<=(?:${anyOf(['العدد', 'عددنا', 'كم بنكون', 'كم نكون', 'كم راح نكون', 'كم شخص', 'كم واحد', 'كم نفر'])})(?:\\s+\\p{L}+){0,3}[\\s,.]+)(?:${anyOf(['تقريبا', 'حوالي', 'بحدود', 'يمكن', 'ممكن', 'احتمال'])})(?!\\s*\\S+\\s+(?:${anyOf(['او', 'أو', 'ولا'])})\\s)`,
  )
  .join('|');
/** "بنكون تقريبا ٨": about, only. */
const ARABIC_ABOUT = anyOf(['تقريبا', 'حوالي', 'بحدود', 'فقط', 'بس']);
/**
 * What introduces a head count. "réserver a 6 demain" is "à 6" with its accent dropped (texting): after a
 * booking verb, "a" before a small number with no "h" counts the guests, as "réserver à 8" does.
 */
const INTRODUCED = new RegExp(
  `${L}(?:number of (?:guests|people|persons) to|au nombre de|número de personas a|numero de personas a|nombre de personnes à|${normalize('عدد الاشخاص ل')}|table for|party of|table of|a total of|total of|group of|family of|groupes de|grupo de|groupe de|famille de|gang de|bande de|reserve|book|booking for|reservation for|reserve for|book for|dinner for|lunch for|brunch for|seats for|room for|space for|spot for|for|we are|we're|we will be|we'll be|there will be|there'll be|just|solo|sólo|juste|seulement|mesa para|mesa de|para|pa'|pa|somos|seremos|vamos a ser|van a ser|pour|pr|nous sommes|nous serons|on est|on sera|on serait|nous serions|ils seront|elles seront|ils sont|elles sont|sera que|serons que|sera plus que|serons plus que|sera donc que|serons donc que|n'est plus que|ne sommes plus que|sommes plus que|est plus que|sommes que|n'est que|nous|squeeze|seat|installer à|team of|équipe de|(?<=(?:pas|not|no|plus)\\s+(?:\\d{1,3}|${WORD})\\s+)(?:mais|but|pero|sino)|(?:be|être|etre|ser)(?=\\s+(?:\\d{1,3}|${WORD})\\s+(?:instead of|rather than|au lieu de|plutôt que|en vez de|en lugar de)\\s)|caser à|débarquer à|(?<=(?:réserver|reserver|réservé|reserve|réserve|réservez|reservez|résa|resa)\\s+)a(?=\\s+(?:deux|trois|quatre|cinq|six|[2-9]|1[0-2])${R}(?!\\s*h))|(?<!(?:décaler|decaler|décalez|repousser|repoussez|avancer|avancez|reporter|passer|changer|changez|mettre|mettez|arriver|arrive|arrivera|de \\d{1,2}h?)\\s+)à(?=\\s+(?:deux|trois|quatre|cinq|six|[2-9]|1[0-2])${R})|table pour|table de|${normalize('طاولة ل')}|${normalize('طاولة لـ')}|${normalize('حجز ل')}|${normalize('العدد')}|${ARABIC_COUNT_CUES}|ل|لـ)\\s*(?:now\\s+|only\\s+|just\\s+|actually\\s+|ahora\\s+|maintenant\\s+|finalement\\s+|donc\\s+|bien\\s+|environ\\s+|(?:${ARABIC_ABOUT})\\s+)?${NUM}${R}${NOT_TIME}`,
  'gu',
);
/** "2 more people", "deux de plus", "one person short": guests added or gone, not the size. */
const MORE_AFTER = new RegExp(
  `^\\s*(?:(?:${PEOPLE})\\s+)?(?:more|extra|short|less|fewer|de plus|en plus|más|mas|de más|de mas|menos|de menos|de moins|en moins|dropped out|dropped|(?:has |have )?(?:cancelled|canceled|left)|can't come|s'est désistée?|se sont désistée?s|ne vien(?:t|nent) plus|a annulé|ont annulé)${R}`,
  'u',
);
/** "add 2 people", "ajoutez deux personnes", "agregar dos personas": likewise. */
const ADDED_BEFORE = new RegExp(
  `(?:add|adding|ajout\\p{L}*|agreg\\p{L}*|añad\\p{L}*|sum\\p{L}*|${anyOf(['زيد', 'نزيد', 'بنزيد', 'زيدوا', 'زود', 'نزود', 'زودوا', 'نضيف', 'ضيفوا', 'ضيف', 'اضيف', 'اضافه', 'باضافه'])})(?:\\s+(?:${anyOf(['عليه', 'عليها', 'على الحجز', 'للحجز'])}))?\\s+$`,
  'u',
);
/** "ya no somos 6, somos 4", "on n'est plus 6", "not 5 people", "pas pour 4": the count the guest takes back. */
const TAKEN_BACK =
  /(?:\bno|\bnot|\bno longer|\bplus|\bpas|\bya no)\s+(?:(?:somos|seremos|we are|we're|on est|sommes|serons)\s+)?$/u;
/** "لخمسة مش لأربعة", "مو ٥": the count an Arabic "not" takes back. */
const ARABIC_TAKEN_BACK = new RegExp(
  `(?<![\\p{L}])(?:${anyOf(['مش', 'مو', 'مب', 'ليس', 'بدل', 'بدال'])})\\s*$`,
  'u',
);
/** "6 instead of 4", "5 au lieu de 4", "pas 6 mais 4", "plus 5 mais 4", "خمسة بدل اربعة": the count given replaces another. */
const CORRECTED_COUNT = new RegExp(
  `(?:pas|not|no|plus)\\s+\\d{1,3}\\s+(?:mais|but|pero|sino)\\s|\\d\\s+(?:\\p{L}+\\s+)?(?:instead of|rather than|en vez de|en lugar de|au lieu de|${anyOf(['بدل', 'بدال'])})\\s|(?:${anyOf(['بدل', 'بدال'])})\\s`,
  'u',
);
/** A count introduced by the count itself ("العدد من ٤ الى ٦", "عدد الاشخاص ٥"). */
const COUNT_NAMED = new RegExp(`^(?:${anyOf(['العدد', 'عدد'])})(?![\\p{L}])`, 'u');
/** "لاربعة، ممكن نخليهم خمسة": the count the booking is made into replaces the one it had. */
const MAKE_THEM = new RegExp(
  `^(?:${anyOf(['نخليهم', 'خليهم', 'خلوهم', 'تخليهم', 'تخلوهم', 'صرنا', 'صارو', 'صاروا'])})`,
  'u',
);
/** Words that introduce a correction of what came before: "para 4 pero seremos 5". */
const CONTRAST = new RegExp(`(?<![\\p{L}])(?:but|pero|mais|${anyOf(['بس', 'لكن'])})(?![\\p{L}])`, 'u');
/** "para una persona", "pour une personne": one guest, where "una persona real" is an article. */
const FOR_ONE = /\b(?:para|pour|for)\s+(?:una|une|one)\s+(?:persona|personne|person)\b/u;
/** "لشخصين", Levantine "عشخصين" (على: for two). */
const DUAL = new RegExp(`${L}(?:ل|لـ|ع)?(?:${anyOf(['شخصين', 'نفرين', 'فردين', 'زولين'])})${R}`, 'u');
/** "لشخص واحد" (for one person), "شخص واحد بس"; not "نقص شخص واحد" (one fewer). */
const ARABIC_FOR_ONE = new RegExp(
  `(?:^\\s*|${L}(?:ل|لـ)\\s*)(?:${anyOf(['شخص', 'فرد', 'نفر', 'زول'])})\\s+${normalize('واحد')}${R}`,
  'u',
);
const FAMILY = anyOf([
  'زوجتي',
  'زوجي',
  'مرتي',
  'مراتي',
  'حرمتي',
  'جوزي',
  'خطيبتي',
  'خطيبي',
  'خويي',
  'رفيقي',
  'رفيقتي',
  'صاحبي',
  'صاحبتي',
  'صديقي',
  'صديقتي',
  'اختي',
  'اخوي',
  'اخي',
  'امي',
  'ابوي',
  'بنتي',
  'ابني',
  'ولدي',
  // A relative's own spouse: "لي ولاخوي وزوجته".
  'زوجته',
  'مرته',
  'زوجها',
]);
/** Our children, counted after them: "و٢ عيال", "وعيالنا الثلاثة". */
const KIDS = anyOf(['عيال', 'اولاد', 'ولاد', 'اطفال', 'بزران', 'بنات']);
const OUR_KIDS = anyOf(['عيالنا', 'ولادنا', 'اولادنا', 'بناتنا', 'عيالي', 'ولادي', 'اولادي']);
/**
 * "انا وزوجتي" (my wife and I), "لي ولزوجتي" (for me and my wife): two, as "me and my wife" is in
 * corpus/en.jsonl; each relative named after them one more ("لي ولمرتي وبنتي" three), and the
 * children counted after them ("انا وزوجتي و٢ عيال" four, "لي ولزوجتي وعيالنا الثلاثه" five).
 */
const ARABIC_FAMILY = new RegExp(
  `${L}(?:${normalize('انا')}\\s+${normalize('و')}|${normalize('لي')}\\s+${normalize('ول')})(?:${FAMILY})((?:\\s*${normalize('و')}(?:${normalize('ل')})?(?:${FAMILY}))*)(?:\\s*${normalize('و')}\\s*${NUM}\\s*(?:${KIDS})|\\s*${normalize('و')}(?:${OUR_KIDS})\\s+(?:${normalize('ال')})?${NUM})?${R}(?!\\s*${normalize('و')})`,
  'u',
);
/**
 * "لاربعة، لا لا خليها خمسة", "ل٤ اشخاص لا قصدي ٥": a count said and at once taken back for
 * another in the same message; the later one, and no hour ("خليها خمسة" is no 17:00).
 */
const COUNT_THEN_RETRACTED = new RegExp(
  `${L}(?:${normalize('ل')}|${normalize('لـ')})\\s*${NUM}(?:\\s*(?:${PEOPLE}))?[\\s,.،]+(?:${normalize('لا')}[\\s,.،]+)+(?:${anyOf(['خليها', 'خليهم', 'خليه', 'خلوها', 'خلوهم', 'نخليها', 'نخليهم', 'قصدي', 'اقصد'])})\\s+(?:${normalize('ل')})?${NUM}${R}`,
  'u',
);
const ARABIC_PEOPLE_NAMED = new RegExp(
  `(?<![\\p{L}])(?:${anyOf(['شخص', 'اشخاص', 'افراد', 'طفل', 'اطفال', 'نفر', 'كبار', 'ضيف', 'ضيوف'])})(?![\\p{L}])`,
  'u',
);
const COUNT_NOT_COUNT = new RegExp(
  `${L}${NUM}\\s+(?:${anyOf(['مش', 'مو', 'مب', 'بدل', 'بدال'])})\\s+(?:\\d{1,3}|${WORD})${R}`,
  'u',
);
/** "٣ كبار وطفلين", "٤ أشخاص وطفل": adults and one or two children (the dual) told without a number. */
const ARABIC_PLUS_CHILDREN = new RegExp(
  `${L}(?:${normalize('ل')})?${NUM}\\s*(?:${PEOPLE})\\s*${normalize('و')}\\s*(?:(${anyOf(['طفلين', 'ولدين', 'بنتين'])})|${anyOf(['طفل', 'ولد', 'بنت', 'طفلة'])})${R}`,
  'u',
);
// "solo" alone is Spanish for "just" ("solo cambia la hora"): only "yo solo", "voy solo" count.
const JUST_ME =
  /\b(just me|only me|table for one|yo solo|voy solo|iré solo|myself only|me alone|moi seule?|juste moi|que moi)(?![\p{L}])/u;
/** "me and my wife", "ma femme et moi", "mi novia y yo": the guest and one other. */
const COMPANION =
  'wife|husband|partner|girlfriend|boyfriend|fiancée?|friend|date|mum|mom|dad|mother|father|son|daughter|brother|sister|colleague|femme|mari|copine|copain|compagne|compagnon|conjointe?|amie?|chérie?|fiancée?|épouse|époux|mère|père|fils|fille|frère|sœur|soeur|collègue|esposa|esposo|mujer|marido|novia|novio|pareja|amiga|amigo|mamá|papá|madre|padre|hija|hijo|hermana|hermano';
const PAIR = new RegExp(
  `${L}(?:(?:me|moi) (?:and|et) (?:my|mon|ma) (?:${COMPANION})|(?:my|mon|ma|mi) (?:${COMPANION}) (?:and (?:i|me)|et moi|y yo))${R}(?!\\s+(?:and|et|y|\\+|plus|with|avec|con)\\s)`,
  'u',
);
/** "+ a baby", "and one kid", "et un enfant" right after a count: one guest more. */
const PLUS_ONE_CHILD =
  /^\s*(?:\+|plus|and|with|et|avec|y|con)\s+(?:a|an|one|un|une|una|uno)\s+(?:baby|kid|child|toddler|infant|bébé|enfant|bebé|bebe|niño|niña)(?![\p{L}])/u;
const ARTICLES = new Set(['un', 'una', 'une', 'uno']);
/** "4", "4 please", "4 svp", "ثلاثة بس" (three only), "تقريبا ٦" (about six). */
const BARE = new RegExp(
  `^\\s*(?:(?:${anyOf(['تقريبا', 'حوالي', 'بحدود'])})\\s*)?${NUM}\\s*[.!,]?\\s*(?:(?:please|svp|s'il vous plaît|s'il vous plait|por favor|merci|thanks|gracias|${anyOf(['بس', 'فقط'])})\\s*[.!]?\\s*)?$`,
  'u',
);
const OTHERS =
  'friends|others|mates|colleagues|guests|amis|amies|copains|copines|collègues|autres|amigos|amigas|colegas|otros';
/** "me + 3 friends", "moi et 3 amis": the guest and the others they count. */
const ME_AND = new RegExp(
  `${L}(?:me|myself|moi|yo)\\s*(?:\\+|and|plus|&|et|y)\\s*${NUM}\\s*(?:${OTHERS}|people|personnes|personas)${R}`,
  'u',
);

/**
 * "je vais venir avec mes deux grands frères", "I'm coming with my 3 friends": the guest who writes
 * and those they bring.
 */
const COMING_WITH = new RegExp(
  `${L}(?:je|j'|i|i'm|i am|i'll|i will)\\s+(?:[\\p{L}'’]+\\s+){0,3}?(?:avec|with)\\s+(?:mes|my|mis)\\s+${NUM}${R}(?!\\s*(?:h|heures?|ans|years?|minutes?)${R})`,
  'u',
);

/** "7 et pas 6", "5, not 4", "4 au lieu de 6" right after the count: the count it replaces. */
const REFUSED_COUNT = new RegExp(
  `^\\s*,?\\s*(?:(?:et|and)\\s+)?(?:pas|not|non|no|au lieu de|instead of|plutôt que|rather than|en vez de|y no)\\s+${NUM}${R}${NOT_TIME}`,
  'u',
);

/** "ثلاثة بكرة ٩", "اربعه بكره الساعه ٨": a number, a day, an hour: the count first. */
const COUNT_DAY_HOUR = new RegExp(
  `^\\s*${NUM}\\s+(?=(?:${DAY_WORD})\\s+(?:${normalize('الساعة')}\\s+)?(?:\\d{1,2}|${WORD})${R})`,
  'u',
);

export interface FoundParty {
  partySize?: number;
  rest: string;
  /** A count was taken back or corrected ("ya no somos 6, somos 4", "6 instead of 4"): a change. */
  corrected?: boolean;
}

export function numberValue(token: string): number | undefined {
  if (/^\d+$/.test(token)) return Number(token);
  return NUMBER_WORDS.get(token);
}

const plausible = (size: number | undefined): size is number =>
  size !== undefined && size >= 1 && size <= 200;

/**
 * The head count a guest gave, from digits or words: "table for four", "2 adults and 2 kids",
 * "a party of twelve", "٤ أشخاص", "لشخصين". Runs before date/time parsing so "party of 12 on
 * sunday" is not read as 12 o'clock.
 */
export function findPartySize(text: string): FoundParty {
  const plusChildren = ARABIC_PLUS_CHILDREN.exec(text);
  if (plusChildren) {
    const total = (numberValue(plusChildren[1] ?? '') ?? 0) + (plusChildren[2] ? 2 : 1);
    if (plausible(total)) return { partySize: total, rest: text.replace(plusChildren[0], ' ') };
  }
  const retracted = COUNT_THEN_RETRACTED.exec(text);
  const kept = numberValue(retracted?.[2] ?? '');
  if (retracted && plausible(kept)) return { partySize: kept, rest: text.replace(retracted[0], ' ') };
  // The children counted after the family come before any count the loops below would take ("٢ عيال").
  const family = ARABIC_FAMILY.exec(text);
  if (family && (family[2] ?? family[3]))
    return { partySize: familySize(family), rest: text.replace(family[0], ' ') };
  const meAnd = ME_AND.exec(text);
  const others = numberValue(meAnd?.[1] ?? '');
  if (meAnd && plausible(others)) return { partySize: others + 1, rest: text.replace(meAnd[0], ' ') };
  const groups = GROUPS.exec(text);
  if (groups) {
    const total = [...groups[0].matchAll(GROUP_COUNT)].reduce(
      (sum, group) => sum + (numberValue(group[1] ?? '') ?? 0),
      0,
    );
    if (plausible(total)) return { partySize: total, rest: text.replace(groups[0], ' ') };
  }
  const mixed = MIXED.exec(text);
  if (mixed) {
    const [first, second] = mixed[1] !== undefined ? [mixed[1], mixed[2]] : [mixed[3], mixed[4]];
    const total = (numberValue(first ?? '') ?? 0) + (numberValue(second ?? '') ?? 0);
    if (plausible(total)) return { partySize: total, rest: text.replace(mixed[0], ' ') };
  }
  let corrected = CORRECTED_COUNT.test(text);
  const timeWord = TIME_WORD.test(text);
  const moved = timeWord ? FROM_TO_HOUR.exec(text) : null;
  // "الساعة ٩، نقدمه لـ ٨": an hour the booking is moved to (arabic-when.ts reads it).
  const movedTo = timeWord ? MOVED_TO_HOUR.exec(text) : null;
  // "غير الوقت ل ٨": an hour after a word of time, not a count.
  const toHour = TIME_WORD_TO_HOUR.exec(text);
  for (const pattern of [COUNTED, INTRODUCED]) {
    let found: { size: number; match: RegExpExecArray } | undefined;
    // Counts a later one corrected: no longer the size, and no hour either ("لاربعة بس صرنا ستة").
    const superseded: string[] = [];
    for (const match of text.matchAll(pattern)) {
      // "una persona", "une personne": an article, not a count of one.
      if (match[1] && ARTICLES.has(match[1])) continue;
      const before = text.slice(0, match.index);
      const after = text.slice(match.index + match[0].length);
      // "نقدم الموعد من ٩ لـ ٨": an hour moved, not a count (arabic-when.ts reads it).
      if (moved && match.index >= moved.index && match.index < moved.index + moved[0].length) continue;
      if (toHour && match.index >= toHour.index && match.index < toHour.index + toHour[0].length) continue;
      if (movedTo && match.index >= movedTo.index && match.index < movedTo.index + movedTo[0].length)
        continue;
      if (ARABIC_TAKEN_BACK.test(before)) {
        corrected = true;
        superseded.push(match[0]);
        continue;
      }
      if (TAKEN_BACK.test(before)) corrected = true;
      // "نزيد العدد من ٤ الى ٦": what is added to is the count named, the number is the new total.
      const added = ADDED_BEFORE.test(before) && !COUNT_NAMED.test(match[0]);
      if (MORE_AFTER.test(after) || added || TAKEN_BACK.test(before)) continue;
      const size = numberValue(match[1] ?? '');
      if (!plausible(size)) continue;
      // "mi reserva es para 4 pero seremos 5": the count after a "but" corrects the one before.
      const corrects =
        found &&
        (CONTRAST.test(text.slice(found.match.index + found.match[0].length, match.index)) ||
          MAKE_THEM.test(match[0]));
      if (corrects) {
        corrected = true;
        superseded.push(found?.match[0] ?? '');
      }
      if (!found || corrects) found = { size, match };
    }
    if (found) {
      // "on sera 7 et pas 6 demain": the count refused beside it is no hour either.
      const refused = REFUSED_COUNT.exec(text.slice(found.match.index + found.match[0].length));
      if (refused) {
        corrected = true;
        superseded.push(refused[0]);
      }
      // "table for 2 + a baby", "pour 4 et un enfant": one small guest more than the count.
      const plusOne = PLUS_ONE_CHILD.exec(text.slice(found.match.index + found.match[0].length));
      const size = plusOne ? found.size + 1 : found.size;
      return {
        partySize: size,
        rest: [found.match[0], ...superseded, ...(plusOne ? [plusOne[0]] : [])].reduce(
          (rest, span) => rest.replace(span, ' '),
          text,
        ),
        ...(corrected ? { corrected } : {}),
      };
    }
  }
  const comingWith = COMING_WITH.exec(text);
  const brought = numberValue(comingWith?.[1] ?? '');
  if (comingWith && plausible(brought))
    return { partySize: brought + 1, rest: text.replace(comingWith[0], ' ') };
  // "بيكون معانا طفل، يعني ٥ مش ٤": bare numbers, one taken back, beside people named: a count.
  const countNot = ARABIC_PEOPLE_NAMED.test(text) ? COUNT_NOT_COUNT.exec(text) : null;
  const meant = numberValue(countNot?.[1] ?? '');
  if (countNot && plausible(meant))
    return { partySize: meant, rest: text.replace(countNot[0], ' '), corrected: true };
  const leading = COUNT_DAY_HOUR.exec(text);
  const led = numberValue(leading?.[1] ?? '');
  if (leading && plausible(led)) return { partySize: led, rest: text.replace(leading[0], ' ') };
  const one = FOR_ONE.exec(text) ?? ARABIC_FOR_ONE.exec(text);
  if (one) return { partySize: 1, rest: text.replace(one[0], ' ') };
  const dual = DUAL.exec(text);
  if (dual && !ADDED_BEFORE.test(text.slice(0, dual.index)))
    return { partySize: 2, rest: text.replace(dual[0], ' ') };
  // Before "just me": "just me and my husband" is two.
  const pair = PAIR.exec(text);
  if (pair) return { partySize: 2, rest: text.replace(pair[0], ' ') };
  if (JUST_ME.test(text)) return { partySize: 1, rest: text };
  if (family) return { partySize: familySize(family), rest: text };
  return { rest: text };
}

/** The guest, the first relative, each further one, and the children counted. */
function familySize(family: RegExpExecArray): number {
  const relatives = family[1]?.match(/\p{L}+/gu)?.length ?? 0;
  return 2 + relatives + (numberValue(family[2] ?? family[3] ?? '') ?? 0);
}

/** A message that is only a number ("4", "four", "٤"): the answer to "how many people?". */
export function bareNumber(text: string): number | undefined {
  const match = BARE.exec(text);
  const value = numberValue(match?.[1] ?? '');
  return plausible(value) ? value : undefined;
}
