import { z } from 'zod';

/**
 * What the console's HTTP API answers with: the web app and the server both parse with these, so a
 * change to one side that the other does not know fails to type-check.
 */

export const localDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD')
  // 2026-02-30 has the shape but is no day: the services would fail on it, not refuse it.
  .refine((date) => {
    const at = Date.parse(`${date}T00:00:00Z`);
    return !Number.isNaN(at) && new Date(at).toISOString().startsWith(date);
  }, 'a date that exists');
export const localTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time as HH:MM (24 h)');
export const businessId = z.string().regex(/^[a-z0-9][a-z0-9-]{1,62}$/, 'a restaurant id');
/** Reservation and conversation ids are opaque; bounded so a path cannot carry a payload. */
export const opaqueId = z.string().regex(/^[A-Za-z0-9_.:-]{1,128}$/, 'an id');

export const roleSchema = z.enum(['owner', 'host']);
export type Role = z.infer<typeof roleSchema>;

export const membershipSchema = z.object({
  businessId,
  name: z.string(),
  role: roleSchema,
  timezone: z.string(),
  locales: z.array(z.string()),
});
export type Membership = z.infer<typeof membershipSchema>;

export const sessionSchema = z.object({
  staff: z.object({ id: z.string(), email: z.string(), name: z.string() }),
  restaurants: z.array(membershipSchema),
  /** Sent back in the `x-csrf-token` header of every state-changing request. */
  csrfToken: z.string(),
  expiresAt: z.iso.datetime(),
});
export type Session = z.infer<typeof sessionSchema>;

export const reservationStatusSchema = z.enum([
  'pending',
  'confirmed',
  'cancelled',
  'no_show',
  'seated',
  'finished',
]);
export type ReservationStatus = z.infer<typeof reservationStatusSchema>;

export const reservationSchema = z.object({
  id: z.string(),
  guestName: z.string(),
  /** +digits for staff to call back; empty for a walk-in or a guest known only by a WhatsApp user id. */
  guestPhone: z.string(),
  partySize: z.number().int(),
  date: localDate,
  time: localTime,
  startsAt: z.iso.datetime(),
  endsAt: z.iso.datetime(),
  status: reservationStatusSchema,
  notes: z.string(),
  source: z.enum(['whatsapp', 'staff']),
  walkIn: z.boolean(),
  /** The guest confirmed from a reminder. */
  guestConfirmed: z.boolean(),
  /** How late the guest said they will be, in minutes; null when they did not. */
  lateMinutes: z.number().int().min(1).nullable(),
  /** The no-show check found the guest not seated after the restaurant's grace time. */
  noShowFlagged: z.boolean(),
  /** The guest's rating of the visit, 1 (worst) to 5; null when not rated. */
  rating: z.number().int().min(1).max(5).nullable(),
  /** What the guest added to the rating; empty when nothing. */
  feedbackComment: z.string(),
});
export type Reservation = z.infer<typeof reservationSchema>;

/** Guests may wait for a full seating; a freed table is held for the party offered it this long. */
export const waitlistSettingsSchema = z.object({
  enabled: z.boolean(),
  holdMinutes: z.number().int().min(1, 'at least a minute').max(1440, 'at most a day'),
});
export type WaitlistSettings = z.infer<typeof waitlistSettingsSchema>;

/** A party waiting for a full seating of the day (the reservation service's waitlist). */
export const waitlistEntrySchema = z.object({
  id: z.string(),
  time: localTime,
  partySize: z.number().int(),
  guestName: z.string(),
  /** The last four digits only. */
  guestPhoneTail: z.string(),
  status: z.enum(['waiting', 'offered', 'accepted', 'expired', 'left']),
  joinedAt: z.iso.datetime(),
  /** Set once offered: the table is held for the party until then. */
  offerExpiresAt: z.iso.datetime().nullable(),
});
export type WaitlistEntry = z.infer<typeof waitlistEntrySchema>;

export const daySheetSchema = z.object({
  date: localDate,
  timezone: z.string(),
  /** Empty when the restaurant is open that day. */
  closedReason: z.string(),
  slots: z.array(z.object({ time: localTime, capacity: z.number().int(), coversUsed: z.number().int() })),
  reservations: z.array(reservationSchema),
  /** In join order, every status. */
  waitlist: z.array(waitlistEntrySchema),
});
export type DaySheet = z.infer<typeof daySheetSchema>;

export const conversationStateSchema = z.enum(['bot', 'waiting', 'taken']);

