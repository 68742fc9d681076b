import { z } from 'zod';
import {
  apiTokenSchema,
  bookingRulesSchema,
  businessId,
  conversationDetailSchema,
  conversationSummarySchema,
  daySheetSchema,
  followUpsSchema,
  localDate,
  localTime,
  menuItemSchema,
  opaqueId,
  openingHoursSchema,
  reservationSchema,
  roleSchema,
  sessionSchema,
  settingsSchema,
  staffMemberSchema,
  templateSchema,
  timelineSchema,
  waitlistSettingsSchema,
} from './models.js';

/**
 * Every route of the console's HTTP API in one table: the server registers exactly these, the web
 * app calls them through it, and the cross-tenant test walks all of them. `access` says who may
 * call: `public` (login), `session` (any signed-in staff member), or a role in the restaurant named
 * by the `:businessId` path parameter (`host` admits owners too). State-changing methods need the
 * CSRF header when called with a session cookie.
 */
export interface RouteSpec {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  access: 'public' | 'session' | 'host' | 'owner';
  params?: z.ZodObject;
  query?: z.ZodObject;
  body?: z.ZodType;
  /** 204 when absent. */
  response?: z.ZodType;
  /**
   * Manages who gets in (staff, API tokens): signed-in staff only, never an API token, so a leaked
   * token cannot mint another or add an owner.
   */
  staffOnly?: true;
  status?: 200 | 201;
}

const restaurant = z.object({ businessId });
const reservation = z.object({ businessId, reservationId: opaqueId });
const conversation = z.object({ businessId, conversationId: opaqueId });
const email = z.string().trim().toLowerCase().email('an email address').max(254);
const password = z.string().min(12, 'at least 12 characters').max(256);
/** A retried click sends the same id, and the conversation sends nothing more. */
const requestId = z.uuid();

export const reservationCreateSchema = z
  .object({
    /** The same id again (a retried click) books nothing more and answers with the same booking. */
    requestId,
    guestName: z.string().trim().max(200),
    /** Empty for a walk-in. */
    phone: z
      .string()
      .trim()
      .regex(/^$|^\+?[0-9 ()-]{6,24}$/, 'a phone number with country code'),
    walkIn: z.boolean(),
    partySize: z.number().int().min(1).max(1_000),
    date: localDate,
    time: localTime,
    notes: z.string().max(1000),
  })
  .refine((b) => b.walkIn || b.phone !== '', {
    message: 'a phone number, or mark it a walk-in',
    path: ['phone'],
  })
  .refine((b) => b.walkIn || b.guestName !== '', { message: 'the guest name', path: ['guestName'] });

export const reservationChangeSchema = z
  .object({
    date: localDate.optional(),
    time: localTime.optional(),
    partySize: z.number().int().min(1).max(1_000).optional(),
    guestName: z.string().trim().min(1).max(200).optional(),
    notes: z.string().max(1000).optional(),
  })
  .refine((b) => Object.keys(b).length > 0, { message: 'at least one change' });

export const replySchema = z.union([
  z.object({ requestId, text: z.string().trim().min(1, 'a message').max(4096) }),
  z.object({
    requestId,
    template: z.object({
      name: templateSchema.shape.name,
      language: templateSchema.shape.language,
      parameters: z.array(z.string().min(1).max(1024)).max(20),
    }),
  }),
]);

export const settingsChangeSchema = z
  .object({
    name: z.string().trim().min(1).max(200).optional(),
    rules: bookingRulesSchema.optional(),
    hours: openingHoursSchema.optional(),
    greetings: z.record(z.string().regex(/^[a-z]{2}$/), z.string().max(1024)).optional(),
    templates: z.array(templateSchema).max(100).optional(),
    /** Meta's id of the published booking Flow; "" stops offering it (docs/whatsapp.md#flows). */
    bookingFlowId: z
      .string()
      .trim()
      .regex(/^(\d{1,32})?$/, "Meta's numeric Flow id, or empty")
      .optional(),
    waitlist: waitlistSettingsSchema.optional(),
    followUps: followUpsSchema.optional(),
  })
  .refine((b) => Object.keys(b).length > 0, { message: 'at least one setting' });

