import type { OpeningHours, Settings } from '@reserveit/console-api';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { fieldOf } from '../../api/errors.js';
import { segmentUnder } from '../../domain/field-paths.js';
import { DateAdder } from './date-adder.js';
import { type Interval, IntervalsEditor } from './intervals-editor.js';
import { Section } from './section.js';
import { useSaveSettings } from './use-save-settings.js';

const weekdays = ['1', '2', '3', '4', '5', '6', '7'] as const;

export function HoursSection(props: { businessId: string; settings: Settings }) {
  const { t } = useTranslation();
  const saving = useSaveSettings(props.businessId, 'hours');
  const [hours, setHours] = useState<OpeningHours>(props.settings.hours);
  const bad = fieldOf(saving.save.error);
  const setWeekday = (day: (typeof weekdays)[number], intervals: Interval[]) =>
    setHours({ ...hours, weekly: { ...hours.weekly, [day]: intervals } });
  const setSpecial = (date: string, intervals: Interval[] | null) => {
    const specialHours = { ...hours.specialHours };
    if (intervals === null) delete specialHours[date];
    else specialHours[date] = intervals;
    setHours({ ...hours, specialHours });
  };

  return (
    <Section title={t('settings.hours')} testId="settings-hours" saving={saving} change={{ hours }}>
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
      <DateAdder
        label={t('hours.closedDate')}
        invalid={bad?.startsWith('hours.closedDates') ?? false}
        testId="closed-date"
        taken={(date) => hours.closedDates.includes(date)}
        onAdd={(date) => setHours({ ...hours, closedDates: [...hours.closedDates, date].sort() })}
      />

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
      <DateAdder
        label={t('hours.specialDate')}
        testId="special-date"
        taken={(date) => date in hours.specialHours}
        onAdd={(date) => setSpecial(date, [{ start: '12:00', end: '15:00' }])}
      />
    </Section>
  );
}
