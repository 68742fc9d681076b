import {
  type Booking,
  type BookingRules,
  DEFAULT_FOLLOW_UPS,
  type FollowUpSettings,
  followUpSettingsSchema,
  type MessageTemplate,
  type OpeningHours,
  type WaitlistSettings,
} from '@reserveit/contracts';
import { type Kysely, sql } from 'kysely';
import type { Occupancy } from '../domain/availability.js';
import type { ProjectionDb } from './tables.js';

export interface BusinessRow {
  id: string;
  name: string;
  phoneNumberId: string;
  displayPhoneNumber: string;
  timezone: string;
  locales: string[];
  greetings: Record<string, string>;
  rules: BookingRules;
  hours: OpeningHours;
  templates: MessageTemplate[];
  bookingFlowId: string;
  waitlist: WaitlistSettings;
  followUps: FollowUpSettings;
}

export interface MenuRow {
  itemId: string;
  category: string;
  name: string;
  description: string;
  priceMinor: number;
  currency: string;
  dietaryTags: string[];
  available: boolean;
  position: number;
}

const ACTIVE = ['pending', 'confirmed', 'seated'];

/** The reads of the gRPC API: all from the projection (eventually consistent, milliseconds behind). */
export class ProjectionQueries {
  constructor(private readonly db: Kysely<ProjectionDb>) {}

  async businessById(id: string): Promise<BusinessRow | undefined> {
    const row = await this.businesses().where('id', '=', id).executeTakeFirst();
    return row && toBusiness(row);
  }

  async businessByPhoneNumberId(phoneNumberId: string): Promise<BusinessRow | undefined> {
    const row = await this.businesses().where('phone_number_id', '=', phoneNumberId).executeTakeFirst();
    return row && toBusiness(row);
  }

  async allBusinesses(): Promise<BusinessRow[]> {
    return (await this.businesses().orderBy('id').execute()).map(toBusiness);
  }

  async menu(businessId: string, category?: string): Promise<MenuRow[]> {
    let query = this.db
      .selectFrom('reservation.menu_items')
      .selectAll()
      .where('business_id', '=', businessId)
      // Sections in the restaurant's order (the first item added of each), dishes by position.
      .orderBy(sql`min(added_seq) over (partition by category)`)
      .orderBy('category')
      .orderBy('position')
      .orderBy('item_id');
    if (category) query = query.where(sql<string>`lower(category)`, '=', category.toLowerCase());
    return (await query.execute()).map((row) => ({
      itemId: row.item_id,
      category: row.category,
      name: row.name,
      description: row.description,
      priceMinor: Number(row.price_minor),
      currency: row.currency,
      dietaryTags: row.dietary_tags,
      available: row.available,
      position: row.position,
    }));
  }

  /**
   * Bookings of a service date that hold covers, for availability: as coversHeldUntil
   * (src/domain/day.ts) counts them, a finished one until it finished.
   */
  async occupancy(businessId: string, serviceDate: string): Promise<Occupancy[]> {
    const rows = await this.db
      .selectFrom('reservation.reservations')
      .select(['id', 'party_size', 'starts_at', 'ends_at', 'finished_at'])
      .where('business_id', '=', businessId)
      .where('service_date', '=', serviceDate)
      .where((eb) =>
        eb.or([
          eb('status', 'in', ACTIVE),
          eb.and([eb('status', '=', 'finished'), eb('finished_at', 'is not', null)]),
        ]),
      )
      .execute();
    return rows.map((row) => ({
      reservationId: row.id,
      partySize: row.party_size,
      startMs: row.starts_at.getTime(),
      endMs: Math.min(row.ends_at.getTime(), row.finished_at?.getTime() ?? Number.POSITIVE_INFINITY),
    }));
  }

  async reservation(id: string): Promise<Booking | undefined> {
    const row = await this.reservations().where('id', '=', id).executeTakeFirst();
    return row && toBooking(row);
  }

