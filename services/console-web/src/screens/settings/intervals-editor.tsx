import { useTranslation } from 'react-i18next';

export interface Interval {
  start: string;
  end: string;
}

/** Opening intervals of one day: none means closed. */
export function IntervalsEditor(props: {
  label: string;
  testId: string;
  intervals: Interval[];
  invalidPrefix: string | null;
  onChange: (intervals: Interval[]) => void;
}) {
  const { t } = useTranslation();
  const { intervals, onChange } = props;
  const set = (i: number, patch: Partial<Interval>) =>
    onChange(intervals.map((iv, j) => (j === i ? { ...iv, ...patch } : iv)));
  return (
    <div className="intervals" data-testid={props.testId}>
      <span className="intervals-label">{props.label}</span>
      <div className="intervals-list">
        {intervals.length === 0 ? <span className="muted">{t('hours.closed')}</span> : null}
        {intervals.map((iv, i) => (
          // Intervals have no id of their own; their position is what the server reports errors by.
          // biome-ignore lint/suspicious/noArrayIndexKey: see above
          <span key={i} className={props.invalidPrefix === String(i) ? 'interval invalid' : 'interval'}>
            <input
              type="time"
              aria-label={t('hours.from')}
              value={iv.start}
              onChange={(e) => set(i, { start: e.target.value })}
            />
            <span aria-hidden="true">–</span>
            <input
              type="time"
              aria-label={t('hours.to')}
              value={iv.end}
              onChange={(e) => set(i, { end: e.target.value })}
            />
            <button
              type="button"
              className="ghost"
              onClick={() => onChange(intervals.filter((_, j) => j !== i))}
              aria-label={t('hours.removeInterval')}
            >
              ✕
            </button>
          </span>
        ))}
        <button
          type="button"
          className="ghost"
          data-testid={`${props.testId}-add`}
          onClick={() => onChange([...intervals, { start: '12:00', end: '15:00' }])}
        >
          {t('hours.addInterval')}
        </button>
      </div>
    </div>
  );
}
