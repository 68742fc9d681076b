import { z } from 'zod';
import { summarizeIssues } from './issues.js';

/**
 * Events of the RESERVATIONS stream, the reservation service's source of truth. Business events
 * live on `rsv.biz.<business>`, booking events on `rsv.day.<business>.<service date>`; every
 * Postgres row of the reservation schema is derived from them alone (rebuildable by replay).
 */
export const RESERVATION_EVENT_TYPES = {
  businessRegistered: 'business.registered',
  businessHoursSet: 'business.hours.set',
  menuItemSet: 'business.menu.item.set',
  menuItemRemoved: 'business.menu.item.removed',
  businessSettingsSet: 'business.settings.set',
  reservationCreated: 'reservation.created',
  reservationModified: 'reservation.modified',
  reservationMovedOut: 'reservation.moved_out',
  reservationCancelled: 'reservation.cancelled',
  reservationSeated: 'reservation.seated',
  reservationFinished: 'reservation.finished',
  reservationNoShow: 'reservation.no_show',
  waitlistJoined: 'waitlist.joined',
  waitlistOffered: 'waitlist.offered',
  waitlistOfferAccepted: 'waitlist.offer_accepted',
  waitlistOfferExpired: 'waitlist.offer_expired',
  waitlistLeft: 'waitlist.left',
  reservationGuestConfirmed: 'reservation.guest_confirmed',
  reservationRunningLate: 'reservation.running_late',
  reservationNoShowFlagged: 'reservation.no_show_flagged',
  reservationFeedbackGiven: 'reservation.feedback_given',
} as const;

const localDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD');
const localTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM (24 h)');
const isoInstant = z.iso.datetime();
/** Token-safe: the id enters NATS subjects as is. */
export const businessIdSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{1,62}$/, 'lowercase letters, digits and "-"');

/** An interval of one day; `end` at or before `start` runs past midnight into the next calendar day. */
export const timeIntervalSchema = z.object({ start: localTime, end: localTime });

export const openingHoursSchema = z.object({
  /** ISO weekday (1 = Monday … 7 = Sunday) → intervals; a missing weekday is closed. */
  weekly: z.partialRecord(z.enum(['1', '2', '3', '4', '5', '6', '7']), z.array(timeIntervalSchema)),
  /** Service dates with no service at all. */
  closedDates: z.array(localDate).default([]),
  /** Service dates whose intervals replace the weekday's (an empty list closes the day). */
  specialHours: z.record(localDate, z.array(timeIntervalSchema)).default({}),
});

export const bookingRulesSchema = z.object({
  slotMinutes: z.number().int().min(5).max(240),
  seatingMinutes: z.number().int().min(15).max(720),
  /** Covers seated at the same moment, at most. */
  capacityCovers: z.number().int().min(1).max(10_000),
  maxPartySize: z.number().int().min(1).max(1_000),
  minLeadMinutes: z.number().int().min(0),
  horizonDays: z.number().int().min(1).max(3_650),
  cancellationCutoffMinutes: z.number().int().min(0),
});

/**
 * What the assistant sends a template for when WhatsApp's 24-hour window is closed; staff replies
 * choose among all of them.
 */
export const TEMPLATE_PURPOSES = [
  'reminder',
  'waitlist_offer',
  'no_show',
  'feedback',
  'staff_reply',
] as const;
export const templatePurposeSchema = z.enum(TEMPLATE_PURPOSES);
export type TemplatePurpose = z.infer<typeof templatePurposeSchema>;

/** A WhatsApp message template Meta approved for the restaurant (the console sends with these). */
export const messageTemplateSchema = z.object({
  name: z.string().regex(/^[a-z0-9_]{1,512}$/, 'lowercase letters, digits and "_", at most 512'),
  /** Meta's language code: en, en_US, pt_BR, fil … */
  language: z.string().regex(/^[a-z]{2,3}(_[A-Za-z]{2,4})?$/, 'a language code such as en or en_US'),
  /** Placeholders {{1}} … {{n}} of the body. */
  bodyParameters: z.number().int().min(0).max(100),
  category: z.enum(['MARKETING', 'UTILITY', 'AUTHENTICATION']),
  /** Absent: for staff replies only. Proto3's "" reads as absent. */
  purpose: z.preprocess((value) => (value === '' ? undefined : value), templatePurposeSchema.optional()),
});

