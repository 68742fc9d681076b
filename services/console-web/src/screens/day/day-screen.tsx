import type { Reservation } from '@reserveit/console-api';
import { useQuery } from '@tanstack/react-query';
import { useNavigate, useParams, useSearch } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { call } from '../../api/client.js';
import { addDays, todayIn } from '../../domain/dates.js';
import { keys } from '../../domain/query-keys.js';
import { groupBySlot, type SlotGroup } from '../../domain/slots.js';
import { membershipOf, useSession } from '../../session.js';
import { ErrorMessage } from '../../ui/error-message.js';
import { BookingCard } from './booking-card.js';
import { NewBookingDialog } from './new-booking-dialog.js';
import { WaitlistPanel } from './waitlist-panel.js';

function SlotRow(props: { businessId: string; group: SlotGroup }) {
  const { t } = useTranslation();
  const { group } = props;
  const full = group.time !== null && group.coversUsed >= group.capacity;
  return (
    <section className="slot" data-testid={`slot-${group.time ?? 'early'}`}>
      <div className="slot-head">
        <h3 className="slot-time">{group.time ?? t('day.earlier')}</h3>
        {group.time !== null ? (
          <div className="slot-capacity">
            {/* The covers are also written out beside it, for screen readers. */}
            <div className={full ? 'bar full' : 'bar'} aria-hidden="true">
              <span style={{ inlineSize: `${group.fill}%` }} />
            </div>
            <span className="covers" data-testid="slot-covers">
              {t('day.coversOf', { used: group.coversUsed, capacity: group.capacity })}
            </span>
          </div>
        ) : null}
      </div>
      {group.reservations.length > 0 ? (
        <ul className="bookings">
          {group.reservations.map((r) => (
            <li key={r.id}>
              <BookingCard businessId={props.businessId} reservation={r} />
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}

/** The day's average rating, over the bookings rated so far. */
function AverageRating({ reservations }: { reservations: readonly Reservation[] }) {
  const { t, i18n } = useTranslation();
  const ratings = reservations.flatMap((r) => (r.rating ? [r.rating] : []));
  if (ratings.length === 0) return null;
  const average = ratings.reduce((sum, rating) => sum + rating, 0) / ratings.length;
  const shown = new Intl.NumberFormat(i18n.language, { maximumFractionDigits: 1 }).format(average);
  return (
    <p className="muted" data-testid="day-average-rating" data-average={average.toFixed(1)}>
      {t('day.averageRating', { average: shown, count: ratings.length })}
    </p>
  );
}

export function DayScreen() {
  const { t, i18n } = useTranslation();
  const { businessId } = useParams({ from: '/r/$businessId/day' });
  const search = useSearch({ from: '/r/$businessId/day' });
  const navigate = useNavigate({ from: '/r/$businessId/day' });
  const session = useSession();
  const membership = session.data ? membershipOf(session.data, businessId) : undefined;
  const timezone = membership?.timezone ?? 'UTC';
  const today = todayIn(timezone, new Date());
  const date = search.date ?? today;
  const [creating, setCreating] = useState(false);
  const day = useQuery({
    queryKey: keys.day(businessId, date),
    queryFn: () => call('day', { params: { businessId }, query: { date } }),
  });
  const go = (next: string) => navigate({ search: { date: next } });
  const heading = new Intl.DateTimeFormat(i18n.language, {
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    timeZone: 'UTC',
  }).format(new Date(`${date}T00:00:00Z`));

  return (
    <main className="day">
      <div className="toolbar">
        <div className="date-nav">
          <button type="button" className="big" data-testid="day-prev" onClick={() => go(addDays(date, -1))}>
            <span aria-hidden="true" className="flip">
              ‹
            </span>{' '}
            {t('day.previous')}
          </button>
          <label>
            <span className="visually-hidden">{t('day.date')}</span>
            <input
              type="date"
              className="big"
              data-testid="day-date"
              value={date}
              onChange={(e) => e.target.value && go(e.target.value)}
            />
          </label>
          <button type="button" className="big" data-testid="day-next" onClick={() => go(addDays(date, 1))}>
            {t('day.next')}{' '}
            <span aria-hidden="true" className="flip">
              ›
            </span>
          </button>
          {date !== today ? (
            <button type="button" className="big ghost" data-testid="day-today" onClick={() => go(today)}>
              {t('day.today')}
            </button>
          ) : null}
        </div>
        <button
          type="button"
          className="primary big"
          data-testid="new-booking"
          onClick={() => setCreating(true)}
        >
          {t('day.newBooking')}
        </button>
      </div>
      <h2 className="day-heading" data-testid="day-heading" data-date={date}>
        {heading}
      </h2>
      {day.isPending ? <p className="loading">{t('common.loading')}</p> : null}
      <ErrorMessage error={day.error} />
      {day.data ? (
        <>
          {day.data.closedReason ? (
            <p className="notice" data-testid="day-closed">
              {t('day.closed', { reason: day.data.closedReason })}
            </p>
          ) : null}
          {day.data.slots.length === 0 && day.data.reservations.length === 0 ? (
            <p className="muted">{t('day.empty')}</p>
          ) : null}
          <AverageRating reservations={day.data.reservations} />
          <div className="slots">
            {groupBySlot(day.data).map((group) => (
              <SlotRow key={group.time ?? 'early'} businessId={businessId} group={group} />
            ))}
          </div>
          <WaitlistPanel entries={day.data.waitlist} timezone={timezone} />
        </>
      ) : null}
      {creating ? (
        <NewBookingDialog
          businessId={businessId}
          date={date}
          timezone={timezone}
          onClose={() => setCreating(false)}
        />
      ) : null}
    </main>
  );
}
