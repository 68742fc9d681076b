import { addDays, localDate } from './calendar.js';
import type { Entities, Expecting, Intent, Understanding } from './types.js';

/**
 * What the dialogue understands by itself while intent.v1 is unreachable: the main requests by
 * keyword (English and Arabic), "today"/"tomorrow", a clock time and a party size. Deliberately
 * small: it keeps the guest answered, not understood as well as the real service would.
 */
const CUES: [Intent, RegExp][] = [
  ['HUMAN', /\b(human|agent|person|manager|staff)\b|موظف|انسان|إنسان|مدير/iu],
  ['CANCEL', /\bcancel\b|الغاء|إلغاء|الغي|ألغي/iu],
  ['MODIFY', /\b(change|modify|reschedule)\b|تعديل|تغيير|غير/iu],
  ['BOOK', /\b(book|booking|reserve|reservation|table)\b|حجز|احجز|طاولة|طاوله/iu],
  ['MENU', /\b(menu|food|dishes)\b|منيو|المنيو|قائمة|اكل|أكل/iu],
  ['HOURS', /\b(open|opening|hours|close)\b|مواعيد|تفتح|دوام/iu],
  ['THANKS', /\b(thanks|thank you)\b|شكرا|شكراً|مشكور/iu],
  ['GREETING', /^(hi|hello|hey|good (morning|evening))\b|^(مرحبا|السلام|اهلا|أهلا|هلا)/iu],
];

const ARABIC = /[\u0600-\u06ff]/;
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
  if (/\btomorrow\b|بكرة|بكره|غدا|غداً/iu.test(text)) entities.date = addDays(today, 1);
  else if (/\b(today|tonight)\b|اليوم|الليلة/iu.test(text)) entities.date = today;
  const clock = /\b([01]?\d|2[0-3])(?::([0-5]\d))?\s*(am|pm)?\b/i.exec(
    text.replace(/\b\d+\s*(people|persons|guests|pax)\b/gi, ''),
  );
  const party = /\b(\d{1,2})\s*(people|persons|guests|pax)\b|(\d{1,2})\s*(أشخاص|اشخاص|شخص)/iu.exec(text);
  if (party) entities.partySize = Number(party[1] ?? party[3]);
  if (clock && (clock[2] || clock[3] || input.expecting === 'time')) {
    let hour = Number(clock[1]);
    if (clock[3]?.toLowerCase() === 'pm' && hour < 12) hour += 12;
    if (!clock[3] && !clock[2] && hour < 12) hour += 12;
    entities.time = `${String(hour).padStart(2, '0')}:${clock[2] ?? '00'}`;
  } else if (!party && input.expecting === 'party_size' && /^\d{1,2}$/.test(text)) {
    entities.partySize = Number(text);
  }
  if (input.expecting === 'name' && intent === 'OTHER' && /^[\p{L} '-]{2,40}$/u.test(text))
    entities.guestName = text;
  return {
    intent: intent === 'OTHER' && (entities.date || entities.time) && entities.partySize ? 'BOOK' : intent,
    entities,
    ...(text ? { language: ARABIC.test(text) ? ('ar' as const) : ('en' as const) } : {}),
    source: 'fallback',
  };
}
