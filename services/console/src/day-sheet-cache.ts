import type { DaySheet } from '@reserveit/console-api';

/** Days whose changes are counted before the counts start over. */
const MAX_TRACKED_DAYS = 100_000;

interface Entry {
  sheet: DaySheet;
  until: number;
  generation: string;
}

export interface DaySheetCacheOptions {
  /** A safety net: an entry no event invalidated is read again after this long. */
  ttlMs: number;
  maxEntries: number;
  now(): number;
}

/**
 * Day sheets as the reservation service last answered them, forgotten the moment this process's
 * live feed sees an event of that day (or a settings change of the restaurant). Every tablet of a
 * restaurant refetches the day when a booking changes; they share one read instead of each asking
 * the reservation service. A sheet read while an event of its day arrived is not kept, so a read
 * that started before the change cannot hide it.
 */
export class DaySheetCache {
  private readonly entries = new Map<string, Entry>();
  /** Bumped by each invalidation: of one day, and of every day of a restaurant. */
  private readonly dayGenerations = new Map<string, number>();
  private readonly businessGenerations = new Map<string, number>();
  hits = 0;
  misses = 0;

  constructor(private readonly options: DaySheetCacheOptions) {}

  async get(businessId: string, date: string, load: () => Promise<DaySheet>): Promise<DaySheet> {
    const key = `${businessId}|${date}`;
    const generation = this.generationOf(businessId, key);
    const entry = this.entries.get(key);
    if (entry && entry.generation === generation && entry.until > this.options.now()) {
      this.hits += 1;
      return entry.sheet;
    }
    this.misses += 1;
    const sheet = await load();
    if (this.generationOf(businessId, key) === generation) {
      this.entries.delete(key);
      this.entries.set(key, { sheet, until: this.options.now() + this.options.ttlMs, generation });
      // Oldest first in insertion order: a bounded memory whatever the number of restaurants.
      for (const oldest of this.entries.keys()) {
        if (this.entries.size <= this.options.maxEntries) break;
        this.entries.delete(oldest);
      }
    }
    return sheet;
  }

  /** A booking of that day changed. */
  invalidateDay(businessId: string, date: string): void {
    // Forgetting every day's count at once is safe: a read in flight then no longer matches.
    if (this.dayGenerations.size >= MAX_TRACKED_DAYS) {
      this.dayGenerations.clear();
      this.entries.clear();
    }
    const key = `${businessId}|${date}`;
    this.dayGenerations.set(key, (this.dayGenerations.get(key) ?? 0) + 1);
    this.entries.delete(key);
  }

  /** Hours, rules or anything else every day of the restaurant shows changed. */
  invalidateBusiness(businessId: string): void {
    this.businessGenerations.set(businessId, (this.businessGenerations.get(businessId) ?? 0) + 1);
  }

  private generationOf(businessId: string, key: string): string {
    return `${this.businessGenerations.get(businessId) ?? 0}.${this.dayGenerations.get(key) ?? 0}`;
  }
}
