import type { ConversationSummary } from '@reserveit/console-api';
import { useTranslation } from 'react-i18next';
import { waitingLabel } from '../../domain/waiting.js';

export function StateBadge(props: { conversation: ConversationSummary; now: Date }) {
  const { t } = useTranslation();
  const c = props.conversation;
  let text: string;
  if (c.state === 'taken') text = t('inbox.state.takenBy', { name: c.takenBy });
  else if (c.state === 'bot') text = t('inbox.state.bot');
  else if (c.waitingSince === null) text = t('inbox.state.waiting');
  else {
    const label = waitingLabel(c.waitingSince, props.now);
    text =
      label.unit === 'justNow'
        ? t('inbox.waitingJustNow')
        : t(label.unit === 'minutes' ? 'inbox.waitingMinutes' : 'inbox.waitingHours', { count: label.count });
  }
  return (
    <span className={`badge state-${c.state}`} data-testid="conversation-state" data-state={c.state}>
      {text}
    </span>
  );
}
