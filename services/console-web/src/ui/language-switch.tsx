import { useTranslation } from 'react-i18next';
import { type Language, languages, pickLanguage } from '../domain/language.js';
import { switchLanguage } from '../i18n/setup.js';

/** Each language named in itself: whoever reads only one of them still finds it. */
const names: Record<Language, string> = { en: 'English', ar: 'العربية' };

export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  return (
    <label className="language-switch">
      <span className="visually-hidden">{t('common.language')}</span>
      <select
        data-testid="language-switch"
        value={i18n.language}
        onChange={(e) => switchLanguage(pickLanguage(e.target.value, []))}
      >
        {languages.map((l) => (
          <option key={l} value={l} lang={l}>
            {names[l]}
          </option>
        ))}
      </select>
    </label>
  );
}
