import type { ServerUnaryCall, sendUnaryData } from '@grpc/grpc-js';
import { trace } from '@opentelemetry/api';
import { type Booking, businessIdSchema, STAFF_CALLERS, waitlistSettingsOf } from '@reserveit/contracts';
import { callerOf, domainError, GrpcStatus, type VerifiedCaller } from '@reserveit/rpc';
import type * as pb from '@reserveit/rpc/reservation/v1/reservation';
import type { Logger } from '@reserveit/telemetry';
import type { Business } from '../domain/index.js';
import { reject } from '../domain/index.js';
import type { ReservationMetrics } from '../metrics.js';
import type { BusinessRow } from '../projection/queries.js';
import { RejectedError } from '../rejected-error.js';
import type { ReservationApp } from '../reservation-app.js';
import { toGrpcError } from './errors.js';
import {
  businessToProto,
  hoursFromProto,
  menuItemFromProto,
  menuItemToProto,
  profileFromProto,
  reservationToProto,
  slotToProto,
  sourceFromProto,
  waitlistEntryToProto,
} from './mapping.js';
import {
  acceptOfferRequest,
  answerReminderRequest,
  availabilityRequest,
  cancelRequest,
  createRequest,
  daySheetRequest,
  getReservationRequest,
  giveFeedbackRequest,
  joinWaitlistRequest,
  listRequest,
  modifyRequest,
  setStatusRequest,
  settingsRequest,
  waitlistEntryRequest,
} from './requests.js';

export interface HandlerDeps {
  app: ReservationApp;
  logger: Logger;
  metrics: ReservationMetrics;
}

type Work<Req, Res> = (request: Req, deadlineMs: number, caller: VerifiedCaller | undefined) => Promise<Res>;

/**
 * Staff may act past the guests' rules: that is decided by who verifiably calls (the console and
 * the ops tools), never by the request's own `by_staff` or `source`.
 */
const actsForStaff = (caller: VerifiedCaller | undefined): boolean =>
  caller !== undefined && STAFF_CALLERS.includes(caller.name);

/**
 * One wrapper for every method: refuses a call whose deadline passed before work starts, passes
 * the deadline into the retry loop, maps errors once, counts outcomes.
 */
function unary<Req, Res>(method: string, deps: HandlerDeps, work: Work<Req, Res>) {
  return (call: ServerUnaryCall<Req, Res>, callback: sendUnaryData<Res>) => {
    const started = performance.now();
    const deadline = call.getDeadline();
    const deadlineMs = deadline instanceof Date ? deadline.getTime() : deadline;
    const finish = (outcome: string) => {
      deps.metrics.calls.inc({ method, outcome });
      deps.metrics.callSeconds.observe({ method }, (performance.now() - started) / 1000);
    };
    if (Number.isFinite(deadlineMs) && Date.now() >= deadlineMs) {
      finish('DEADLINE_EXCEEDED');
      callback(
        domainError(
          GrpcStatus.DEADLINE_EXCEEDED,
          'DEADLINE_EXCEEDED',
          'The deadline passed before the call started.',
        ),
      );
      return;
    }
    work(call.request, deadlineMs, callerOf(call)).then(
      (response) => {
        finish('ok');
        callback(null, response);
      },
      (error: unknown) => {
        const mapped = toGrpcError(error);
        finish(mapped.code);
        trace.getActiveSpan()?.setAttribute('reserveit.error_code', mapped.code);
        if (mapped.unexpected) deps.logger.error({ err: error, method }, 'gRPC call failed');
        callback(mapped.error);
      },
    );
  };
}

function rowOf(business: Business): BusinessRow {
  const { profile } = business;
  return {
    id: business.businessId,
    name: profile.name,
    phoneNumberId: profile.phoneNumberId,
    displayPhoneNumber: profile.displayPhoneNumber,
    timezone: profile.timezone,
    locales: profile.locales,
    greetings: profile.greetings,
    rules: profile.rules,
    hours: business.hours,
    templates: profile.templates,
    bookingFlowId: profile.bookingFlowId,
    waitlist: waitlistSettingsOf(profile),
    followUps: profile.followUps,
  };
}

const notFound = (what: string) => new RejectedError(reject('NOT_FOUND', what));