export const conversationSummarySchema = z.object({
  id: z.string(),
  guestName: z.string(),
  /** The last four digits only: the inbox never shows whole numbers. */
  guestPhoneTail: z.string(),
  state: conversationStateSchema,
  takenBy: z.string(),
  /** When the guest asked for a person and nobody answered yet. */
  waitingSince: z.iso.datetime().nullable(),
  unread: z.number().int(),
  lastMessageAt: z.iso.datetime(),
  lastMessagePreview: z.string(),
  /** The reason the last message sent to the guest failed (a template Meta refused …); "" when it did not. */
  lastFailure: z.string(),
  /** A visit the guest rated 1 or 2, until staff answer them; null when none. */
  lowRating: z.number().int().min(1).max(5).nullable(),
  language: z.string(),
});
export type ConversationSummary = z.infer<typeof conversationSummarySchema>;

export const deliveryStatusSchema = z.enum(['pending', 'sent', 'delivered', 'read', 'failed']);
export type DeliveryStatus = z.infer<typeof deliveryStatusSchema>;

export const messageSchema = z.object({
  id: z.string(),
  direction: z.enum(['in', 'out']),
  /** guest, bot, or staff:<name>. */
  author: z.string(),
  kind: z.string(),
  text: z.string(),
  at: z.iso.datetime(),
  /** Outbound only. */
  status: deliveryStatusSchema.nullable(),
  error: z.string(),
});
export type Message = z.infer<typeof messageSchema>;

export const conversationDetailSchema = z.object({
  conversation: conversationSummarySchema,
  messages: z.array(messageSchema),
  /** Free text is allowed until then (WhatsApp's 24-hour customer-service window); null when closed. */
  windowOpenUntil: z.iso.datetime().nullable(),
  /** The guest's upcoming and recent bookings at this restaurant. */
  reservations: z.array(reservationSchema),
  templates: z.lazy(() => z.array(templateSchema)),
});
export type ConversationDetail = z.infer<typeof conversationDetailSchema>;

/**
 * One guest's history across visits, newest first: an open list of typed entries, so a new kind
 * (a reminder and its answer, a rating) is one more row here and one renderer in the web app.
 */
export const timelineEntrySchema = z.discriminatedUnion('kind', [
  /** A booking as it stands (its status says seated, finished, no-show, cancelled …). */
  z.object({
    kind: z.literal('booking'),
    at: z.iso.datetime(),
    reservationId: z.string(),
    date: localDate,
    time: localTime,
    partySize: z.number().int(),
    status: reservationStatusSchema,
  }),
  /** The guest answered a booking's reminder: coming (when they said so), or late by some minutes. */
  z.object({
    kind: z.literal('reminder_answer'),
    at: z.iso.datetime(),
    reservationId: z.string(),
    answer: z.enum(['confirmed', 'running_late']),
    minutes: z.number().int().min(1).nullable(),
  }),
  /** The no-show check found the guest not seated after the grace time (when it did). */
  z.object({ kind: z.literal('no_show_flag'), at: z.iso.datetime(), reservationId: z.string() }),
  /** The guest's rating of a visit and their comment (`at`: the end of the visit). */
  z.object({
    kind: z.literal('rating'),
    at: z.iso.datetime(),
    reservationId: z.string(),
    rating: z.number().int().min(1).max(5),
    comment: z.string(),
  }),
  /** A message of the guest, the assistant or staff. */
  z.object({
    kind: z.literal('message'),
    at: z.iso.datetime(),
    direction: z.enum(['in', 'out']),
    author: z.string(),
    text: z.string(),
    status: deliveryStatusSchema.nullable(),
    error: z.string(),
  }),
]);
export type TimelineEntry = z.infer<typeof timelineEntrySchema>;

export const timelineSchema = z.object({
  guestName: z.string(),
  guestPhoneTail: z.string(),
  /** The guest's conversation with the restaurant, when there is one. */
  conversationId: z.string().nullable(),
  entries: z.array(timelineEntrySchema),
});
export type Timeline = z.infer<typeof timelineSchema>;

export const timeIntervalSchema = z.object({ start: localTime, end: localTime });
export const openingHoursSchema = z.object({
  /** ISO weekday "1" (Monday) … "7" → intervals; a weekday not listed is closed. */
  weekly: z.partialRecord(z.enum(['1', '2', '3', '4', '5', '6', '7']), z.array(timeIntervalSchema)),
  closedDates: z.array(localDate),
  specialHours: z.record(localDate, z.array(timeIntervalSchema)),
});
export type OpeningHours = z.infer<typeof openingHoursSchema>;

