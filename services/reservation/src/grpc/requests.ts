import { z } from 'zod';

/** Request validation at the gRPC boundary: proto3 has no required fields, zod says what is missing. */
const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD');
const time = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM (24 h)');
const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => (value === '' || value === 0 ? undefined : value), schema.optional());
const id = z.string().min(1, 'required').max(200);

export const createRequest = z.object({
  businessId: id,
  idempotencyKey: id,
  guestWaId: id,
  guestName: z.string().max(200),
  partySize: z.number().int().min(1, 'at least 1'),
  date,
  time,
  notes: z.string().max(1000),
});

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
  date: optional(date),
  time: optional(time),
  partySize: optional(z.number().int().min(1)),
});

export const cancelRequest = z.object({
  reservationId: id,
  reason: z.string().max(500),
  byStaff: z.boolean(),
});

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
