import type { BookingRules, Settings } from '@reserveit/console-api';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { fieldOf } from '../../api/errors.js';
import { Field } from '../../ui/field.js';
import { Section } from './section.js';
import { useSaveSettings } from './use-save-settings.js';

const ruleNames: readonly (keyof BookingRules)[] = [
  'capacityCovers',
  'maxPartySize',
  'slotMinutes',
  'seatingMinutes',
  'minLeadMinutes',
  'horizonDays',
  'cancellationCutoffMinutes',
];

export function GeneralSection(props: { businessId: string; settings: Settings }) {
  const { t } = useTranslation();
  const { save, saved } = useSaveSettings(props.businessId, 'general');
  const [name, setName] = useState(props.settings.name);
  const [rules, setRules] = useState<BookingRules>(props.settings.rules);
  const bad = fieldOf(save.error);
  return (
    <Section
      title={t('settings.general')}
      testId="settings-general"
      error={save.error}
      saving={save.isPending}
      saved={saved}
      onSave={() => save.mutate({ name, rules })}
    >
      <Field label={t('settings.name')} invalid={bad === 'name'}>
        {(id) => (
          <input id={id} data-testid="settings-name" value={name} onChange={(e) => setName(e.target.value)} />
        )}
      </Field>
      <div className="grid">
        {ruleNames.map((rule) => (
          <Field key={rule} label={t(`rules.${rule}`)} invalid={bad === `rules.${rule}`}>
            {(id) => (
              <input
                id={id}
                type="number"
                min={0}
                inputMode="numeric"
                data-testid={`rule-${rule}`}
                value={rules[rule]}
                onChange={(e) => setRules({ ...rules, [rule]: e.target.valueAsNumber })}
              />
            )}
          </Field>
        ))}
      </div>
    </Section>
  );
}
