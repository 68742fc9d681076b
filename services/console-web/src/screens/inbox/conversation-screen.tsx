import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useParams } from '@tanstack/react-router';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { call } from '../../api/client.js';
import { takenByMe } from '../../domain/inbox.js';
import { keys } from '../../domain/query-keys.js';
import { useRestaurantTimeZone, useSession } from '../../session.js';
import { ErrorMessage } from '../../ui/error-message.js';
import { StatusBadge } from '../../ui/status-badge.js';
import { useNow } from '../../ui/use-now.js';
import { useRequestId } from '../../ui/use-request-id.js';
import { SourceBadge } from '../day/booking-card.js';
import { Composer } from './composer.js';
import { MessageBubble } from './message-bubble.js';
import { StateBadge } from './state-badge.js';

export function ConversationScreen() {
  const { t } = useTranslation();
  const { businessId, conversationId } = useParams({ from: '/r/$businessId/inbox/$conversationId' });
  const queryClient = useQueryClient();
  const session = useSession();
  const timeZone = useRestaurantTimeZone(businessId);
  const now = useNow(15_000);
  const requestIds = useRequestId();
  const detail = useQuery({
    queryKey: keys.conversation(businessId, conversationId),
    queryFn: () => call('conversation', { params: { businessId, conversationId } }),
  });
  const refresh = (summary: { id: string }) =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: keys.conversation(businessId, summary.id) }),
      queryClient.invalidateQueries({ queryKey: keys.inbox(businessId) }),
    ]);
  const markRead = useMutation({
    mutationFn: () => call('markRead', { params: { businessId, conversationId } }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: keys.inbox(businessId) }),
  });
  const handoff = useMutation({
    mutationFn: (action: 'takeOver' | 'release') =>
      call(action, { params: { businessId, conversationId }, body: { requestId: requestIds.next(action) } }),
    onSettled: (_data, error) => requestIds.settle(error),
    onSuccess: refresh,
  });

  // Read when opened, and again when a message arrives while it is open; once per newest message.
  const lastMessageId = detail.data?.messages.at(-1)?.id;
  const markedFor = useRef<string | null>(null);
  const unread = detail.data?.conversation.unread ?? 0;
  const { mutate: mark } = markRead;
  useEffect(() => {
    const marker = `${conversationId}:${lastMessageId ?? ''}`;
    if (!detail.isSuccess || markedFor.current === marker) return;
    markedFor.current = marker;
    if (unread > 0) mark();
  }, [conversationId, lastMessageId, unread, detail.isSuccess, mark]);

  const end = useRef<HTMLLIElement>(null);
  const messageCount = detail.data?.messages.length ?? 0;
  useEffect(() => {
    if (messageCount > 0) end.current?.scrollIntoView({ block: 'end' });
  }, [messageCount]);

  if (detail.isPending) return <p className="loading">{t('common.loading')}</p>;
  if (detail.isError) return <ErrorMessage error={detail.error} />;
  const { conversation: c, messages, reservations } = detail.data;
  const mine = session.data ? takenByMe(c, session.data.staff) : false;
  const handoffAction = mine ? 'release' : 'takeOver';

  return (
    <div className="conversation" data-testid="conversation" data-conversation-id={c.id} data-state={c.state}>
      <header className="conversation-head">
        <Link
          to="/r/$businessId/inbox"
          params={{ businessId }}
          className="button ghost back"
          data-testid="inbox-back"
        >
          {t('inbox.back')}
        </Link>
        <div className="grow">
          <h2>{c.guestName || t('inbox.unknownGuest')}</h2>
          <span className="muted phone" dir="ltr">
            ••{c.guestPhoneTail}
          </span>{' '}
          <StateBadge conversation={c} now={now} />{' '}
          <Link
            to="/r/$businessId/guest"
            params={{ businessId }}
            search={{ conversationId: c.id }}
            data-testid="guest-history"
          >
            {t('timeline.link')}
          </Link>
        </div>
        <button
          // A fresh button when the action flips, so focus on Release does not carry over to Take over.
          key={handoffAction}
          type="button"
          className={mine ? 'big' : 'primary big'}
          data-testid={mine ? 'release' : 'take-over'}
          disabled={handoff.isPending}
          onClick={() => handoff.mutate(handoffAction)}
        >
          {t(`conversation.${handoffAction}`)}
        </button>
      </header>
      <ErrorMessage error={handoff.error} />
      <div className="conversation-body">
        <div className="thread">
          <ol className="messages" data-testid="messages">
            {messages.map((m) => (
              <MessageBubble key={m.id} message={m} guestName={c.guestName} timeZone={timeZone} />
            ))}
            <li ref={end} aria-hidden="true" className="end" />
          </ol>
          {mine ? (
            <Composer key={conversationId} businessId={businessId} detail={detail.data} now={now} />
          ) : (
            <p className="muted pad" data-testid="composer-locked">
              {c.state === 'taken'
                ? t('conversation.takenByOther', { name: c.takenBy })
                : t('conversation.takeOverToReply')}
            </p>
          )}
        </div>
        <aside
          className="guest-bookings"
          data-testid="guest-bookings"
          aria-label={t('conversation.bookings')}
        >
          <h3>{t('conversation.bookings')}</h3>
          {reservations.length === 0 ? <p className="muted">{t('conversation.noBookings')}</p> : null}
          <ul>
            {reservations.map((r) => (
              <li key={r.id} className="mini-booking" data-testid={`guest-booking-${r.id}`}>
                <Link to="/r/$businessId/day" params={{ businessId }} search={{ date: r.date }}>
                  <strong>
                    {r.date} {r.time}
                  </strong>
                </Link>
                <span>{t('booking.party', { count: r.partySize })}</span>
                <StatusBadge status={r.status} />
                <SourceBadge reservation={r} />
                {r.notes ? <p className="notes">{r.notes}</p> : null}
              </li>
            ))}
          </ul>
        </aside>
      </div>
    </div>
  );
}
