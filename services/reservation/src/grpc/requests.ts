import {
  bookingFlowIdSchema,
  bookingRulesSchema,
  businessProfileSchema,
  messageTemplatesSchema,
  waitlistSettingsSchema,
} from '@reserveit/contracts';
import type * as pb from '@reserveit/rpc/reservation/v1/reservation';
import { GuestAnswer, ReservationStatus } from '@reserveit/rpc/reservation/v1/reservation';
import { z } from 'zod';
import type { StaffStatus } from '../domain/index.js';
import { followUpsFromProto } from './follow-ups.js';

/** Request validation at the gRPC boundary: proto3 has no required fields, zod says what is missing. */
const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD');
const time = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM (24 h)');
const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => (value === '' || value === 0 ? undefined : value), schema.optional());
const id = z.string().min(1, 'required').max(200);
/** A business id that scopes a call to that business; empty or absent = no scope. */
const scope = optional(z.string().max(200));
const guestName = z.string().max(200);
const notes = z.string().max(1000);

/** A phone number as staff type it: 6–15 digits, an optional leading "+", spaces and "-"; kept as its digits. */
const staffPhone = z
  .string()
  .transform((value) => value.replace(/[\s-]/g, ''))
  .pipe(z.string().regex(/^\+?\d{6,15}$/, 'a phone number of 6 to 15 digits, or empty for a walk-in'))
  .transform((value) => value.replace(/^\+/, ''));

const createFields = {
  businessId: id,
  idempotencyKey: id,
  guestName,
  partySize: z.number().int().min(1, 'at least 1'),
  date,
  time,
  notes,
};

/** `source` as sourceFromProto reads it: staff bookings take a phone number or nothing (a walk-in). */
export const createRequest = z.discriminatedUnion('source', [
  z.object({ ...createFields, source: z.literal('whatsapp'), guestWaId: id }),
  z.object({ ...createFields, source: z.literal('staff'), guestWaId: z.literal('').or(staffPhone) }),
]);

export const availabilityRequest = z.object({
  businessId: id,
  partySize: z.number().int().min(1, 'at least 1'),
  date,
  windowStart: optional(time),
  windowEnd: optional(time),
  preferredTime: optional(time),
});

export const modifyRequest = z.object({
  reservationId: id,
  businessId: scope,
  date: optional(date),
  time: optional(time),
  partySize: optional(z.number().int().min(1)),
  // proto3 optional: absent keeps the booking's, "" is a value (it clears the notes).
  guestName: guestName.optional(),
  notes: notes.optional(),
  byStaff: z.boolean().optional(),
});

export const cancelRequest = z.object({
  reservationId: id,
  businessId: scope,
  reason: z.string().max(500),
  byStaff: z.boolean(),
});

export const getReservationRequest = z.object({ reservationId: id, businessId: scope });

const STAFF_STATUS = new Map<ReservationStatus, StaffStatus>([
  [ReservationStatus.RESERVATION_STATUS_SEATED, 'seated'],
  [ReservationStatus.RESERVATION_STATUS_FINISHED, 'finished'],
  [ReservationStatus.RESERVATION_STATUS_NO_SHOW, 'no_show'],
]);

export const setStatusRequest = z.object({
  reservationId: id,
  businessId: scope,
  status: z.number().transform((value, ctx) => {
    const status = STAFF_STATUS.get(value);
    if (status) return status;
    ctx.addIssue({ code: 'custom', message: 'SEATED, FINISHED or NO_SHOW' });
    return z.NEVER;
  }),
  staff: z.string().max(200),
});

/** The guest's answer to a reminder; minutes only (and then 1–240) when running late. */
export const answerReminderRequest = z
  .object({
    reservationId: id,
    businessId: scope,
    answer: z.number().transform((value, ctx) => {
      if (value === GuestAnswer.GUEST_ANSWER_CONFIRMED) return 'confirmed' as const;
      if (value === GuestAnswer.GUEST_ANSWER_RUNNING_LATE) return 'running_late' as const;
      ctx.addIssue({ code: 'custom', message: 'CONFIRMED or RUNNING_LATE' });
      return z.NEVER;
    }),
    minutes: z.number().int().min(0).max(240),
  })
  .refine((request) => request.answer !== 'running_late' || request.minutes >= 1, {
    message: 'minutes late: 1 to 240',
    path: ['minutes'],
  });

/** A rating (1–5, 0 for none) and a comment ("" for none): one of them at least. */
export const giveFeedbackRequest = z
  .object({
    reservationId: id,
    businessId: scope,
    rating: z.number().int().min(0).max(5),
    comment: z.string().trim().max(1000),
  })
  .refine((request) => request.rating > 0 || request.comment !== '', { message: 'a rating or a comment' })
  .transform(({ rating, comment, ...rest }) => ({
    ...rest,
    ...(rating > 0 ? { rating } : {}),
    ...(comment ? { comment } : {}),
  }));

export const daySheetRequest = z.object({ businessId: id, date, includeCancelled: z.boolean() });

/** Each part present is set; `greetings` only with `hasGreetings` (a map has no presence of its own). */
export const settingsRequest = z
  .object({
    businessId: id,
    name: businessProfileSchema.shape.name.optional(),
    rules: bookingRulesSchema.optional(),
    greetings: businessProfileSchema.shape.greetings,
    hasGreetings: z.boolean(),
    templates: z.object({ items: messageTemplatesSchema }).optional(),
    bookingFlowId: bookingFlowIdSchema.optional(),
    waitlist: waitlistSettingsSchema.optional(),
    followUps: z.custom<pb.FollowUps>((value) => typeof value === 'object' && value !== null).optional(),
  })
  .transform(
    ({
      businessId,
      name,
      rules,
      greetings,
      hasGreetings,
      templates,
      bookingFlowId,
      waitlist,
      followUps,
    }) => ({
      businessId,
      settings: {
        ...(name !== undefined ? { name } : {}),
        ...(rules !== undefined ? { rules } : {}),
        ...(hasGreetings ? { greetings } : {}),
        ...(templates !== undefined ? { templates: templates.items } : {}),
        ...(bookingFlowId !== undefined ? { bookingFlowId } : {}),
        ...(waitlist !== undefined ? { waitlist } : {}),
        ...(followUps !== undefined ? { followUps: followUpsFromProto(followUps) } : {}),
      },
    }),
  );

export const listRequest = z
  .object({
    businessId: z.string(),
    guestWaId: z.string(),
    date: optional(date),
    includeCancelled: z.boolean(),
    upcomingOnly: z.boolean(),
  })
  .refine((r) => r.guestWaId !== '' || (r.businessId !== '' && r.date !== undefined), {
    message: 'give guest_wa_id, or business_id and date',
  });

export const joinWaitlistRequest = z.object({
  businessId: id,
  idempotencyKey: id,
  guestWaId: id,
  guestName,
  partySize: z.number().int().min(1, 'at least 1'),
  date,
  time,
});

/** An entry as the offer event names it. */
export const waitlistEntryRequest = z.object({ businessId: id, date, entryId: id });

/** An empty guest_wa_id does not check whose entry it is (staff tools). */
export const acceptOfferRequest = waitlistEntryRequest.extend({ guestWaId: optional(z.string().max(200)) });
