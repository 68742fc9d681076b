import type { OpeningHours, Settings } from '@reserveit/console-api';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { fieldOf } from '../../api/errors.js';
import { segmentUnder } from '../../domain/field-paths.js';
import { Field } from '../../ui/field.js';
import { type Interval, IntervalsEditor } from './intervals-editor.js';
import { Section } from './section.js';
import { useSaveSettings } from './use-save-settings.js';

const weekdays = ['1', '2', '3', '4', '5', '6', '7'] as const;

export function HoursSection(props: { businessId: string; settings: Settings }) {
  const { t } = useTranslation();
  const { save, saved } = useSaveSettings(props.businessId, 'hours');
  const [hours, setHours] = useState<OpeningHours>(props.settings.hours);
  const [newClosed, setNewClosed] = useState('');
  const [newSpecial, setNewSpecial] = useState('');
  const bad = fieldOf(save.error);
  const setWeekday = (day: (typeof weekdays)[number], intervals: Interval[]) =>
    setHours({ ...hours, weekly: { ...hours.weekly, [day]: intervals } });
  const setSpecial = (date: string, intervals: Interval[] | null) => {
    const specialHours = { ...hours.specialHours };
    if (intervals === null) delete specialHours[date];
    else specialHours[date] = intervals;
    setHours({ ...hours, specialHours });
  };

  return (
    <Section
      title={t('settings.hours')}
      testId="settings-hours"
      error={save.error}
      saving={save.isPending}
      saved={saved}
      onSave={() => save.mutate({ hours })}
    >
      <h3>{t('hours.weekly')}</h3>
      {weekdays.map((day) => (
        <IntervalsEditor
          key={day}
          label={t(`weekday.${day}`)}
          testId={`hours-weekday-${day}`}
          intervals={hours.weekly[day] ?? []}
          invalidPrefix={segmentUnder(bad, `hours.weekly.${day}`)}
          onChange={(intervals) => setWeekday(day, intervals)}
        />
      ))}

      <h3>{t('hours.closedDates')}</h3>
      <ul className="chips" data-testid="closed-dates">
        {hours.closedDates.map((date) => (
          <li key={date} className="chip">
            <span dir="ltr">{date}</span>
            <button
              type="button"
              className="ghost"
              aria-label={t('common.removeThing', { thing: date })}
              onClick={() => setHours({ ...hours, closedDates: hours.closedDates.filter((d) => d !== date) })}
            >
              ✕
            </button>
          </li>
        ))}
      </ul>
      <div className="row end">
        <Field label={t('hours.closedDate')} invalid={bad?.startsWith('hours.closedDates') ?? false}>
          {(id) => (
            <input
              id={id}
              type="date"
              data-testid="closed-date-input"
              value={newClosed}
              onChange={(e) => setNewClosed(e.target.value)}
            />
          )}
        </Field>
        <button
          type="button"
          data-testid="closed-date-add"
          disabled={newClosed === '' || hours.closedDates.includes(newClosed)}
          onClick={() => {
            setHours({ ...hours, closedDates: [...hours.closedDates, newClosed].sort() });
            setNewClosed('');
          }}
        >
          {t('common.add')}
        </button>
      </div>

      <h3>{t('hours.specialDays')}</h3>
      {Object.keys(hours.specialHours)
        .sort()
        .map((date) => (
          <div key={date} className="special-day">
            <IntervalsEditor
              label={date}
              testId={`special-${date}`}
              intervals={hours.specialHours[date] ?? []}
              invalidPrefix={segmentUnder(bad, `hours.specialHours.${date}`)}
              onChange={(intervals) => setSpecial(date, intervals)}
            />
            <button type="button" className="ghost danger-text" onClick={() => setSpecial(date, null)}>
              {t('hours.removeSpecial')}
            </button>
          </div>
        ))}
      <div className="row end">
        <Field label={t('hours.specialDate')}>
          {(id) => (
            <input
              id={id}
              type="date"
              data-testid="special-date-input"
              value={newSpecial}
              onChange={(e) => setNewSpecial(e.target.value)}
            />
          )}
        </Field>
        <button
          type="button"
          data-testid="special-date-add"
          disabled={newSpecial === '' || newSpecial in hours.specialHours}
          onClick={() => {
            setSpecial(newSpecial, [{ start: '12:00', end: '15:00' }]);
            setNewSpecial('');
          }}
        >
          {t('common.add')}
        </button>
      </div>
    </Section>
  );
}
