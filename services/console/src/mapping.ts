import type {
  ConversationSummary,
  DeliveryStatus,
  FollowUps,
  Message,
  Reservation,
  ReservationStatus,
  Settings,
  Template,
  TimelineEntry,
  WaitlistEntry,
} from '@reserveit/console-api';
import * as conversation from '@reserveit/rpc/conversation/v1/conversation';
import * as reservation from '@reserveit/rpc/reservation/v1/reservation';

const STATUS: Record<number, ReservationStatus> = {
  [reservation.ReservationStatus.RESERVATION_STATUS_PENDING]: 'pending',
  [reservation.ReservationStatus.RESERVATION_STATUS_CONFIRMED]: 'confirmed',
  [reservation.ReservationStatus.RESERVATION_STATUS_CANCELLED]: 'cancelled',
  [reservation.ReservationStatus.RESERVATION_STATUS_NO_SHOW]: 'no_show',
  [reservation.ReservationStatus.RESERVATION_STATUS_SEATED]: 'seated',
  [reservation.ReservationStatus.RESERVATION_STATUS_FINISHED]: 'finished',
};

export const STATUS_TO_PROTO = {
  seated: reservation.ReservationStatus.RESERVATION_STATUS_SEATED,
  finished: reservation.ReservationStatus.RESERVATION_STATUS_FINISHED,
  no_show: reservation.ReservationStatus.RESERVATION_STATUS_NO_SHOW,
} as const;

/** A walk-in has no phone: the reservation service names it `walkin-<uuid>`. */
const WALK_IN = /^walkin-/;

export function toReservation(r: reservation.Reservation): Reservation {
  const walkIn = WALK_IN.test(r.guestWaId);
  return {
    id: r.id,
    guestName: r.guestName,
    guestPhone: walkIn || !/^\d+$/.test(r.guestWaId) ? '' : `+${r.guestWaId}`,
    partySize: r.partySize,
    date: r.serviceDate,
    time: r.time,
    startsAt: r.startsAt,
    endsAt: r.endsAt,
    status: STATUS[r.status] ?? 'pending',
    notes: r.notes,
    source: r.source === reservation.ReservationSource.RESERVATION_SOURCE_STAFF ? 'staff' : 'whatsapp',
    walkIn,
    guestConfirmed: r.guestConfirmedAt !== '',
    lateMinutes: r.lateMinutes > 0 ? r.lateMinutes : null,
    noShowFlagged: r.noShowFlaggedAt !== '',
    rating: r.feedbackRating > 0 ? r.feedbackRating : null,
    feedbackComment: r.feedbackComment,
  };
}

/**
 * What a booking adds to its guest's timeline beyond itself: the answers to its reminder, its
 * no-show flag and its rating. Running late and a rating keep no instant of their own: they sit at
 * the booking's start and end.
 */
export function followUpEntries(r: reservation.Reservation): TimelineEntry[] {
  const reservationId = r.id;
  return [
    ...(r.guestConfirmedAt
      ? [
          {
            kind: 'reminder_answer' as const,
            at: r.guestConfirmedAt,
            reservationId,
            answer: 'confirmed' as const,
            minutes: null,
          },
        ]
      : []),
    ...(r.lateMinutes > 0
      ? [
          {
            kind: 'reminder_answer' as const,
            at: r.startsAt,
            reservationId,
            answer: 'running_late' as const,
            minutes: r.lateMinutes,
          },
        ]
      : []),
    ...(r.noShowFlaggedAt ? [{ kind: 'no_show_flag' as const, at: r.noShowFlaggedAt, reservationId }] : []),
    ...(r.feedbackRating > 0
      ? [
          {
            kind: 'rating' as const,
            at: r.endsAt,
            reservationId,
            rating: r.feedbackRating,
            comment: r.feedbackComment,
          },
        ]
      : []),
  ];
}

export function toConversationSummary(c: conversation.Conversation): ConversationSummary {
  const human = c.mode === conversation.ConversationMode.CONVERSATION_MODE_HUMAN;
  const state = !human ? 'bot' : c.takenBy ? 'taken' : 'waiting';
  return {
    id: c.id,
    guestName: c.guestName,
    guestPhoneTail: c.guestId.replace(/\D/g, '').slice(-4),
    state,
    takenBy: c.takenBy,
    waitingSince: state === 'waiting' && c.waitingSince ? c.waitingSince : null,
    unread: c.unreadCount,
    lastMessageAt: c.lastMessageAt,
    lastMessagePreview: c.lastMessagePreview,
    lastFailure: c.lastFailure,
    lowRating: c.lowRating > 0 ? c.lowRating : null,
    language: c.language,
  };
}

const DELIVERY = new Set<string>(['pending', 'sent', 'delivered', 'read', 'failed']);

export function toMessage(m: conversation.Message): Message {
  const inbound = m.direction === conversation.Direction.DIRECTION_INBOUND;
  return {
    id: m.id,
    direction: inbound ? 'in' : 'out',
    author: m.author || (inbound ? 'guest' : 'bot'),
    kind: m.kind,
    text: m.text,
    at: m.at,
    status: inbound ? null : DELIVERY.has(m.status) ? (m.status as DeliveryStatus) : 'pending',
    error: m.error,
  };
}

/** WhatsApp's customer-service window: free-form messages until 24 hours after the guest's last one. */
export const SERVICE_WINDOW_MS = 24 * 60 * 60_000;

export function windowOpenUntil(lastInboundAt: string, now: number): string | null {
  if (!lastInboundAt) return null;
  const until = Date.parse(lastInboundAt) + SERVICE_WINDOW_MS;
  return until > now ? new Date(until).toISOString() : null;
}

