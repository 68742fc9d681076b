import type { Message } from '@reserveit/console-api';
import { useTranslation } from 'react-i18next';
import { authorOf, tickOf } from '../../domain/messages.js';

export function MessageBubble(props: { message: Message; guestName: string; timeZone: string | undefined }) {
  const { t, i18n } = useTranslation();
  const m = props.message;
  const author = authorOf(m);
  const tick = tickOf(m.status);
  const label =
    author.kind === 'staff'
      ? t('conversation.staffAuthor', { name: author.name })
      : author.kind === 'bot'
        ? t('conversation.bot')
        : props.guestName || t('conversation.guest');
  return (
    <li
      className={`bubble ${author.kind === 'guest' ? 'from-guest' : 'from-us'} author-${author.kind}${m.status === 'failed' ? ' failed' : ''}`}
      data-testid={`message-${m.id}`}
      data-direction={m.direction}
      data-status={m.status ?? ''}
    >
      <span className="author">{label}</span>
      <p className="text" dir="auto">
        {m.text || t('conversation.kind', { kind: m.kind })}
      </p>
      <span className="meta">
        <time dateTime={m.at}>
          {new Intl.DateTimeFormat(i18n.language, {
            hour: '2-digit',
            minute: '2-digit',
            timeZone: props.timeZone,
          }).format(new Date(m.at))}
        </time>
        {tick ? (
          <span
            className={`tick tick-${tick.tone}`}
            data-testid="message-tick"
            title={m.status ? t(`delivery.${m.status}`) : undefined}
          >
            {tick.symbol}
            <span className="visually-hidden">{m.status ? t(`delivery.${m.status}`) : ''}</span>
          </span>
        ) : null}
      </span>
      {m.status === 'failed' ? (
        <span className="failure" data-testid="message-error">
          {t('delivery.failedBecause', { error: m.error || t('delivery.noReason') })}
        </span>
      ) : null}
    </li>
  );
}