export const routes = {
  login: {
    method: 'POST',
    path: '/api/auth/login',
    access: 'public',
    body: z.object({ email, password: z.string().min(1).max(256) }),
    response: sessionSchema,
  },
  logout: { method: 'POST', path: '/api/auth/logout', access: 'session' },
  session: { method: 'GET', path: '/api/session', access: 'session', response: sessionSchema },
  changePassword: {
    method: 'POST',
    path: '/api/account/password',
    access: 'session',
    body: z.object({ current: z.string().min(1).max(256), next: password }),
  },

  day: {
    method: 'GET',
    path: '/api/restaurants/:businessId/day',
    access: 'host',
    params: restaurant,
    query: z.object({ date: localDate.optional() }),
    response: daySheetSchema,
  },
  reservation: {
    method: 'GET',
    path: '/api/restaurants/:businessId/reservations/:reservationId',
    access: 'host',
    params: reservation,
    response: reservationSchema,
  },
  createReservation: {
    method: 'POST',
    path: '/api/restaurants/:businessId/reservations',
    access: 'host',
    params: restaurant,
    body: reservationCreateSchema,
    response: reservationSchema,
    status: 201,
  },
  changeReservation: {
    method: 'PATCH',
    path: '/api/restaurants/:businessId/reservations/:reservationId',
    access: 'host',
    params: reservation,
    body: reservationChangeSchema,
    response: reservationSchema,
  },
  cancelReservation: {
    method: 'POST',
    path: '/api/restaurants/:businessId/reservations/:reservationId/cancel',
    access: 'host',
    params: reservation,
    body: z.object({ reason: z.string().trim().min(1, 'a reason').max(500) }),
    response: reservationSchema,
  },
  setReservationStatus: {
    method: 'POST',
    path: '/api/restaurants/:businessId/reservations/:reservationId/status',
    access: 'host',
    params: reservation,
    body: z.object({ status: z.enum(['seated', 'finished', 'no_show']) }),
    response: reservationSchema,
  },

  conversations: {
    method: 'GET',
    path: '/api/restaurants/:businessId/conversations',
    access: 'host',
    params: restaurant,
    query: z.object({
      query: z.string().trim().max(100).optional(),
      state: z.enum(['waiting', 'taken', 'bot']).optional(),
      cursor: z.string().max(512).optional(),
    }),
    response: z.object({
      conversations: z.array(conversationSummarySchema),
      nextCursor: z.string().nullable(),
    }),
  },
  conversation: {
    method: 'GET',
    path: '/api/restaurants/:businessId/conversations/:conversationId',
    access: 'host',
    params: conversation,
    response: conversationDetailSchema,
  },
  /** One guest's history, named by their conversation (the inbox) or one of their bookings (the day). */
  timeline: {
    method: 'GET',
    path: '/api/restaurants/:businessId/timeline',
    access: 'host',
    params: restaurant,
    query: z
      .object({
        conversationId: z.string().min(1).max(200).optional(),
        reservationId: z.string().min(1).max(200).optional(),
      })
      .refine((q) => (q.conversationId === undefined) !== (q.reservationId === undefined), {
        message: 'name the guest by conversationId or by reservationId',
        path: ['conversationId'],
      }),
    response: timelineSchema,
  },
  takeOver: {
    method: 'POST',
    path: '/api/restaurants/:businessId/conversations/:conversationId/takeover',
    access: 'host',
    params: conversation,
    body: z.object({ requestId }),
    response: conversationSummarySchema,
  },
  release: {
    method: 'POST',
    path: '/api/restaurants/:businessId/conversations/:conversationId/release',
    access: 'host',
    params: conversation,
    body: z.object({ requestId }),
    response: conversationSummarySchema,
  },
  markRead: {
    method: 'POST',
    path: '/api/restaurants/:businessId/conversations/:conversationId/read',
    access: 'host',
    params: conversation,
    response: conversationSummarySchema,
  },
  reply: {
    method: 'POST',
    path: '/api/restaurants/:businessId/conversations/:conversationId/replies',
    access: 'host',
    params: conversation,
    body: replySchema,
    response: z.object({ messageId: z.string() }),
    status: 201,
  },

  settings: {
    method: 'GET',
    path: '/api/restaurants/:businessId/settings',
    access: 'host',
    params: restaurant,
    response: settingsSchema,
  },
  changeSettings: {
    method: 'PATCH',
    path: '/api/restaurants/:businessId/settings',
    access: 'owner',
    params: restaurant,
    body: settingsChangeSchema,
    response: settingsSchema,
  },
  setMenuItem: {
    method: 'PUT',
    path: '/api/restaurants/:businessId/menu/:itemId',
    access: 'owner',
    params: z.object({ businessId, itemId: menuItemSchema.shape.itemId }),
    body: menuItemSchema.omit({ itemId: true }),
    response: settingsSchema,
  },
  removeMenuItem: {
    method: 'DELETE',
    path: '/api/restaurants/:businessId/menu/:itemId',
    access: 'owner',
    params: z.object({ businessId, itemId: menuItemSchema.shape.itemId }),
    response: settingsSchema,
  },

  staff: {
    method: 'GET',
    path: '/api/restaurants/:businessId/staff',
    access: 'owner',
    staffOnly: true,
    params: restaurant,
    response: z.array(staffMemberSchema),
  },
  addStaff: {
    method: 'POST',
    path: '/api/restaurants/:businessId/staff',
    access: 'owner',
    staffOnly: true,
    params: restaurant,
    body: z.object({ email, name: z.string().trim().min(1).max(200), role: roleSchema }),
    /** `oneTimePassword` is set only when the account is new; it is shown once. */
    response: z.object({ member: staffMemberSchema, oneTimePassword: z.string().nullable() }),
    status: 201,
  },
  removeStaff: {
    method: 'DELETE',
    path: '/api/restaurants/:businessId/staff/:staffId',
    access: 'owner',
    staffOnly: true,
    params: z.object({ businessId, staffId: z.uuid() }),
  },
  tokens: {
    method: 'GET',
    path: '/api/restaurants/:businessId/tokens',
    access: 'owner',
    staffOnly: true,
    params: restaurant,
    response: z.array(apiTokenSchema),
  },
  createToken: {
    method: 'POST',
    path: '/api/restaurants/:businessId/tokens',
    access: 'owner',
    staffOnly: true,
    params: restaurant,
    body: z.object({ name: z.string().trim().min(1).max(100), role: roleSchema }),
    /** The secret is shown once; only its hash is kept. */
    response: z.object({ token: apiTokenSchema, secret: z.string() }),
    status: 201,
  },
  revokeToken: {
    method: 'DELETE',
    path: '/api/restaurants/:businessId/tokens/:tokenId',
    access: 'owner',
    staffOnly: true,
    params: z.object({ businessId, tokenId: z.uuid() }),
  },
} as const satisfies Record<string, RouteSpec>;