/**
 * The id Meta gives a published Flow (a number as a string, e.g. in the Graph API's
 * `POST /{waba-id}/flows` answer); '' means the restaurant offers no Flow.
 */
export const bookingFlowIdSchema = z.string().regex(/^(\d{1,32})?$/, "Meta's numeric Flow id, or empty");

/** One entry per name and language, as Meta keys them. */
export const messageTemplatesSchema = z
  .array(messageTemplateSchema)
  .max(500)
  .refine(
    (templates) => new Set(templates.map((t) => `${t.name}|${t.language}`)).size === templates.length,
    'each name and language once',
  );

/**
 * Whether guests may wait for a full seating, and how long an offer holds the covers it frees for
 * the party it is made to.
 */
export const waitlistSettingsSchema = z.object({
  enabled: z.boolean(),
  holdMinutes: z
    .number()
    .int()
    .min(1)
    .max(24 * 60),
});

/** What a business that never set its waitlist has: none, with a quarter hour hold once enabled. */
export const DEFAULT_WAITLIST_SETTINGS: WaitlistSettings = { enabled: false, holdMinutes: 15 };

/**
 * What the restaurant's assistant does after a booking on its own: remind the guest, check for a
 * no-show, ask seated guests for feedback. The scheduler (services/scheduler) plans from these.
 */
export const followUpSettingsSchema = z.object({
  reminders: z.object({
    enabled: z.boolean(),
    /**
     * Minutes before the booking, at most three. A whole number of days is counted in calendar days
     * of the business's zone, so "a day before" a 20:00 booking is 20:00 also across a DST change.
     */
    offsetsMinutes: z
      .array(
        z
          .number()
          .int()
          .min(15)
          .max(14 * 24 * 60),
      )
      .max(3)
      .refine((offsets) => new Set(offsets).size === offsets.length, 'each offset once'),
    /** Business-local; a reminder due inside them goes out just before they begin. null: none. */
    quietHours: timeIntervalSchema.nullable(),
    /**
     * The approved UTILITY template (one of `templates`, by name; the language is the
     * conversation's) sent when the guest's 24-hour window is closed. Its body takes the date, the
     * time and the party size as {{1}} {{2}} {{3}} (as many as it has), its three quick-reply
     * buttons are Confirm, Cancel and Running late. null: reminders reach only guests inside the
     * window, and the others are a failure staff see.
     */
    templateName: z
      .string()
      .regex(/^[a-z0-9_]{1,512}$/)
      .nullable()
      .default(null),
  }),
  noShow: z.object({
    enabled: z.boolean(),
    /** Minutes after the booking's time before a guest not seated is flagged to staff. */
    graceMinutes: z.number().int().min(5).max(240),
    /** Mark it no-show on its own instead of only flagging it. */
    autoMark: z.boolean(),
    /** Send the guest a polite message when it is marked. */
    messageGuest: z.boolean(),
  }),
  feedback: z.object({
    enabled: z.boolean(),
    /** Minutes after the guest was seated. */
    delayMinutes: z
      .number()
      .int()
      .min(30)
      .max(7 * 24 * 60),
  }),
});

/** What a restaurant registered before follow-ups existed gets: reminders on, the rest off. */
export const DEFAULT_FOLLOW_UPS: FollowUpSettings = {
  reminders: {
    enabled: true,
    offsetsMinutes: [24 * 60, 120],
    quietHours: { start: '22:00', end: '08:00' },
    templateName: null,
  },
  noShow: { enabled: false, graceMinutes: 20, autoMark: false, messageGuest: false },
  feedback: { enabled: false, delayMinutes: 180 },
};

export const businessProfileSchema = z.object({
  name: z.string().min(1).max(200),
  /** WhatsApp phone_number_id; unique across businesses. */
  phoneNumberId: z.string().regex(/^\d{5,32}$/),
  displayPhoneNumber: z.string().min(1).max(32),
  timezone: z.string().refine(isIanaTimezone, 'an IANA time zone such as Asia/Dubai'),
  locales: z.array(z.string().min(2).max(16)).min(1),
  /** Branded greeting by locale. */
  greetings: z.record(z.string(), z.string().max(1024)).default({}),
  rules: bookingRulesSchema,
  /** Absent in events written before templates existed. */
  templates: messageTemplatesSchema.default([]),
  /** Meta's id of the published booking Flow (docs/whatsapp.md#flows); '' = offer none. */
  bookingFlowId: bookingFlowIdSchema.default(''),
  /** Absent until an owner sets it: DEFAULT_WAITLIST_SETTINGS. */
  waitlist: waitlistSettingsSchema.optional(),
  /** Absent in events written before follow-ups existed. */
  followUps: followUpSettingsSchema.default(DEFAULT_FOLLOW_UPS),
});

