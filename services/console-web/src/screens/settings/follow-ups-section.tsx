import type { FollowUps, Settings } from '@reserveit/console-api';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { fieldOf } from '../../api/errors.js';
import { InputField, NumberField } from '../../ui/field.js';
import { Section } from './section.js';
import { useSaveSettings } from './use-save-settings.js';

function Check(props: {
  label: string;
  testId: string;
  checked: boolean;
  onChecked(checked: boolean): void;
}) {
  return (
    <label className="check">
      <input
        type="checkbox"
        data-testid={props.testId}
        checked={props.checked}
        onChange={(e) => props.onChecked(e.target.checked)}
      />
      {props.label}
    </label>
  );
}

/**
 * Reminders (hours before the booking, quiet hours, the template sent outside WhatsApp's 24-hour
 * window), the no-show check and feedback requests. Offsets are edited in hours, kept in minutes.
 */
export function FollowUpsSection(props: { businessId: string; settings: Settings }) {
  const { t } = useTranslation();
  const saving = useSaveSettings(props.businessId, 'followUps');
  const [followUps, setFollowUps] = useState<FollowUps>(props.settings.followUps);
  const [offsets, setOffsets] = useState(
    props.settings.followUps.reminders.offsetsMinutes.map((minutes) => String(minutes / 60)).join(', '),
  );
  const { reminders, noShow, feedback } = followUps;
  const setReminders = (change: Partial<FollowUps['reminders']>) =>
    setFollowUps({ ...followUps, reminders: { ...reminders, ...change } });
  const offsetsMinutes = offsets
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)
    .map((hours) => Math.round(Number(hours) * 60));
  const bad = fieldOf(saving.save.error);
  const utility = props.settings.templates.filter((template) => template.category === 'utility');
  return (
    <Section
      title={t('followUps.title')}
      testId="settings-follow-ups"
      saving={saving}
      change={{ followUps: { ...followUps, reminders: { ...reminders, offsetsMinutes } } }}
    >
      <h3>{t('followUps.reminders')}</h3>
      <Check
        label={t('followUps.remindersEnabled')}
        testId="reminders-enabled"
        checked={reminders.enabled}
        onChecked={(enabled) => setReminders({ enabled })}
      />
      <InputField
        label={t('followUps.offsets')}
        invalid={bad?.startsWith('followUps.reminders.offsetsMinutes') ?? false}
        testId="reminder-offsets"
        value={offsets}
        onValue={setOffsets}
      />
      <div className="grid">
        <InputField
          label={t('followUps.quietStart')}
          type="time"
          testId="quiet-start"
          value={reminders.quietHours?.start ?? ''}
          onValue={(start) =>
            setReminders({ quietHours: start ? { start, end: reminders.quietHours?.end ?? '08:00' } : null })
          }
        />
        <InputField
          label={t('followUps.quietEnd')}
          type="time"
          testId="quiet-end"
          value={reminders.quietHours?.end ?? ''}
          onValue={(end) =>
            setReminders({ quietHours: end ? { start: reminders.quietHours?.start ?? '22:00', end } : null })
          }
        />
      </div>
      <label className="field">
        <span>{t('followUps.template')}</span>
        <select
          data-testid="reminder-template"
          value={reminders.templateName ?? ''}
          onChange={(e) => setReminders({ templateName: e.target.value || null })}
        >
          <option value="">{t('followUps.noTemplate')}</option>
          {[...new Set(utility.map((template) => template.name))].map((name) => (
            <option key={name} value={name}>
              {name}
            </option>
          ))}
        </select>
      </label>
      <p className="muted">{t('followUps.templateHint')}</p>

      <h3>{t('followUps.noShow')}</h3>
      <Check
        label={t('followUps.noShowEnabled')}
        testId="no-show-enabled"
        checked={noShow.enabled}
        onChecked={(enabled) => setFollowUps({ ...followUps, noShow: { ...noShow, enabled } })}
      />
      <NumberField
        label={t('followUps.graceMinutes')}
        invalid={bad === 'followUps.noShow.graceMinutes'}
        min={5}
        testId="no-show-grace"
        value={noShow.graceMinutes}
        onValue={(graceMinutes) => setFollowUps({ ...followUps, noShow: { ...noShow, graceMinutes } })}
      />
      <Check
        label={t('followUps.autoMark')}
        testId="no-show-auto-mark"
        checked={noShow.autoMark}
        onChecked={(autoMark) => setFollowUps({ ...followUps, noShow: { ...noShow, autoMark } })}
      />
      <Check
        label={t('followUps.messageGuest')}
        testId="no-show-message-guest"
        checked={noShow.messageGuest}
        onChecked={(messageGuest) => setFollowUps({ ...followUps, noShow: { ...noShow, messageGuest } })}
      />

      <h3>{t('followUps.feedback')}</h3>
      <Check
        label={t('followUps.feedbackEnabled')}
        testId="feedback-enabled"
        checked={feedback.enabled}
        onChecked={(enabled) => setFollowUps({ ...followUps, feedback: { ...feedback, enabled } })}
      />
      <NumberField
        label={t('followUps.feedbackDelay')}
        invalid={bad === 'followUps.feedback.delayMinutes'}
        min={30}
        testId="feedback-delay"
        value={feedback.delayMinutes}
        onValue={(delayMinutes) => setFollowUps({ ...followUps, feedback: { ...feedback, delayMinutes } })}
      />
    </Section>
  );
}
