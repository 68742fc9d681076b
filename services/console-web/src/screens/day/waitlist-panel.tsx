import type { WaitlistEntry } from '@reserveit/console-api';
import { useTranslation } from 'react-i18next';

/**
 * The parties waiting for a full seating of the day, in join order. An offered party has the
 * table held until its offer expires; the reservation service moves it on by itself.
 */
export function WaitlistPanel(props: { entries: WaitlistEntry[]; timezone: string }) {
  const { t, i18n } = useTranslation();
  if (props.entries.length === 0) return null;
  const clock = new Intl.DateTimeFormat(i18n.language, {
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZone: props.timezone,
  });
  return (
    <section className="waitlist" data-testid="waitlist">
      <h3>{t('waitlist.title', { count: props.entries.length })}</h3>
      <ol className="waitlist-entries">
        {props.entries.map((entry) => (
          <li key={entry.id} data-testid="waitlist-entry" data-status={entry.status}>
            <span className="slot-time">{entry.time}</span>{' '}
            <span>{t('waitlist.party', { count: entry.partySize })}</span>{' '}
            <strong>{entry.guestName || t('waitlist.noName')}</strong>{' '}
            {/* Isolated, so the ellipsis stays before the digits in Arabic too. */}
            <bdi className="muted" dir="ltr">
              …{entry.guestPhoneTail}
            </bdi>{' '}
            <span className={`badge waitlist-${entry.status}`}>{t(`waitlist.status.${entry.status}`)}</span>
            {entry.status === 'offered' && entry.offerExpiresAt ? (
              <span className="muted">
                {' '}
                {t('waitlist.heldUntil', { time: clock.format(new Date(entry.offerExpiresAt)) })}
              </span>
            ) : null}
          </li>
        ))}
      </ol>
    </section>
  );
}