export const waitlistSettingsOf = (profile: { waitlist?: WaitlistSettings | undefined }): WaitlistSettings =>
  profile.waitlist ?? DEFAULT_WAITLIST_SETTINGS;

export const menuItemSchema = z.object({
  itemId: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/),
  category: z.string().min(1).max(100),
  name: z.string().min(1).max(200),
  description: z.string().max(1000).default(''),
  priceMinor: z.number().int().min(0),
  currency: z.string().regex(/^[A-Z]{3}$/),
  dietaryTags: z.array(z.string().min(1).max(40)).default([]),
  available: z.boolean().default(true),
  /** Order within its category. */
  position: z.number().int().min(0).default(0),
});

const base = { v: z.literal(1), id: z.string().min(1), at: isoInstant };

export const businessRegisteredSchema = z.object({
  ...base,
  type: z.literal(RESERVATION_EVENT_TYPES.businessRegistered),
  businessId: businessIdSchema,
  profile: businessProfileSchema,
  hours: openingHoursSchema,
});
export const businessHoursSetSchema = z.object({
  ...base,
  type: z.literal(RESERVATION_EVENT_TYPES.businessHoursSet),
  businessId: businessIdSchema,
  hours: openingHoursSchema,
});
export const menuItemSetSchema = z.object({
  ...base,
  type: z.literal(RESERVATION_EVENT_TYPES.menuItemSet),
  businessId: businessIdSchema,
  item: menuItemSchema,
});
export const menuItemRemovedSchema = z.object({
  ...base,
  type: z.literal(RESERVATION_EVENT_TYPES.menuItemRemoved),
  businessId: businessIdSchema,
  itemId: z.string().min(1),
});

/**
 * The settings an owner changed, and only those: a part left out keeps its value. Opening hours
 * and the menu have their own events.
 */
export const businessSettingsSetSchema = z.object({
  ...base,
  type: z.literal(RESERVATION_EVENT_TYPES.businessSettingsSet),
  businessId: businessIdSchema,
  name: businessProfileSchema.shape.name.optional(),
  rules: bookingRulesSchema.optional(),
  greetings: z.record(z.string(), z.string().max(1024)).optional(),
  templates: messageTemplatesSchema.optional(),
  bookingFlowId: bookingFlowIdSchema.optional(),
  waitlist: waitlistSettingsSchema.optional(),
  followUps: followUpSettingsSchema.optional(),
});

export const reservationStatusSchema = z.enum([
  'pending',
  'confirmed',
  'cancelled',
  'no_show',
  'seated',
  'finished',
]);
export const reservationSourceSchema = z.enum(['whatsapp', 'staff']);

/** The booking as it stands; start/end are UTC instants, serviceDate the business-local service day. */
export const bookingSchema = z.object({
  reservationId: z.string().min(1),
  businessId: businessIdSchema,
  serviceDate: localDate,
  guestWaId: z.string().min(1),
  guestName: z.string().max(200),
  partySize: z.number().int().min(1),
  startsAt: isoInstant,
  endsAt: isoInstant,
  status: reservationStatusSchema,
  notes: z.string().max(1000),
  source: reservationSourceSchema,
  idempotencyKey: z.string().min(1),
  /** When staff marked it finished: its covers are free from then on. */
  finishedAt: isoInstant.optional(),
  /** When the guest confirmed they are coming (answering a reminder). */
  guestConfirmedAt: isoInstant.optional(),
  /** How late the guest said they will be, in minutes (answering a reminder). */
  lateMinutes: z.number().int().min(1).max(240).optional(),
  /** When the no-show check found the guest not seated past the grace time (flagged to staff). */
  noShowFlaggedAt: isoInstant.optional(),
  /** The guest's rating of the visit, 1 (worst) to 5, given once after it. */
  feedbackRating: z.number().int().min(1).max(5).optional(),
  /** What the guest added to the rating. */
  feedbackComment: z.string().min(1).max(1000).optional(),
});

