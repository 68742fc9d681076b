import type { BookingRules, Settings } from '@reserveit/console-api';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { fieldOf } from '../../api/errors.js';
import { InputField, NumberField } from '../../ui/field.js';
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
  const saving = useSaveSettings(props.businessId, 'general');
  const [name, setName] = useState(props.settings.name);
  const [rules, setRules] = useState<BookingRules>(props.settings.rules);
  const [bookingFlowId, setBookingFlowId] = useState(props.settings.bookingFlowId);
  const [waitlist, setWaitlist] = useState(props.settings.waitlist);
  const bad = fieldOf(saving.save.error);
  return (
    <Section
      title={t('settings.general')}
      testId="settings-general"
      saving={saving}
      change={{ name, rules, bookingFlowId, waitlist }}
    >
      <InputField
        label={t('settings.name')}
        invalid={bad === 'name'}
        testId="settings-name"
        value={name}
        onValue={setName}
      />
      <div className="grid">
        {ruleNames.map((rule) => (
          <NumberField
            key={rule}
            label={t(`rules.${rule}`)}
            invalid={bad === `rules.${rule}`}
            min={0}
            inputMode="numeric"
            testId={`rule-${rule}`}
            value={rules[rule]}
            onValue={(value) => setRules({ ...rules, [rule]: value })}
          />
        ))}
      </div>
      <InputField
        label={t('settings.bookingFlowId')}
        invalid={bad === 'bookingFlowId'}
        inputMode="numeric"
        testId="settings-booking-flow-id"
        value={bookingFlowId}
        onValue={setBookingFlowId}
      />
      <p className="muted">{t('settings.bookingFlowIdHint')}</p>
      <label className="check">
        <input
          type="checkbox"
          data-testid="settings-waitlist"
          checked={waitlist.enabled}
          onChange={(e) => setWaitlist({ ...waitlist, enabled: e.target.checked })}
        />
        {t('settings.waitlist')}
      </label>
      <NumberField
        label={t('settings.waitlistHold')}
        invalid={bad === 'waitlist.holdMinutes'}
        min={1}
        inputMode="numeric"
        testId="settings-waitlist-hold"
        value={waitlist.holdMinutes}
        onValue={(holdMinutes) => setWaitlist({ ...waitlist, holdMinutes })}
      />
    </Section>
  );
}
