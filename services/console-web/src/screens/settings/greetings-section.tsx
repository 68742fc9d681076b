import type { Settings } from '@reserveit/console-api';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { fieldOf } from '../../api/errors.js';
import { TextAreaField } from '../../ui/field.js';
import { Section } from './section.js';
import { useSaveSettings } from './use-save-settings.js';

/** One greeting per language the restaurant speaks (its locales' base languages), plus any already set. */
function greetingLanguages(settings: Settings): string[] {
  const bases = settings.locales.map((l) => l.toLowerCase().slice(0, 2));
  return [...new Set([...bases, ...Object.keys(settings.greetings)])].filter((l) => /^[a-z]{2}$/.test(l));
}

export function GreetingsSection(props: { businessId: string; settings: Settings }) {
  const { t, i18n } = useTranslation();
  const saving = useSaveSettings(props.businessId, 'greetings');
  const [greetings, setGreetings] = useState<Record<string, string>>(props.settings.greetings);
  const bad = fieldOf(saving.save.error);
  const names = new Intl.DisplayNames([i18n.language], { type: 'language' });
  return (
    <Section
      title={t('settings.greetings')}
      testId="settings-greetings"
      saving={saving}
      change={{ greetings }}
    >
      <p className="muted">{t('greetings.intro')}</p>
      {greetingLanguages(props.settings).map((language) => (
        <TextAreaField
          key={language}
          label={names.of(language) ?? language}
          invalid={bad === `greetings.${language}`}
          lang={language}
          dir="auto"
          testId={`greeting-${language}`}
          value={greetings[language] ?? ''}
          onValue={(greeting) => setGreetings({ ...greetings, [language]: greeting })}
        />
      ))}
    </Section>
  );
}
