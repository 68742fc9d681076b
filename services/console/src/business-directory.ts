import { unaryCall } from '@reserveit/rpc';
import type { Upstreams } from './upstreams.js';

export interface BusinessProfile {
  businessId: string;
  name: string;
  timezone: string;
  locales: string[];
}

interface Remembered<T> {
  value: T | undefined;
  until: number;
}

/**
 * Restaurant names and time zones for the session view, and phone_number_id → restaurant for the
 * live feed's delivery events (they name only the number). Remembered briefly: a rename shows
 * within `ttlMs`. A lookup that fails is not remembered, so the next one tries again.
 */
export class BusinessDirectory {
  private readonly byId = new Map<string, Remembered<BusinessProfile>>();
  private readonly byPhone = new Map<string, Remembered<string>>();

  constructor(
    private readonly upstreams: Upstreams,
    private readonly options: { ttlMs: number; deadlineMs: number; now(): number },
  ) {}

  async profile(businessId: string): Promise<BusinessProfile | undefined> {
    return this.remember(this.byId, businessId, async () => {
      const { business } = await unaryCall(
        this.upstreams.reservation,
        this.upstreams.reservation.getBusiness,
        { businessId },
        this.options.deadlineMs,
      );
      return (
        business && {
          businessId,
          name: business.name,
          timezone: business.timezone,
          locales: business.locales,
        }
      );
    });
  }

  async businessOfPhoneNumber(phoneNumberId: string): Promise<string | undefined> {
    return this.remember(this.byPhone, phoneNumberId, async () => {
      const { business } = await unaryCall(
        this.upstreams.reservation,
        this.upstreams.reservation.getBusinessByPhoneNumberId,
        { phoneNumberId },
        this.options.deadlineMs,
      );
      return business?.id;
    });
  }

  private async remember<T>(
    cache: Map<string, Remembered<T>>,
    key: string,
    load: () => Promise<T | undefined>,
  ) {
    const now = this.options.now();
    const hit = cache.get(key);
    if (hit && hit.until > now) return hit.value;
    try {
      const value = await load();
      cache.set(key, { value, until: now + this.options.ttlMs });
      return value;
    } catch {
      return hit?.value;
    }
  }
}
