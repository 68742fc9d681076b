export const languages = ['en', 'ar'] as const;
export type Language = (typeof languages)[number];

/** The remembered choice first, then the browser's language, then English. */
export function pickLanguage(stored: string | null, navigatorLanguages: readonly string[]): Language {
  if (stored === 'en' || stored === 'ar') return stored;
  for (const tag of navigatorLanguages) {
    const base = tag.toLowerCase().split('-')[0];
    if (base === 'ar' || base === 'en') return base;
  }
  return 'en';
}

export function directionOf(language: Language): 'ltr' | 'rtl' {
  return language === 'ar' ? 'rtl' : 'ltr';
}
