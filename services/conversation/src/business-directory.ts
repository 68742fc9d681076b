import { unaryCall } from '@reserveit/rpc';
import type { Business } from '@reserveit/rpc/reservation/v1/reservation';
import type { BusinessProfile } from './dialogue/index.js';
import { failureCode, type Upstreams } from './upstreams.js';

export type Lookup = { found: true; business: BusinessProfile; phoneNumberId: string } | { found: false };

/**
 * Businesses by phone_number_id from the reservation service, remembered for a short while: every
 * inbound message needs one and they change rarely. An unknown number is remembered too (briefly),
 * so a flood to an unregistered number costs one lookup per period. Transport failures throw: the
 * message is retried rather than taken for an unknown number.
 */
export class BusinessDirectory {
  private readonly cache = new Map<string, { lookup: Lookup; until: number }>();

  constructor(
    private readonly upstreams: Upstreams,
    private readonly options: { ttlMs: number; deadlineMs: number; now: () => number },
  ) {}

  async byPhoneNumberId(phoneNumberId: string): Promise<Lookup> {
    const now = this.options.now();
    const cached = this.cache.get(phoneNumberId);
    if (cached && cached.until > now) return cached.lookup;
    let lookup: Lookup;
    try {
      const { reservation } = this.upstreams;
      const response = await unaryCall(
        reservation,
        reservation.getBusinessByPhoneNumberId,
        { phoneNumberId },
        this.options.deadlineMs,
      );
      lookup = response.business
        ? { found: true, business: toProfile(response.business), phoneNumberId }
        : { found: false };
    } catch (error) {
      if (failureCode(error) !== 'NOT_FOUND') throw error;
      lookup = { found: false };
    }
    // Unknown numbers are re-checked sooner: the business may be registering right now.
    const ttl = lookup.found ? this.options.ttlMs : Math.min(this.options.ttlMs, 5_000);
    this.cache.set(phoneNumberId, { lookup, until: now + ttl });
    return lookup;
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
    maxPartySize: business.rules?.maxPartySize || 20,
    hours: { weekly, closedDates: [...(business.hours?.closedDates ?? [])] },
  };
}