  async byBusinessDay(
    businessId: string,
    serviceDate: string,
    includeCancelled: boolean,
  ): Promise<Booking[]> {
    let query = this.reservations()
      .where('business_id', '=', businessId)
      .where('service_date', '=', serviceDate);
    if (!includeCancelled) query = query.where('status', '!=', 'cancelled');
    return (await query.orderBy('starts_at').orderBy('id').execute()).map(toBooking);
  }

  async byGuest(
    guestWaId: string,
    options: { businessId?: string; includeCancelled: boolean; startingAfter?: Date },
  ): Promise<Booking[]> {
    let query = this.reservations().where('guest_wa_id', '=', guestWaId);
    if (options.businessId) query = query.where('business_id', '=', options.businessId);
    if (!options.includeCancelled) query = query.where('status', '!=', 'cancelled');
    if (options.startingAfter) query = query.where('starts_at', '>', options.startingAfter);
    return (await query.orderBy('starts_at').orderBy('id').limit(100).execute()).map(toBooking);
  }

  private businesses() {
    return this.db.selectFrom('reservation.businesses').selectAll();
  }

  private reservations() {
    return this.db.selectFrom('reservation.reservations').selectAll();
  }
}

type BusinessSelect = {
  id: string;
  name: string;
  phone_number_id: string;
  display_phone_number: string;
  timezone: string;
  locales: string[];
  greetings: Record<string, string>;
  rules: unknown;
  hours: unknown;
  templates: unknown;
  booking_flow_id: string;
  waitlist: unknown;
  follow_ups: unknown;
};

function toBusiness(row: BusinessSelect): BusinessRow {
  return {
    id: row.id,
    name: row.name,
    phoneNumberId: row.phone_number_id,
    displayPhoneNumber: row.display_phone_number,
    timezone: row.timezone,
    locales: row.locales,
    greetings: row.greetings,
    // Written by the projector from validated events.
    rules: row.rules as BookingRules,
    hours: row.hours as OpeningHours,
    templates: row.templates as MessageTemplate[],
    bookingFlowId: row.booking_flow_id,
    waitlist: row.waitlist as WaitlistSettings,
    // Rows projected before the column existed hold null: the defaults, as the events would say.
    followUps: row.follow_ups == null ? DEFAULT_FOLLOW_UPS : followUpSettingsSchema.parse(row.follow_ups),
  };
}

type ReservationSelect = {
  id: string;
  business_id: string;
  service_date: string;
  guest_wa_id: string;
  guest_name: string;
  party_size: number;
  starts_at: Date;
  ends_at: Date;
  status: string;
  notes: string;
  source: string;
  idempotency_key: string;
  finished_at: Date | null;
  guest_confirmed_at: Date | null;
  late_minutes: number | null;
  no_show_flagged_at: Date | null;
  rating: number | null;
  feedback_comment: string | null;
};

function toBooking(row: ReservationSelect): Booking {
  return {
    reservationId: row.id,
    businessId: row.business_id,
    serviceDate: row.service_date,
    guestWaId: row.guest_wa_id,
    guestName: row.guest_name,
    partySize: row.party_size,
    startsAt: row.starts_at.toISOString(),
    endsAt: row.ends_at.toISOString(),
    status: row.status as Booking['status'],
    notes: row.notes,
    source: row.source as Booking['source'],
    idempotencyKey: row.idempotency_key,
    ...(row.finished_at ? { finishedAt: row.finished_at.toISOString() } : {}),
    ...(row.guest_confirmed_at ? { guestConfirmedAt: row.guest_confirmed_at.toISOString() } : {}),
    ...(row.late_minutes ? { lateMinutes: row.late_minutes } : {}),
    ...(row.no_show_flagged_at ? { noShowFlaggedAt: row.no_show_flagged_at.toISOString() } : {}),
    ...(row.rating ? { feedbackRating: row.rating } : {}),
    ...(row.feedback_comment ? { feedbackComment: row.feedback_comment } : {}),
  };
}