export const reservationCreatedSchema = z.object({
  ...base,
  type: z.literal(RESERVATION_EVENT_TYPES.reservationCreated),
  booking: bookingSchema,
  /** Set when the booking moved here from another service date (a date change). */
  movedFrom: localDate.optional(),
});
export const reservationModifiedSchema = z.object({
  ...base,
  type: z.literal(RESERVATION_EVENT_TYPES.reservationModified),
  reservationId: z.string().min(1),
  businessId: businessIdSchema,
  serviceDate: localDate,
  partySize: z.number().int().min(1),
  startsAt: isoInstant,
  endsAt: isoInstant,
  /** Set when the modify changed it (absent in older events). */
  guestName: z.string().max(200).optional(),
  /** Set when the modify changed it; "" cleared the notes. */
  notes: z.string().max(1000).optional(),
});
/** The booking left this service date for `movedTo`, where a reservation.created holds it now. */
export const reservationMovedOutSchema = z.object({
  ...base,
  type: z.literal(RESERVATION_EVENT_TYPES.reservationMovedOut),
  reservationId: z.string().min(1),
  businessId: businessIdSchema,
  serviceDate: localDate,
  movedTo: localDate,
});
export const reservationCancelledSchema = z.object({
  ...base,
  type: z.literal(RESERVATION_EVENT_TYPES.reservationCancelled),
  reservationId: z.string().min(1),
  businessId: businessIdSchema,
  serviceDate: localDate,
  reason: z.string().max(500).default(''),
});

/** What staff set at the host stand; `by`: the staff member, when the console says. */
const statusSet = {
  ...base,
  reservationId: z.string().min(1),
  businessId: businessIdSchema,
  serviceDate: localDate,
  by: z.string().max(200).optional(),
};
export const reservationSeatedSchema = z.object({
  ...statusSet,
  type: z.literal(RESERVATION_EVENT_TYPES.reservationSeated),
});
/** The event's `at` is when the table was left: the booking's covers are free from then on. */
export const reservationFinishedSchema = z.object({
  ...statusSet,
  type: z.literal(RESERVATION_EVENT_TYPES.reservationFinished),
});
export const reservationNoShowSchema = z.object({
  ...statusSet,
  type: z.literal(RESERVATION_EVENT_TYPES.reservationNoShow),
});

/**
 * A party waiting for a full seating of the day. The entry id is a function of (business,
 * idempotency key), like a reservation id, so a retried join names the same entry.
 */
export const waitlistEntrySchema = z.object({
  entryId: z.string().min(1),
  businessId: businessIdSchema,
  serviceDate: localDate,
  /** The seating asked for, wall clock of the service date. */
  time: localTime,
  partySize: z.number().int().min(1),
  guestWaId: z.string().min(1),
  guestName: z.string().max(200),
});

const waitlistRef = {
  ...base,
  businessId: businessIdSchema,
  serviceDate: localDate,
  entryId: z.string().min(1),
};
export const waitlistJoinedSchema = z.object({
  ...waitlistRef,
  type: z.literal(RESERVATION_EVENT_TYPES.waitlistJoined),
  entry: waitlistEntrySchema,
});
/** Covers freed up: the seating's covers are held for this party until `offerExpiresAt`. */
export const waitlistOfferedSchema = z.object({
  ...waitlistRef,
  type: z.literal(RESERVATION_EVENT_TYPES.waitlistOffered),
  guestWaId: z.string().min(1),
  time: localTime,
  partySize: z.number().int().min(1),
  startsAt: isoInstant,
  endsAt: isoInstant,
  offerExpiresAt: isoInstant,
});
/** The guest took the offer: the reservation.created appended with it is the booking. */
export const waitlistOfferAcceptedSchema = z.object({
  ...waitlistRef,
  type: z.literal(RESERVATION_EVENT_TYPES.waitlistOfferAccepted),
  reservationId: z.string().min(1),
});
/** The hold ran out unanswered: its covers go to the next party that fits. */
export const waitlistOfferExpiredSchema = z.object({
  ...waitlistRef,
  type: z.literal(RESERVATION_EVENT_TYPES.waitlistOfferExpired),
});
/** The guest stopped waiting (or declined the offer). */
export const waitlistLeftSchema = z.object({
  ...waitlistRef,
  type: z.literal(RESERVATION_EVENT_TYPES.waitlistLeft),
});

/** The booking a guest's answer, a no-show flag or a rating is about. */
const onBooking = {
  reservationId: z.string().min(1),
  businessId: businessIdSchema,
  serviceDate: localDate,
};

