import type { BusinessEvent, BusinessProfile, MenuItem, OpeningHours } from '@reserveit/contracts';
import {
  type Business,
  type BusinessCommand,
  type BusinessSettings,
  decideBusiness,
  evolveBusiness,
} from './domain/index.js';
import { RejectedError } from './rejected-error.js';
import type { BusinessDirectory } from './store/business-directory.js';
import type { ReservationAggregates } from './store/reservation-aggregates.js';

/** Registration, opening hours, menu and settings: commands on the business aggregate. */
export class BusinessCommands {
  constructor(
    private readonly aggregates: ReservationAggregates,
    private readonly directory: BusinessDirectory,
    private readonly now: () => number,
    private readonly newId: () => string,
  ) {}

  register(
    businessId: string,
    profile: BusinessProfile,
    hours: OpeningHours,
    menu: MenuItem[],
  ): Promise<Business> {
    return this.execute({ type: 'register', businessId, profile, hours, menu });
  }

  setHours(businessId: string, hours: OpeningHours): Promise<Business> {
    return this.execute({ type: 'setHours', businessId, hours });
  }

  setMenuItem(businessId: string, item: MenuItem): Promise<Business> {
    return this.execute({ type: 'setMenuItem', businessId, item });
  }

  removeMenuItem(businessId: string, itemId: string): Promise<Business> {
    return this.execute({ type: 'removeMenuItem', businessId, itemId });
  }

  setSettings(businessId: string, settings: BusinessSettings): Promise<Business> {
    return this.execute({ type: 'setSettings', businessId, settings });
  }

  private async execute(command: BusinessCommand): Promise<Business> {
    const ctx = {
      nowMs: this.now(),
      newEventId: this.newId,
      ownerOfPhoneNumber: (phoneNumberId: string) => this.directory.ownerOfPhoneNumber(phoneNumberId),
    };
    let events: BusinessEvent[] = [];
    const outcome = await this.aggregates.executeBusiness(command.businessId, (state) => {
      const decision = decideBusiness(command, state, ctx);
      if (!decision.ok) return decision;
      events = decision.events;
      return { ok: true, events: decision.events, result: decision.events.reduce(evolveBusiness, state) };
    });
    if (outcome.kind === 'rejected') throw new RejectedError(outcome.rejection);
    if (outcome.kind === 'duplicate' || !outcome.result)
      throw new Error(`unexpected ${outcome.kind} on business ${command.businessId}`);
    // Our own events reach the directory at once; its consumer skips them by sequence later.
    for (const [index, event] of events.entries()) {
      const seq = outcome.seqs[index];
      if (seq !== undefined) this.directory.apply(event, seq);
    }
    return outcome.result;
  }
}
