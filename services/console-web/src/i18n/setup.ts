import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { directionOf, type Language, pickLanguage } from '../domain/language.js';
import { ar } from './ar.js';
import { en } from './en.js';

const storageKey = 'reserveit.language';

function stored(): string | null {
  try {
    return localStorage.getItem(storageKey);
  } catch {
    return null;
  }
}

function applyToDocument(language: Language): void {
  document.documentElement.lang = language;
  document.documentElement.dir = directionOf(language);
}

export function setupI18n(): typeof i18next {
  const language = pickLanguage(stored(), navigator.languages ?? [navigator.language]);
  applyToDocument(language);
  void i18next.use(initReactI18next).init({
    lng: language,
    fallbackLng: 'en',
    resources: { en: { translation: en }, ar: { translation: ar } },
    keySeparator: false,
    nsSeparator: false,
    interpolation: { escapeValue: false },
    initAsync: false,
  });
  return i18next;
}

export function switchLanguage(language: Language): void {
  try {
    localStorage.setItem(storageKey, language);
  } catch {
    // Private mode: the choice lasts for this page only.
  }
  applyToDocument(language);
  void i18next.changeLanguage(language);
}