export function reservationHandlers(deps: HandlerDeps): pb.ReservationServiceServer {
  const { app } = deps;
  const toProto = async (booking: Booking) =>
    reservationToProto(booking, (await app.business(booking.businessId)).profile.timezone);

  return {
    getBusinessByPhoneNumberId: unary(
      'GetBusinessByPhoneNumberId',
      deps,
      async (request: pb.GetBusinessByPhoneNumberIdRequest) => {
        const row = await app.queries.businessByPhoneNumberId(request.phoneNumberId);
        if (!row) throw notFound('No business has that phone_number_id.');
        return { business: businessToProto(row) };
      },
    ),
    getBusiness: unary('GetBusiness', deps, async (request: pb.GetBusinessRequest) => {
      const row = await app.queries.businessById(request.businessId);
      if (!row) throw notFound(`No business ${request.businessId}.`);
      return { business: businessToProto(row) };
    }),
    checkAvailability: unary('CheckAvailability', deps, async (request: pb.CheckAvailabilityRequest) => {
      const input = availabilityRequest.parse(request);
      trace.getActiveSpan()?.setAttribute('reserveit.business_id', input.businessId);
      const result = await app.availability.check(input);
      return {
        slots: result.slots.map(slotToProto),
        preferredAvailable: result.preferredAvailable,
        alternatives: result.alternatives.map(slotToProto),
        closedReason: result.closedReason ?? '',
      };
    }),
    createReservation: unary(
      'CreateReservation',
      deps,
      async (request: pb.CreateReservationRequest, deadlineMs, caller) => {
        // A staff booking (a walk-in, past the lead time) only for a caller that acts for staff.
        const source = actsForStaff(caller) ? sourceFromProto(request.source) : 'whatsapp';
        const input = createRequest.parse({ ...request, source });
        trace.getActiveSpan()?.setAttribute('reserveit.business_id', input.businessId);
        const created = await app.bookings.create(input, deadlineMs);
        return { reservation: await toProto(created.booking), replayed: created.replayed };
      },
    ),
    modifyReservation: unary(
      'ModifyReservation',
      deps,
      async (request: pb.ModifyReservationRequest, deadlineMs, caller) => {
        const input = modifyRequest.parse({ ...request, byStaff: actsForStaff(caller) || undefined });
        const booking = await app.bookings.modify(input, deadlineMs);
        return { reservation: await toProto(booking) };
      },
    ),
    cancelReservation: unary(
      'CancelReservation',
      deps,
      async (request: pb.CancelReservationRequest, deadlineMs, caller) => {
        const input = cancelRequest.parse({ ...request, byStaff: actsForStaff(caller) });
        const booking = await app.bookings.cancel(input, deadlineMs);
        return { reservation: await toProto(booking) };
      },
    ),
    getReservation: unary('GetReservation', deps, async (request: pb.GetReservationRequest, deadlineMs) => {
      const booking = await app.bookings.get(getReservationRequest.parse(request), deadlineMs);
      return { reservation: await toProto(booking) };
    }),
    setReservationStatus: unary(
      'SetReservationStatus',
      deps,
      async (request: pb.SetReservationStatusRequest, deadlineMs) => {
        const { staff, ...input } = setStatusRequest.parse(request);
        const booking = await app.bookings.setStatus(
          { ...input, ...(staff ? { by: staff } : {}) },
          deadlineMs,
        );
        return { reservation: await toProto(booking) };
      },
    ),
    answerReminder: unary('AnswerReminder', deps, async (request: pb.AnswerReminderRequest, deadlineMs) => {
      const booking = await app.bookings.answerReminder(answerReminderRequest.parse(request), deadlineMs);
      return { reservation: await toProto(booking) };
    }),
    giveFeedback: unary('GiveFeedback', deps, async (request: pb.GiveFeedbackRequest, deadlineMs) => {
      const booking = await app.bookings.giveFeedback(giveFeedbackRequest.parse(request), deadlineMs);
      return { reservation: await toProto(booking) };
    }),
    getDaySheet: unary('GetDaySheet', deps, async (request: pb.GetDaySheetRequest, deadlineMs) => {
      const input = daySheetRequest.parse(request);
      trace.getActiveSpan()?.setAttribute('reserveit.business_id', input.businessId);
      const sheet = await app.daySheets.sheet(
        input.businessId,
        input.date,
        input.includeCancelled,
        deadlineMs,
      );
      return {
        date: input.date,
        closedReason: sheet.closedReason ?? '',
        slots: sheet.slots.map((slot) => ({
          time: slot.time,
          startsAt: new Date(slot.startMs).toISOString(),
          capacityCovers: slot.capacityCovers,
          coversUsed: slot.coversUsed,
        })),
        reservations: await Promise.all(sheet.bookings.map(toProto)),
        waitlist: sheet.waitlist.map(waitlistEntryToProto),
      };
    }),
    listReservations: unary('ListReservations', deps, async (request: pb.ListReservationsRequest) => {
      const input = listRequest.parse(request);
      const bookings =
        input.guestWaId !== ''
          ? await app.queries.byGuest(input.guestWaId, {
              ...(input.businessId ? { businessId: input.businessId } : {}),
              includeCancelled: input.includeCancelled,
              ...(input.upcomingOnly ? { startingAfter: new Date(app.now()) } : {}),
            })
          : await app.queries.byBusinessDay(input.businessId, input.date ?? '', input.includeCancelled);
      const filtered = input.date
        ? bookings.filter((booking) => booking.serviceDate === input.date)
        : bookings;
      return { reservations: await Promise.all(filtered.map(toProto)) };
    }),
    getMenu: unary('GetMenu', deps, async (request: pb.GetMenuRequest) => {
      if (!(await app.queries.businessById(request.businessId)))
        throw notFound(`No business ${request.businessId}.`);
      const items = await app.queries.menu(request.businessId, request.category || undefined);
      const categories = new Map<string, pb.MenuItem[]>();
      for (const item of items) {
        const list = categories.get(item.category) ?? [];
        list.push(menuItemToProto(item));
        categories.set(item.category, list);
      }
      return { categories: [...categories].map(([name, list]) => ({ name, items: list })) };
    }),
    registerBusiness: unary('RegisterBusiness', deps, async (request: pb.RegisterBusinessRequest) => {
      if (!request.business) throw new RejectedError(reject('INVALID_ARGUMENT', 'business is required.'));
      const business = await app.businesses.register(
        businessIdSchema.parse(request.business.id),
        profileFromProto(request.business),
        hoursFromProto(request.business.hours),
        request.menu.map(menuItemFromProto),
      );
      return { business: businessToProto(rowOf(business)) };
    }),
    listBusinesses: unary('ListBusinesses', deps, async () => ({
      businesses: (await app.queries.allBusinesses()).map(businessToProto),
    })),
    setOpeningHours: unary('SetOpeningHours', deps, async (request: pb.SetOpeningHoursRequest) => {
      const business = await app.businesses.setHours(request.businessId, hoursFromProto(request.hours));
      return { business: businessToProto(rowOf(business)) };
    }),
    updateBusinessSettings: unary(
      'UpdateBusinessSettings',
      deps,
      async (request: pb.UpdateBusinessSettingsRequest) => {
        const input = settingsRequest.parse(request);
        const business = await app.businesses.setSettings(input.businessId, input.settings);
        return { business: businessToProto(rowOf(business)) };
      },
    ),
    setMenuItem: unary('SetMenuItem', deps, async (request: pb.SetMenuItemRequest) => {
      const item = menuItemFromProto(request.item);
      await app.businesses.setMenuItem(request.businessId, item);
      return { item: menuItemToProto(item) };
    }),
    joinWaitlist: unary('JoinWaitlist', deps, async (request: pb.JoinWaitlistRequest, deadlineMs) => {
      const input = joinWaitlistRequest.parse(request);
      trace.getActiveSpan()?.setAttribute('reserveit.business_id', input.businessId);
      const joined = await app.waitlist.join(input, deadlineMs);
      return { entry: waitlistEntryToProto(joined.place), replayed: joined.replayed };
    }),
    acceptWaitlistOffer: unary(
      'AcceptWaitlistOffer',
      deps,
      async (request: pb.AcceptWaitlistOfferRequest, deadlineMs) => {
        const accepted = await app.waitlist.accept(acceptOfferRequest.parse(request), deadlineMs);
        if (!accepted.booking) throw new Error('an accepted offer without its booking');
        return { entry: waitlistEntryToProto(accepted.place), reservation: await toProto(accepted.booking) };
      },
    ),
    expireWaitlistOffer: unary(
      'ExpireWaitlistOffer',
      deps,
      async (request: pb.ExpireWaitlistOfferRequest, deadlineMs) => {
        const expired = await app.waitlist.expire(waitlistEntryRequest.parse(request), deadlineMs);
        return { entry: waitlistEntryToProto(expired.place), expired: !expired.replayed };
      },
    ),
    leaveWaitlist: unary('LeaveWaitlist', deps, async (request: pb.LeaveWaitlistRequest, deadlineMs) => {
      const left = await app.waitlist.leave(waitlistEntryRequest.parse(request), deadlineMs);
      return { entry: waitlistEntryToProto(left.place) };
    }),
    removeMenuItem: unary('RemoveMenuItem', deps, async (request: pb.RemoveMenuItemRequest) => {
      await app.businesses.removeMenuItem(request.businessId, request.itemId);
      return {};
    }),
  };
}
