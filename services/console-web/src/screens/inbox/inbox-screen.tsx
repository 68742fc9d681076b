import { useInfiniteQuery } from '@tanstack/react-query';
import { Link, Outlet, useParams } from '@tanstack/react-router';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { call } from '../../api/client.js';
import { mergeInboxPages } from '../../domain/inbox.js';
import { keys } from '../../domain/query-keys.js';
import { useRestaurantTimeZone } from '../../session.js';
import { ErrorMessage } from '../../ui/error-message.js';
import { useNow } from '../../ui/use-now.js';
import { StateBadge } from './state-badge.js';

type StateFilter = '' | 'waiting' | 'taken' | 'bot';
const stateFilters: readonly StateFilter[] = ['', 'waiting', 'taken', 'bot'];
const asStateFilter = (value: string): StateFilter => stateFilters.find((f) => f === value) ?? '';

function useDebounced(value: string, ms: number): string {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return debounced;
}

export function InboxScreen() {
  const { t, i18n } = useTranslation();
  const { businessId } = useParams({ from: '/r/$businessId/inbox' });
  const open = useParams({ strict: false }).conversationId;
  const now = useNow();
  const [text, setText] = useState('');
  const [state, setState] = useState<StateFilter>('');
  const query = useDebounced(text.trim(), 300);
  const list = useInfiniteQuery({
    queryKey: keys.inboxFiltered(businessId, query, state),
    queryFn: ({ pageParam }) =>
      call('conversations', {
        params: { businessId },
        query: { query: query || undefined, state: state || undefined, cursor: pageParam },
      }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const conversations = list.data ? mergeInboxPages(list.data.pages) : [];
  const time = new Intl.DateTimeFormat(i18n.language, {
    hour: '2-digit',
    minute: '2-digit',
    day: 'numeric',
    month: 'short',
    timeZone: useRestaurantTimeZone(businessId),
  });

  return (
    <main className={open ? 'inbox has-open' : 'inbox'}>
      <aside className="inbox-list" aria-label={t('inbox.title')}>
        <div className="inbox-filters">
          <label className="grow">
            <span className="visually-hidden">{t('inbox.search')}</span>
            <input
              type="search"
              data-testid="inbox-search"
              placeholder={t('inbox.search')}
              value={text}
              onChange={(e) => setText(e.target.value)}
            />
          </label>
          <label>
            <span className="visually-hidden">{t('inbox.filter')}</span>
            <select
              data-testid="inbox-filter"
              value={state}
              onChange={(e) => setState(asStateFilter(e.target.value))}
            >
              <option value="">{t('inbox.filterAll')}</option>
              <option value="waiting">{t('inbox.state.waiting')}</option>
              <option value="taken">{t('inbox.filterTaken')}</option>
              <option value="bot">{t('inbox.state.bot')}</option>
            </select>
          </label>
        </div>
        {list.isPending ? <p className="loading">{t('common.loading')}</p> : null}
        <ErrorMessage error={list.error} />
        {list.isSuccess && conversations.length === 0 ? (
          <p className="muted pad">{t('inbox.empty')}</p>
        ) : null}
        <ul className="conversations">
          {conversations.map((c) => (
            <li key={c.id}>
              <Link
                to="/r/$businessId/inbox/$conversationId"
                params={{ businessId, conversationId: c.id }}
                className={c.id === open ? 'conversation-item active' : 'conversation-item'}
                data-testid={`inbox-item-${c.id}`}
                data-state={c.state}
              >
                <div className="item-top">
                  <strong className="grow">
                    <bdi>{c.guestName || t('inbox.unknownGuest')}</bdi>
                  </strong>
                  <span className="muted phone" dir="ltr">
                    ••{c.guestPhoneTail}
                  </span>
                  <time className="muted" dateTime={c.lastMessageAt}>
                    {time.format(new Date(c.lastMessageAt))}
                  </time>
                </div>
                <div className="item-bottom">
                  <StateBadge conversation={c} now={now} />
                  <span className="preview grow">
                    <bdi>{c.lastMessagePreview}</bdi>
                  </span>
                  {c.unread > 0 ? (
                    <span className="unread" data-testid="unread" data-count={c.unread}>
                      <span aria-hidden="true">{c.unread}</span>
                      <span className="visually-hidden">{t('inbox.unread', { count: c.unread })}</span>
                    </span>
                  ) : null}
                </div>
                {c.lowRating ? (
                  <div className="failure" role="alert" data-testid="inbox-low-rating">
                    {t('inbox.lowRating', { rating: c.lowRating })}
                  </div>
                ) : null}
                {c.lastFailure ? (
                  <div className="failure" data-testid="inbox-failure">
                    {t('delivery.failedBecause', { error: c.lastFailure || t('delivery.noReason') })}
                  </div>
                ) : null}
              </Link>
            </li>
          ))}
        </ul>
        {list.hasNextPage ? (
          <button
            type="button"
            className="ghost"
            data-testid="inbox-more"
            disabled={list.isFetchingNextPage}
            onClick={() => list.fetchNextPage()}
          >
            {t('inbox.more')}
          </button>
        ) : null}
      </aside>
      <section className="inbox-open">
        {open ? <Outlet /> : <p className="muted pad">{t('inbox.pick')}</p>}
      </section>
    </main>
  );
}