export type RouteName = keyof typeof routes;

/** Server-sent events of `GET /api/restaurants/:businessId/events`; each carries an `id:` to resume from. */
export const EVENTS_PATH = '/api/restaurants/:businessId/events';

export const liveEventSchema = z.discriminatedUnion('type', [
  /** A guest message, a reply, a takeover or release: refetch the conversation and the inbox. */
  z.object({ type: z.literal('conversation'), conversationId: z.string(), at: z.iso.datetime() }),
  /** A tick on an outbound message. */
  z.object({
    type: z.literal('delivery'),
    messageId: z.string(),
    conversationId: z.string().nullable(),
    status: z.enum(['sent', 'delivered', 'read', 'failed']),
    /**
     * A failed send's reason as the Graph API gave it, e.g. "(#132001) Template name does not
     * exist in the translation": a template Meta rejects is shown, never silent.
     */
    reason: z.string().optional(),
    at: z.iso.datetime(),
  }),
  /**
   * A booking was made, changed, cancelled or its status set, or the day's waitlist changed
   * (`reservationId` is then the waitlist entry's id).
   */
  z.object({
    type: z.literal('reservation'),
    reservationId: z.string(),
    date: localDate,
    at: z.iso.datetime(),
  }),
  /** Hours, rules, menu or templates changed. */
  z.object({ type: z.literal('settings'), at: z.iso.datetime() }),
  /** The browser was away too long to be replayed what it missed: reload everything it shows. */
  z.object({ type: z.literal('resync'), at: z.iso.datetime() }),
]);
export type LiveEvent = z.infer<typeof liveEventSchema>;
