import {
  type Booking,
  type BusinessProfile,
  businessProfileSchema,
  type MenuItem,
  menuItemSchema,
  type OpeningHours,
  openingHoursSchema,
} from '@reserveit/contracts';
import * as pb from '@reserveit/rpc/reservation/v1/reservation';
import { wallClockAt } from '@reserveit/time';
import type { FreeSlot, WaitlistPlace } from '../domain/index.js';
import type { BusinessRow, MenuRow } from '../projection/queries.js';
import { followUpsFromProto, followUpsToProto } from './follow-ups.js';

/** Domain ↔ protobuf shapes, both ways; the CLI uses the same functions as the server. */

export function hoursToProto(hours: OpeningHours): pb.OpeningHours {
  return {
    weekly: Object.entries(hours.weekly)
      .map(([weekday, intervals]) => ({ isoWeekday: Number(weekday), intervals }))
      .sort((a, b) => a.isoWeekday - b.isoWeekday),
    closedDates: [...hours.closedDates],
    specialHours: Object.entries(hours.specialHours)
      .map(([date, intervals]) => ({ date, intervals }))
      .sort((a, b) => a.date.localeCompare(b.date)),
  };
}

/** Validated: throws a ZodError naming the bad fields. */
export function hoursFromProto(hours: pb.OpeningHours | undefined): OpeningHours {
  return openingHoursSchema.parse({
    weekly: Object.fromEntries((hours?.weekly ?? []).map((day) => [String(day.isoWeekday), day.intervals])),
    closedDates: hours?.closedDates ?? [],
    specialHours: Object.fromEntries((hours?.specialHours ?? []).map((day) => [day.date, day.intervals])),
  });
}

export function businessToProto(row: BusinessRow): pb.Business {
  return {
    id: row.id,
    name: row.name,
    phoneNumberId: row.phoneNumberId,
    displayPhoneNumber: row.displayPhoneNumber,
    timezone: row.timezone,
    locales: row.locales,
    greetings: row.greetings,
    rules: { ...row.rules },
    hours: hoursToProto(row.hours),
    templates: { items: row.templates.map((template) => ({ ...template, purpose: template.purpose ?? '' })) },
    bookingFlowId: row.bookingFlowId,
    waitlist: { ...row.waitlist },
    followUps: followUpsToProto(row.followUps),
  };
}

export function profileFromProto(business: pb.Business): BusinessProfile {
  return businessProfileSchema.parse({
    name: business.name,
    phoneNumberId: business.phoneNumberId,
    displayPhoneNumber: business.displayPhoneNumber,
    timezone: business.timezone,
    locales: business.locales,
    greetings: business.greetings,
    rules: business.rules,
    templates: business.templates?.items,
    bookingFlowId: business.bookingFlowId,
    waitlist: business.waitlist,
    ...(business.followUps ? { followUps: followUpsFromProto(business.followUps) } : {}),
  });
}

export function menuItemToProto(item: MenuItem | MenuRow): pb.MenuItem {
  return {
    id: item.itemId,
    category: item.category,
    name: item.name,
    description: item.description,
    priceMinor: item.priceMinor,
    currency: item.currency,
    dietaryTags: [...item.dietaryTags],
    available: item.available,
    position: item.position,
  };
}

export function menuItemFromProto(item: pb.MenuItem | undefined): MenuItem {
  return menuItemSchema.parse({
    itemId: item?.id,
    category: item?.category,
    name: item?.name,
    description: item?.description,
    priceMinor: item?.priceMinor,
    currency: item?.currency,
    dietaryTags: item?.dietaryTags,
    available: item?.available,
    position: item?.position,
  });
}

const STATUS: Record<Booking['status'], pb.ReservationStatus> = {
  pending: pb.ReservationStatus.RESERVATION_STATUS_PENDING,
  confirmed: pb.ReservationStatus.RESERVATION_STATUS_CONFIRMED,
  cancelled: pb.ReservationStatus.RESERVATION_STATUS_CANCELLED,
  no_show: pb.ReservationStatus.RESERVATION_STATUS_NO_SHOW,
  seated: pb.ReservationStatus.RESERVATION_STATUS_SEATED,
  finished: pb.ReservationStatus.RESERVATION_STATUS_FINISHED,
};

export const sourceFromProto = (source: pb.ReservationSource): Booking['source'] =>
  source === pb.ReservationSource.RESERVATION_SOURCE_STAFF ? 'staff' : 'whatsapp';

export function reservationToProto(booking: Booking, timezone: string): pb.Reservation {
  return {
    id: booking.reservationId,
    businessId: booking.businessId,
    guestWaId: booking.guestWaId,
    guestName: booking.guestName,
    partySize: booking.partySize,
    serviceDate: booking.serviceDate,
    time: wallClockAt(Date.parse(booking.startsAt), timezone).time,
    startsAt: booking.startsAt,
    endsAt: booking.endsAt,
    status: STATUS[booking.status],
    notes: booking.notes,
    source:
      booking.source === 'staff'
        ? pb.ReservationSource.RESERVATION_SOURCE_STAFF
        : pb.ReservationSource.RESERVATION_SOURCE_WHATSAPP,
    idempotencyKey: booking.idempotencyKey,
    guestConfirmedAt: booking.guestConfirmedAt ?? '',
    lateMinutes: booking.lateMinutes ?? 0,
    noShowFlaggedAt: booking.noShowFlaggedAt ?? '',
    feedbackRating: booking.feedbackRating ?? 0,
    feedbackComment: booking.feedbackComment ?? '',
  };
}

export function slotToProto(slot: FreeSlot): pb.Slot {
  return {
    date: slot.calendarDate,
    time: slot.time,
    startsAt: new Date(slot.startMs).toISOString(),
    endsAt: new Date(slot.endMs).toISOString(),
    freeCovers: slot.freeCovers,
  };
}

const WAITLIST_STATUS: Record<WaitlistPlace['status'], pb.WaitlistStatus> = {
  waiting: pb.WaitlistStatus.WAITLIST_STATUS_WAITING,
  offered: pb.WaitlistStatus.WAITLIST_STATUS_OFFERED,
  accepted: pb.WaitlistStatus.WAITLIST_STATUS_ACCEPTED,
  expired: pb.WaitlistStatus.WAITLIST_STATUS_EXPIRED,
  left: pb.WaitlistStatus.WAITLIST_STATUS_LEFT,
};

export function waitlistEntryToProto(place: WaitlistPlace): pb.WaitlistEntry {
  return {
    id: place.entryId,
    businessId: place.businessId,
    serviceDate: place.serviceDate,
    time: place.time,
    partySize: place.partySize,
    guestWaId: place.guestWaId,
    guestName: place.guestName,
    status: WAITLIST_STATUS[place.status],
    joinedAt: place.joinedAt,
    offerExpiresAt: place.offer?.offerExpiresAt ?? '',
    reservationId: place.reservationId ?? '',
  };
}