/** The guest answered a reminder: they are coming. A pending booking is confirmed by it. */
export const reservationGuestConfirmedSchema = z.object({
  ...base,
  type: z.literal(RESERVATION_EVENT_TYPES.reservationGuestConfirmed),
  ...onBooking,
});
/** The guest said they will be late, by about so many minutes: shown to staff, holds nothing. */
export const reservationRunningLateSchema = z.object({
  ...base,
  type: z.literal(RESERVATION_EVENT_TYPES.reservationRunningLate),
  ...onBooking,
  minutes: z.number().int().min(1).max(240),
});

/**
 * The no-show check (followUps.noShow) found the booking not seated `graceMinutes` after its time:
 * shown to staff, who decide (unless the restaurant has it marked no-show on its own).
 */
export const reservationNoShowFlaggedSchema = z.object({
  ...base,
  type: z.literal(RESERVATION_EVENT_TYPES.reservationNoShowFlagged),
  ...onBooking,
  graceMinutes: z.number().int().min(1),
});

/**
 * The guest rated a seated or finished visit (once), or added the one comment that may follow the
 * rating; either or both.
 */
export const reservationFeedbackGivenSchema = z
  .object({
    ...base,
    type: z.literal(RESERVATION_EVENT_TYPES.reservationFeedbackGiven),
    ...onBooking,
    rating: z.number().int().min(1).max(5).optional(),
    comment: z.string().min(1).max(1000).optional(),
  })
  .refine((event) => event.rating !== undefined || event.comment !== undefined, 'a rating or a comment');

export const businessEventSchema = z.discriminatedUnion('type', [
  businessRegisteredSchema,
  businessHoursSetSchema,
  menuItemSetSchema,
  menuItemRemovedSchema,
  businessSettingsSetSchema,
]);
export const dayEventSchema = z.discriminatedUnion('type', [
  reservationCreatedSchema,
  reservationModifiedSchema,
  reservationMovedOutSchema,
  reservationCancelledSchema,
  reservationSeatedSchema,
  reservationFinishedSchema,
  reservationNoShowSchema,
  waitlistJoinedSchema,
  waitlistOfferedSchema,
  waitlistOfferAcceptedSchema,
  waitlistOfferExpiredSchema,
  waitlistLeftSchema,
  reservationGuestConfirmedSchema,
  reservationRunningLateSchema,
  reservationNoShowFlaggedSchema,
  reservationFeedbackGivenSchema,
]);
/** Everything the RESERVATIONS stream holds: the business aggregates' events and the days'. */
export const reservationStreamEventSchema = z.discriminatedUnion('type', [
  ...businessEventSchema.options,
  ...dayEventSchema.options,
]);

export type TimeInterval = z.infer<typeof timeIntervalSchema>;
export type OpeningHours = z.infer<typeof openingHoursSchema>;
export type BookingRules = z.infer<typeof bookingRulesSchema>;
export type BusinessProfile = z.infer<typeof businessProfileSchema>;
export type MenuItem = z.infer<typeof menuItemSchema>;
export type FollowUpSettings = z.infer<typeof followUpSettingsSchema>;
export type MessageTemplate = z.infer<typeof messageTemplateSchema>;
export type ReservationStatus = z.infer<typeof reservationStatusSchema>;
export type ReservationSource = z.infer<typeof reservationSourceSchema>;
export type Booking = z.infer<typeof bookingSchema>;
export type BusinessEvent = z.infer<typeof businessEventSchema>;
export type DayEvent = z.infer<typeof dayEventSchema>;
export type WaitlistSettings = z.infer<typeof waitlistSettingsSchema>;
export type WaitlistEntry = z.infer<typeof waitlistEntrySchema>;
export type WaitlistEvent = Extract<DayEvent, { type: `waitlist.${string}` }>;
export type ReservationStreamEvent = z.infer<typeof reservationStreamEventSchema>;

export type ParseReservationEventResult =
  | { ok: true; event: ReservationStreamEvent }
  | { ok: false; reason: string };

export function parseReservationEvent(json: unknown): ParseReservationEventResult {
  const result = reservationStreamEventSchema.safeParse(json);
  if (result.success) return { ok: true, event: result.data };
  return { ok: false, reason: summarizeIssues(result.error.issues) };
}

function isIanaTimezone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return zone.includes('/') || zone === 'UTC';
  } catch {
    return false;
  }
}