const WEEKDAYS = ['1', '2', '3', '4', '5', '6', '7'] as const;

/**
 * reservation.v1's follow-ups as the console shows them. The service always sets them; a reply
 * without them (an older service) reads as everything off, never as settings nobody chose.
 */
export function followUpsOf(f: reservation.FollowUps | undefined): FollowUps {
  return {
    reminders: {
      enabled: f?.reminders?.enabled ?? false,
      offsetsMinutes: [...(f?.reminders?.offsetsMinutes ?? [])],
      quietHours: f?.reminders?.quietHours ? { ...f.reminders.quietHours } : null,
      templateName: f?.reminders?.templateName || null,
    },
    noShow: {
      enabled: f?.noShow?.enabled ?? false,
      graceMinutes: f?.noShow?.graceMinutes || 20,
      autoMark: f?.noShow?.autoMark ?? false,
      messageGuest: f?.noShow?.messageGuest ?? false,
    },
    feedback: { enabled: f?.feedback?.enabled ?? false, delayMinutes: f?.feedback?.delayMinutes || 180 },
  };
}

/** The console's follow-ups as reservation.v1 takes them ("" for no template, no message for no quiet hours). */
export function followUpsToProto(f: FollowUps): reservation.FollowUps {
  return {
    reminders: {
      enabled: f.reminders.enabled,
      offsetsMinutes: f.reminders.offsetsMinutes,
      ...(f.reminders.quietHours ? { quietHours: f.reminders.quietHours } : {}),
      templateName: f.reminders.templateName ?? '',
    },
    noShow: f.noShow,
    feedback: f.feedback,
  };
}

export function toSettings(b: reservation.Business, menu: reservation.MenuCategory[]): Settings {
  const rules = b.rules ?? {
    slotMinutes: 0,
    seatingMinutes: 0,
    capacityCovers: 0,
    maxPartySize: 0,
    minLeadMinutes: 0,
    horizonDays: 0,
    cancellationCutoffMinutes: 0,
  };
  const weekly: Settings['hours']['weekly'] = {};
  for (const day of b.hours?.weekly ?? []) {
    const key = WEEKDAYS[day.isoWeekday - 1];
    if (key) weekly[key] = day.intervals.map(({ start, end }) => ({ start, end }));
  }
  return {
    businessId: b.id,
    name: b.name,
    timezone: b.timezone,
    locales: b.locales,
    rules,
    hours: {
      weekly,
      closedDates: b.hours?.closedDates ?? [],
      specialHours: Object.fromEntries(
        (b.hours?.specialHours ?? []).map((s) => [
          s.date,
          s.intervals.map(({ start, end }) => ({ start, end })),
        ]),
      ),
    },
    greetings: b.greetings,
    templates: (b.templates?.items ?? []).map((t) => ({
      name: t.name,
      language: t.language,
      bodyParameters: t.bodyParameters,
      category: t.category === 'marketing' || t.category === 'authentication' ? t.category : 'utility',
      purpose: templatePurposeOf(t.purpose),
    })),
    bookingFlowId: b.bookingFlowId,
    waitlist: { enabled: b.waitlist?.enabled ?? false, holdMinutes: b.waitlist?.holdMinutes || 15 },
    followUps: followUpsOf(b.followUps),
    menu: menu.flatMap((category) =>
      category.items.map((item) => ({
        itemId: item.id,
        category: item.category,
        name: item.name,
        description: item.description,
        priceMinor: item.priceMinor,
        currency: item.currency,
        dietaryTags: item.dietaryTags,
        available: item.available,
        position: item.position,
      })),
    ),
  };
}

export function toProtoHours(hours: Settings['hours']): reservation.OpeningHours {
  return {
    weekly: WEEKDAYS.flatMap((day) => {
      const intervals = hours.weekly[day];
      return intervals ? [{ isoWeekday: Number(day), intervals }] : [];
    }),
    closedDates: hours.closedDates,
    specialHours: Object.entries(hours.specialHours).map(([date, intervals]) => ({ date, intervals })),
  };
}

const PURPOSES = ['reminder', 'waitlist_offer', 'no_show', 'feedback', 'staff_reply'] as const;

/** The reservation service's purpose ("" for staff replies only) as the console names it. */
function templatePurposeOf(purpose: string): Template['purpose'] {
  return PURPOSES.find((known) => known === purpose) ?? 'staff';
}

const WAITLIST_STATUS: Record<reservation.WaitlistStatus, WaitlistEntry['status']> = {
  [reservation.WaitlistStatus.WAITLIST_STATUS_UNSPECIFIED]: 'waiting',
  [reservation.WaitlistStatus.WAITLIST_STATUS_WAITING]: 'waiting',
  [reservation.WaitlistStatus.WAITLIST_STATUS_OFFERED]: 'offered',
  [reservation.WaitlistStatus.WAITLIST_STATUS_ACCEPTED]: 'accepted',
  [reservation.WaitlistStatus.WAITLIST_STATUS_EXPIRED]: 'expired',
  [reservation.WaitlistStatus.WAITLIST_STATUS_LEFT]: 'left',
  [reservation.WaitlistStatus.UNRECOGNIZED]: 'waiting',
};

export function toWaitlistEntry(entry: reservation.WaitlistEntry): WaitlistEntry {
  return {
    id: entry.id,
    time: entry.time,
    partySize: entry.partySize,
    guestName: entry.guestName,
    guestPhoneTail: entry.guestWaId.replace(/\D/g, '').slice(-4),
    status: WAITLIST_STATUS[entry.status],
    joinedAt: entry.joinedAt,
    offerExpiresAt: entry.offerExpiresAt || null,
  };
}
