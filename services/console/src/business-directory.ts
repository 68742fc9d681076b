import { callerMetadata, methodPath, unaryCall } from '@reserveit/rpc';
import type { Business } from '@reserveit/rpc/reservation/v1/reservation';
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
 * Restaurants as the reservation service has them (time zone, name, templates) for the day view,
 * the inbox and the session view, and phone_number_id → restaurant for the live feed's delivery
 * events (they name only the number). Remembered for `ttlMs`, and forgotten at once when the live
 * feed sees the restaurant's settings change. A lookup that fails is not remembered, so the next
 * one tries again.
 */
export class BusinessDirectory {
  private readonly byId = new Map<string, Remembered<Business>>();
  private readonly byPhone = new Map<string, Remembered<string>>();

  constructor(
    private readonly upstreams: Upstreams,
    private readonly options: { ttlMs: number; deadlineMs: number; now(): number },
  ) {}

  /**
   * Undefined when the restaurant does not exist. Throws when the reservation service does not
   * answer and nothing is remembered, so a route can answer 503 rather than 404.
   */
  async business(businessId: string): Promise<Business | undefined> {
    const hit = this.byId.get(businessId);
    if (hit && hit.until > this.options.now()) return hit.value;
    // Remembered across sessions and read by the live feed too, so the token names just the
    // restaurant asked for: every caller of this method names one it already holds.
    const { reservation } = this.upstreams;
    const { business } = await unaryCall(
      reservation,
      reservation.getBusiness,
      { businessId },
      this.options.deadlineMs,
      await callerMetadata(this.upstreams.sign, methodPath(reservation.getBusiness), {
        restaurants: [businessId],
      }),
    );
    this.byId.set(businessId, { value: business, until: this.options.now() + this.options.ttlMs });
    return business;
  }

  /** For the session view: what is remembered when the service does not answer. */
  async profile(businessId: string): Promise<BusinessProfile | undefined> {
    const business = await this.business(businessId).catch(() => this.byId.get(businessId)?.value);
    return (
      business && { businessId, name: business.name, timezone: business.timezone, locales: business.locales }
    );
  }

  /** The restaurant's settings changed: the next lookup asks the reservation service. */
  forget(businessId: string): void {
    this.byId.delete(businessId);
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