export const bookingRulesSchema = z.object({
  slotMinutes: z.number().int().min(5).max(240),
  seatingMinutes: z.number().int().min(15).max(720),
  capacityCovers: z.number().int().min(1).max(10_000),
  maxPartySize: z.number().int().min(1).max(1_000),
  minLeadMinutes: z.number().int().min(0).max(10_080),
  horizonDays: z.number().int().min(1).max(3_650),
  cancellationCutoffMinutes: z.number().int().min(0).max(10_080),
});
export type BookingRules = z.infer<typeof bookingRulesSchema>;

export const templateSchema = z.object({
  name: z.string().regex(/^[a-z0-9_]{1,512}$/, 'lowercase letters, digits and _'),
  language: z.string().regex(/^[a-z]{2,3}(_[A-Z]{2})?$/, 'a language code such as en or en_US'),
  bodyParameters: z.number().int().min(0).max(20),
  category: z.enum(['utility', 'marketing', 'authentication']),
  /**
   * What the assistant sends it for once WhatsApp's 24-hour window is closed ('staff' = staff
   * replies only); the same names as libs/contracts TEMPLATE_PURPOSES.
   */
  purpose: z
    .enum(['staff', 'reminder', 'waitlist_offer', 'no_show', 'feedback', 'staff_reply'])
    .default('staff'),
});
export type Template = z.infer<typeof templateSchema>;

/** What the assistant does after a booking on its own (reservation.v1 FollowUps). */
export const followUpsSchema = z.object({
  reminders: z.object({
    enabled: z.boolean(),
    /** Minutes before the booking, at most three. */
    offsetsMinutes: z
      .array(z.number().int().min(15).max(20_160))
      .max(3)
      .refine((offsets) => new Set(offsets).size === offsets.length, 'each offset once'),
    quietHours: z.object({ start: localTime, end: localTime }).nullable(),
    /** The approved utility template sent outside WhatsApp's 24-hour window; null: none. */
    templateName: templateSchema.shape.name.nullable(),
  }),
  noShow: z.object({
    enabled: z.boolean(),
    graceMinutes: z.number().int().min(5).max(240),
    autoMark: z.boolean(),
    messageGuest: z.boolean(),
  }),
  feedback: z.object({ enabled: z.boolean(), delayMinutes: z.number().int().min(30).max(10_080) }),
});
export type FollowUps = z.infer<typeof followUpsSchema>;

export const menuItemSchema = z.object({
  itemId: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'lowercase letters, digits and -'),
  category: z.string().min(1).max(100),
  name: z.string().min(1).max(200),
  description: z.string().max(1000),
  priceMinor: z.number().int().min(0).max(100_000_000),
  currency: z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 code such as AED'),
  dietaryTags: z.array(z.string().min(1).max(40)).max(20),
  available: z.boolean(),
  position: z.number().int().min(0).max(10_000),
});
export type MenuItem = z.infer<typeof menuItemSchema>;

export const settingsSchema = z.object({
  businessId,
  name: z.string(),
  timezone: z.string(),
  locales: z.array(z.string()),
  rules: bookingRulesSchema,
  hours: openingHoursSchema,
  greetings: z.record(z.string(), z.string()),
  templates: z.array(templateSchema),
  /** Meta's id of the booking Flow offered to guests; "" when none. */
  bookingFlowId: z.string(),
  waitlist: z.lazy(() => waitlistSettingsSchema),
  followUps: followUpsSchema,
  menu: z.array(menuItemSchema),
});
export type Settings = z.infer<typeof settingsSchema>;

export const staffMemberSchema = z.object({
  staffId: z.string(),
  email: z.string(),
  name: z.string(),
  role: roleSchema,
});
export type StaffMember = z.infer<typeof staffMemberSchema>;

export const apiTokenSchema = z.object({
  id: z.string(),
  name: z.string(),
  role: roleSchema,
  createdAt: z.iso.datetime(),
  lastUsedAt: z.iso.datetime().nullable(),
});
export type ApiToken = z.infer<typeof apiTokenSchema>;

export const errorSchema = z.object({
  error: z.string(),
  message: z.string(),
  /** For 400: the request field that was wrong, as a dotted path. */
  field: z.string().optional(),
});
export type ApiError = z.infer<typeof errorSchema>;
