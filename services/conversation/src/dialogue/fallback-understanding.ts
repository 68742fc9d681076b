import { addDays, localDate } from './calendar.js';
import type { Entities, Expecting, Intent, Language, Understanding } from './types.js';

/**
 * What the dialogue understands by itself while intent.v1 is unreachable: the main requests by
 * keyword (English, Arabic, Spanish and French), "today"/"tomorrow", a clock time and a party
 * size, and the language when a word tells it. Deliberately small: it keeps the guest answered, in
 * their language, not understood as well as the real service would (services/intent/src/nlu).
 * JavaScript's \b knows ASCII letters only, so no cue ends in \b after an accented letter.
 */
const CUES: [Intent, RegExp][] = [
  [
    'HUMAN',
    /\b(human|agent|person|manager|staff|humano|encargado|humain|responsable)\b|quelqu'un|موظف|انسان|إنسان|مدير/iu,
  ],
  ['CANCEL', /\b(cancel|cancelar|anular|annuler)\b|الغاء|إلغاء|الغي|ألغي/iu],
  ['MODIFY', /\b(change|modify|reschedule|cambiar|modificar|changer|modifier)\b|décaler|تعديل|تغيير|غير/iu],
  [
    'BOOK',
    /\b(book|booking|reserve|reservation|table|reservar|reserva|mesa)\b|réserv|طاولة|حجز|احجز|طاوله/iu,
  ],
  ['MENU', /\b(menu|food|dishes|carta|carte|plats)\b|menú|منيو|المنيو|قائمة|اكل|أكل/iu],
  ['HOURS', /\b(open|opening|hours|close|horario|abren|abierto|horaires|ouvert|ouvrez)\b|مواعيد|تفتح|دوام/iu],
  ['THANKS', /\b(thanks|thank you|gracias|merci)\b|شكرا|شكراً|مشكور/iu],
  [
    'GREETING',
    /^(hi|hello|hey|good (morning|evening)|hola|buenas|buenos|bonjour|bonsoir|salut)\b|^(مرحبا|السلام|اهلا|أهلا|هلا)/iu,
  ],
];

const ARABIC = /[\u0600-\u06ff]/;
/** Words that tell the Latin-script languages apart, as services/intent/src/nlu/language.ts counts them. */
const MARKERS: [Language, RegExp][] = [
  [
    'es',
    /\b(hola|gracias|quiero|quisiera|reservar|mesa|para|personas|hoy|noche|por favor|cancelar|cambiar|carta)\b|mañana|menú/giu,
  ],
  [
    'fr',
    /\b(bonjour|bonsoir|merci|je|voudrais|pour|personnes|demain|soir|annuler|changer|carte|vous)\b|réserv|aujourd'hui|plaît/giu,
  ],
  [
    'en',
    /\b(hi|hello|thanks|want|book|table|for|people|tomorrow|tonight|today|please|cancel|change|menu)\b/giu,
  ],
];

/** Arabic by its script; Spanish, French or English by the most marker words; none when no word tells. */
function languageOf(text: string): Language | undefined {
  if (ARABIC.test(text)) return 'ar';
  let best: Language | undefined;
  let bestCount = 0;
  for (const [language, marker] of MARKERS) {
    const count = text.match(marker)?.length ?? 0;
    if (count > bestCount) [best, bestCount] = [language, count];
  }
  return best;
}

const ARABIC_DIGITS = /[٠-٩]/g;

export function fallbackUnderstanding(input: {
  text: string;
  now: string;
  timeZone: string;
  expecting?: Expecting;
}): Understanding {
  const text = input.text.replace(ARABIC_DIGITS, (digit) => String(digit.charCodeAt(0) - 0x0660)).trim();
  const intent = CUES.find(([, cue]) => cue.test(text))?.[0] ?? 'OTHER';
  const entities: Entities = {};
  const today = localDate(input.now, input.timeZone);
  if (/\b(tomorrow|demain)\b|mañana|manana|بكرة|بكره|غدا|غداً/iu.test(text)) entities.date = addDays(today, 1);
  else if (/\b(today|tonight|hoy|esta noche|ce soir)\b|aujourd'hui|اليوم|الليلة/iu.test(text))
    entities.date = today;
  // "20:00", "8pm", and French "20h", "20 h 30" (the minutes after "h" land where ":" puts them);
  // the first number that reads as a time, so "para 2 mañana a las 20:00" is not read as 2 o'clock.
  const numbers = [
    ...text
      .replace(/\b\d+\s*(people|persons|guests|pax|personas|personnes)\b/gi, '')
      .matchAll(/\b([01]?\d|2[0-3])(?::([0-5]\d)|\s*h\s*([0-5]\d)?)?\s*(am|pm)?\b/gi),
  ];
  const clock =
    numbers.find((n) => n[2] || n[3] || n[4] || n[0].toLowerCase().includes('h')) ??
    (input.expecting === 'time' ? numbers[0] : undefined);
  const party =
    /\b(\d{1,2})\s*(people|persons|guests|pax|personas|personnes)\b|(\d{1,2})\s*(أشخاص|اشخاص|شخص)/iu.exec(
      text,
    );
  if (party) entities.partySize = Number(party[1] ?? party[3]);
  const french = clock?.[0].toLowerCase().includes('h');
  const minutes = clock?.[2] ?? clock?.[3];
  const meridiem = clock?.[4]?.toLowerCase();
  if (clock) {
    let hour = Number(clock[1]);
    if (meridiem === 'pm' && hour < 12) hour += 12;
    // "8" alone means the evening; "8h" is the 24-hour clock, as French writes it.
    if (!meridiem && !minutes && !french && hour < 12) hour += 12;
    entities.time = `${String(hour).padStart(2, '0')}:${minutes ?? '00'}`;
  } else if (!party && input.expecting === 'party_size' && /^\d{1,2}$/.test(text)) {
    entities.partySize = Number(text);
  }
  if (input.expecting === 'name' && intent === 'OTHER' && /^[\p{L} '-]{2,40}$/u.test(text))
    entities.guestName = text;
  const language = languageOf(text);
  return {
    intent: intent === 'OTHER' && (entities.date || entities.time) && entities.partySize ? 'BOOK' : intent,
    entities,
    ...(language ? { language } : {}),
    source: 'fallback',
  };
}
