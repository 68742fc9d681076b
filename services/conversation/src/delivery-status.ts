import type { OutboundEvent, StatusReceivedEvent } from '@reserveit/contracts';

/** How far an outbound message got, as staff see it beside the message. */
export type DeliveryStatus = 'pending' | 'sent' | 'delivered' | 'read' | 'failed';

/**
 * Statuses only move forward: Meta sends them out of order, repeats them, and skips `delivered`
 * when a message is delivered and read at once. `failed` outranks `sent` only: a message reported
 * delivered or read reached the guest, whatever failed later.
 */
const RANKS: Record<DeliveryStatus, number> = { pending: 0, sent: 10, failed: 15, delivered: 20, read: 30 };

/** The statuses of Meta's webhooks the history shows; `played` (a voice message) implies read. */
const WEBHOOK_STATUSES: Record<string, DeliveryStatus> = {
  sent: 'sent',
  delivered: 'delivered',
  read: 'read',
  played: 'read',
  failed: 'failed',
};

/** Error texts are Meta's and unbounded; the history keeps this much of them. */
const ERROR_LENGTH = 1024;

export interface Delivery {
  status: DeliveryStatus;
  /** With `failed`: the Graph error code and reason. */
  error: string | null;
}

/**
 * What one outcome or status says about one outbound message. `messageId` is its OUTBOUND dedupe
 * key (the history's id), when the event names it; `wamid` is Meta's id of it, when known.
 */
export interface DeliveryUpdate extends Delivery {
  messageId: string | undefined;
  wamid: string | undefined;
  rank: number;
}

export function isDeliveryStatus(value: string): value is DeliveryStatus {
  return Object.hasOwn(RANKS, value);
}

/** The further of two deliveries (the first of equal ones); a message with neither is pending. */
export function furthest(a: Delivery | undefined, b: Delivery | undefined): Delivery {
  if (!a) return b ?? { status: 'pending', error: null };
  if (!b) return a;
  return RANKS[b.status] > RANKS[a.status] ? b : a;
}

/**
 * The sender's outcome of a command. A success without a wamid is a read receipt (no message of
 * the history): nothing to show.
 */
export function outcomeUpdate(event: OutboundEvent): DeliveryUpdate | undefined {
  if (event.type === 'whatsapp.send.succeeded') {
    if (!event.wamid) return undefined;
    return { messageId: event.id, wamid: event.wamid, status: 'sent', rank: RANKS.sent, error: null };
  }
  return {
    messageId: event.id,
    wamid: undefined,
    status: 'failed',
    rank: RANKS.failed,
    error: errorText(event.code, event.reason),
  };
}

/**
 * A status webhook. The sender puts the command's key in `biz_opaque_callback_data`, which Meta
 * echoes; a status without it is known by Meta's wamid alone. Undefined for statuses Meta does not
 * document (they change nothing).
 */
export function statusUpdate(event: StatusReceivedEvent): DeliveryUpdate | undefined {
  const { status } = event;
  const value = WEBHOOK_STATUSES[status.status];
  if (!value) return undefined;
  const error = status.errors?.[0];
  const detail = error?.error_data?.details;
  return {
    messageId: status.biz_opaque_callback_data || undefined,
    wamid: status.id,
    status: value,
    rank: RANKS[value],
    error:
      value === 'failed' && error
        ? errorText(error.code, [error.title ?? error.message, detail].filter(Boolean).join(': '))
        : null,
  };
}

function errorText(code: number, reason: string): string {
  return (reason ? `${code}: ${reason}` : String(code)).slice(0, ERROR_LENGTH);
}
