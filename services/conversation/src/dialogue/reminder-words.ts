/**
 * A guest's words answering a reminder, in any of the assistant's languages: whatever language the
 * conversation is in, "yes we'll be there" and "سنتأخر ربع ساعة" mean the same. Late wins over yes
 * ("yes, but 15 minutes late").
 */
export type ReminderWords = { answer: 'confirmed' } | { answer: 'late'; minutes?: number };

const LATE = [
  /\b(late|running behind|delayed|delay)\b/i,
  /(متأخر|متاخر|نتأخر|سنتأخر|بنتأخر|رح نتأخر|تأخير|تأخرنا)/,
  /(^|[\s,])(tarde|retraso|retrasad[oa]s?)(?=$|[\s,.!])/i,
  /(^|[\s,])(retard|en retard)(?=$|[\s,.!])/i,
];
const CONFIRM = [
  /\b(yes|yep|yeah|sure|confirm(ed)?|see you|coming|we('|’)?ll be there|we will be there|on our way)\b/i,
  /(نعم|أكيد|اكيد|أيوه|ايوه|سنحضر|سنأتي|سنكون هناك|بنكون|موجودين|تمام|مؤكد)/,
  // \b does not see accented letters as word letters: the ends are spelled out.
  /(^|[\s¡,])(s[ií]|claro|confirmo|all[ií] estaremos|nos vemos)(?=$|[\s,.!])/i,
  /(^|[\s,])(oui|je confirme|nous serons l[àa]|on sera l[àa]|à tout à l'heure)(?=$|[\s,.!])/i,
];
const WORD_MINUTES: Record<string, number> = {
  'ربع ساعة': 15,
  'نص ساعة': 30,
  'نصف ساعة': 30,
  'half an hour': 30,
  'quarter of an hour': 15,
};

/** Arabic-Indic and Persian digits as ASCII ones. */
export const asciiDigits = (text: string) =>
  text.replace(/[٠-٩۰-۹]/g, (d) =>
    String((d.codePointAt(0) ?? 0) - ((d.codePointAt(0) ?? 0) >= 0x06f0 ? 0x06f0 : 0x0660)),
  );

/** Minutes named in the text: "15", "15 min", "١٥ دقيقة", "half an hour"; 1–240, else none. */
export function minutesIn(text: string): number | undefined {
  const normal = asciiDigits(text.toLowerCase());
  for (const [words, minutes] of Object.entries(WORD_MINUTES)) if (normal.includes(words)) return minutes;
  const match = /(\d{1,3})/.exec(normal);
  const minutes = match?.[1] ? Number(match[1]) : undefined;
  return minutes !== undefined && minutes >= 1 && minutes <= 240 ? minutes : undefined;
}

export function reminderWords(text: string): ReminderWords | undefined {
  if (LATE.some((pattern) => pattern.test(text))) {
    const minutes = minutesIn(text);
    return minutes === undefined ? { answer: 'late' } : { answer: 'late', minutes };
  }
  return CONFIRM.some((pattern) => pattern.test(text)) ? { answer: 'confirmed' } : undefined;
}
