import type { ConversationDetail, DeliveryStatus, Message } from '@reserveit/console-api';

export type Tick = { symbol: string; tone: 'muted' | 'read' | 'failed' };

/** WhatsApp's ticks: ✓ sent, ✓✓ delivered, blue ✓✓ read; failed in red. */
export function tickOf(status: DeliveryStatus | null): Tick | null {
  switch (status) {
    case null:
      return null;
    case 'pending':
      // A plain circle, not a clock emoji: a tablet without an emoji font would show a box.
      return { symbol: '○', tone: 'muted' };
    case 'sent':
      return { symbol: '✓', tone: 'muted' };
    case 'delivered':
      return { symbol: '✓✓', tone: 'muted' };
    case 'read':
      return { symbol: '✓✓', tone: 'read' };
    case 'failed':
      return { symbol: '!', tone: 'failed' };
  }
}

export type Author = { kind: 'guest' } | { kind: 'bot' } | { kind: 'staff'; name: string };

export function authorOf(message: Pick<Message, 'author' | 'direction'>): Author {
  if (message.author.startsWith('staff:'))
    return { kind: 'staff', name: message.author.slice('staff:'.length) };
  if (message.author === 'bot') return { kind: 'bot' };
  if (message.author === 'guest' || message.direction === 'in') return { kind: 'guest' };
  return { kind: 'bot' };
}

const rank: Record<DeliveryStatus, number> = { pending: 0, sent: 1, delivered: 2, read: 3, failed: 4 };

/**
 * A conversation with one message's tick moved on, or null when the message is not in it (the
 * caller refetches). Statuses arrive out of order, so a tick never goes back: a late "sent" after
 * "read" changes nothing.
 */
export function patchDelivery(
  detail: ConversationDetail,
  messageId: string,
  status: Exclude<DeliveryStatus, 'pending'>,
): ConversationDetail | null {
  const index = detail.messages.findIndex((m) => m.id === messageId);
  if (index < 0) return null;
  const current = detail.messages[index]!;
  if (current.status !== null && rank[current.status] >= rank[status]) return detail;
  const messages = detail.messages.slice();
  messages[index] = { ...current, status };
  return { ...detail, messages };
}

/** Whether free text may be sent now: WhatsApp's 24-hour window after the guest's last message. */
export function windowOpen(windowOpenUntil: string | null, now: Date): boolean {
  return windowOpenUntil !== null && Date.parse(windowOpenUntil) > now.getTime();
}
