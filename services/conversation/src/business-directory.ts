import { unaryCall } from '@reserveit/rpc';
import type { Business } from '@reserveit/rpc/reservation/v1/reservation';
import { LRUCache } from 'lru-cache';
import type { BusinessProfile } from './dialogue/index.js';
import { failureCode, type Upstreams } from './upstreams.js';

export type Lookup = { found: true; business: BusinessProfile; phoneNumberId: string } | { found: false };

/** Phone numbers remembered at most: one per registered restaurant, plus unknown ones briefly. */
const MAX_NUMBERS = 10_000;

/**
 * Businesses by phone_number_id from the reservation service, remembered for a short while: every
 * inbound message needs one and they change rarely. Partitions that miss at once share one call.
 * An unknown number is remembered too (briefly), so a flood to an unregistered number costs one
 * lookup per period. Transport failures throw and are not remembered: the message is retried
 * rather than taken for an unknown number.
 */
export class BusinessDirectory {
  private readonly cache: LRUCache<string, Lookup>;
  private readonly byIdCache: LRUCache<string, Lookup>;

  constructor(
    private readonly upstreams: Upstreams,
    private readonly options: { ttlMs: number; deadlineMs: number },
  ) {
    this.cache = new LRUCache<string, Lookup>({
      max: MAX_NUMBERS,
      ttl: options.ttlMs,
      fetchMethod: async (phoneNumberId, _stale, { options: entry }) => {
        const lookup = await this.lookUp(phoneNumberId);
        // Unknown numbers are re-checked sooner: the business may be registering right now.
        if (!lookup.found) entry.ttl = Math.min(options.ttlMs, 5_000);
        return lookup;
      },
    });
    this.byIdCache = new LRUCache<string, Lookup>({
      max: MAX_NUMBERS,
      ttl: options.ttlMs,
      fetchMethod: (businessId) => this.lookUpId(businessId),
    });
  }

  /** A business by its id (scheduled work names it so), through the same short-lived memory. */
  async byId(businessId: string): Promise<Lookup> {
    const lookup = await this.byIdCache.fetch(businessId);
    if (!lookup) throw new Error(`no lookup of business ${businessId}`);
    return lookup;
  }

  async byPhoneNumberId(phoneNumberId: string): Promise<Lookup> {
    const lookup = await this.cache.fetch(phoneNumberId);
    if (!lookup) throw new Error(`no lookup of phone_number_id ${phoneNumberId}`);
    return lookup;
  }

  private async lookUpId(businessId: string): Promise<Lookup> {
    try {
      const { reservation } = this.upstreams;
      const { business } = await unaryCall(
        reservation,
        reservation.getBusiness,
        { businessId },
        this.options.deadlineMs,
      );
      return business
        ? { found: true, business: toProfile(business), phoneNumberId: business.phoneNumberId }
        : { found: false };
    } catch (error) {
      if (failureCode(error) !== 'NOT_FOUND') throw error;
      return { found: false };
    }
  }

  private async lookUp(phoneNumberId: string): Promise<Lookup> {
    try {
      const { reservation } = this.upstreams;
      const response = await unaryCall(
        reservation,
        reservation.getBusinessByPhoneNumberId,
        { phoneNumberId },
        this.options.deadlineMs,
      );
      return response.business
        ? { found: true, business: toProfile(response.business), phoneNumberId }
        : { found: false };
    } catch (error) {
      if (failureCode(error) !== 'NOT_FOUND') throw error;
      return { found: false };
    }
  }
}

export function toProfile(business: Business): BusinessProfile {
  const weekly: BusinessProfile['hours']['weekly'] = {};
  for (const day of business.hours?.weekly ?? []) {
    weekly[day.isoWeekday] = day.intervals.map((i) => ({ start: i.start, end: i.end }));
  }
  return {
    id: business.id,
    name: business.name,
    timezone: business.timezone || 'UTC',
    greetings: { ...business.greetings },
    ...(business.displayPhoneNumber ? { phone: dialable(business.displayPhoneNumber) } : {}),
    maxPartySize: business.rules?.maxPartySize || 20,
    ...(business.bookingFlowId ? { bookingFlowId: business.bookingFlowId } : {}),
    ...(business.waitlist?.enabled ? { waitlist: true } : {}),
    templates: (business.templates?.items ?? []).map(
      ({ name, language, bodyParameters, category, purpose }) => ({
        name,
        language,
        bodyParameters,
        category,
        ...(purpose ? { purpose } : {}),
      }),
    ),
    hours: { weekly, closedDates: [...(business.hours?.closedDates ?? [])] },
  };
}

/** Meta gives the display number as bare digits ("15550001111") or formatted; a guest dials it with a "+". */
function dialable(displayPhoneNumber: string): string {
  const trimmed = displayPhoneNumber.trim();
  return /^\d+$/.test(trimmed) ? `+${trimmed}` : trimmed;
}
