import type { TimelineEntry } from '@reserveit/console-api';
import { useQuery } from '@tanstack/react-query';
import { Link, useParams, useSearch } from '@tanstack/react-router';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { call } from '../api/client.js';
import { keys } from '../domain/query-keys.js';
import { membershipOf, useSession } from '../session.js';
import { ErrorMessage } from '../ui/error-message.js';
import { StatusBadge } from '../ui/status-badge.js';

type Render<K extends TimelineEntry['kind']> = (entry: Extract<TimelineEntry, { kind: K }>) => ReactNode;

function BookingRow({ entry }: { entry: Extract<TimelineEntry, { kind: 'booking' }> }) {
  const { t } = useTranslation();
  return (
    <>
      <strong>{t('timeline.booking', { date: entry.date, time: entry.time })}</strong>{' '}
      <span>{t('booking.party', { count: entry.partySize })}</span> <StatusBadge status={entry.status} />
    </>
  );
}

function MessageRow({ entry }: { entry: Extract<TimelineEntry, { kind: 'message' }> }) {
  const { t } = useTranslation();
  const who =
    entry.direction === 'in'
      ? t('timeline.guest')
      : entry.author.startsWith('staff:')
        ? entry.author.slice(6)
        : t('conversation.bot');
  return (
    <>
      <strong>{who}:</strong> <span dir="auto">{entry.text}</span>
      {entry.status === 'failed' ? (
        <span className="failure">
          {' '}
          {t('delivery.failedBecause', { error: entry.error || t('delivery.noReason') })}
        </span>
      ) : null}
    </>
  );
}

function ReminderAnswerRow({ entry }: { entry: Extract<TimelineEntry, { kind: 'reminder_answer' }> }) {
  const { t } = useTranslation();
  return entry.answer === 'confirmed' ? (
    <span className="badge status-confirmed">{t('timeline.confirmed')}</span>
  ) : (
    <span className="badge status-no_show">{t('timeline.late', { minutes: entry.minutes ?? 0 })}</span>
  );
}

function NoShowFlagRow() {
  const { t } = useTranslation();
  return <span className="badge status-no_show">{t('timeline.noShowFlag')}</span>;
}

function RatingRow({ entry }: { entry: Extract<TimelineEntry, { kind: 'rating' }> }) {
  const { t } = useTranslation();
  return (
    <>
      <strong className={entry.rating <= 2 ? 'failure' : ''} data-rating={entry.rating}>
        {t('timeline.rating', { rating: entry.rating })}
      </strong>
      {entry.comment ? (
        <>
          {' '}
          <span dir="auto">“{entry.comment}”</span>
        </>
      ) : null}
    </>
  );
}

/** One renderer per kind: a new kind of entry (a reminder, a rating) is one row here. */
const ROWS: { [K in TimelineEntry['kind']]: Render<K> } = {
  booking: (entry) => <BookingRow entry={entry} />,
  message: (entry) => <MessageRow entry={entry} />,
  reminder_answer: (entry) => <ReminderAnswerRow entry={entry} />,
  no_show_flag: () => <NoShowFlagRow />,
  rating: (entry) => <RatingRow entry={entry} />,
};

function row(entry: TimelineEntry): ReactNode {
  return (ROWS[entry.kind] as Render<TimelineEntry['kind']>)(entry as never);
}

/** One guest's history across visits: bookings with their status, and the conversation's messages. */
export function GuestTimelineScreen() {
  const { t, i18n } = useTranslation();
  const { businessId } = useParams({ from: '/r/$businessId/guest' });
  const search = useSearch({ from: '/r/$businessId/guest' });
  const session = useSession();
  const timeZone = session.data ? membershipOf(session.data, businessId)?.timezone : undefined;
  const timeline = useQuery({
    queryKey: keys.timeline(businessId, search.conversationId ?? '', search.reservationId ?? ''),
    queryFn: () =>
      call('timeline', {
        params: { businessId },
        query: {
          ...(search.conversationId ? { conversationId: search.conversationId } : {}),
          ...(search.reservationId ? { reservationId: search.reservationId } : {}),
        },
      }),
  });
  if (timeline.isPending) return <p className="loading">{t('common.loading')}</p>;
  if (timeline.isError) return <ErrorMessage error={timeline.error} />;
  const data = timeline.data;
  const when = new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium', timeStyle: 'short', timeZone });
  return (
    <main className="timeline" data-testid="timeline">
      <header className="conversation-head">
        <div className="grow">
          <h2>{t('timeline.title', { name: data.guestName || t('inbox.unknownGuest') })}</h2>
          <bdi className="muted phone" dir="ltr">
            ••{data.guestPhoneTail}
          </bdi>
        </div>
        {data.conversationId ? (
          <Link
            to="/r/$businessId/inbox/$conversationId"
            params={{ businessId, conversationId: data.conversationId }}
            className="button ghost"
          >
            {t('timeline.openConversation')}
          </Link>
        ) : null}
      </header>
      {data.entries.length === 0 ? <p className="muted">{t('timeline.empty')}</p> : null}
      <ol className="timeline-entries">
        {data.entries.map((entry, i) => (
          // Entries have no id of their own across kinds; the list is read-only and refetched whole.
          // biome-ignore lint/suspicious/noArrayIndexKey: see above
          <li key={i} data-testid={`timeline-${entry.kind}`}>
            <time className="muted" dateTime={entry.at}>
              {when.format(new Date(entry.at))}
            </time>{' '}
            {row(entry)}
          </li>
        ))}
      </ol>
    </main>
  );
}
