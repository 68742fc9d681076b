import { unaryCall } from '@reserveit/rpc';
import { LRUCache } from 'lru-cache';
import type { MenuCategory } from './dialogue/index.js';
import type { Upstreams } from './upstreams.js';

/** Restaurants whose menu is remembered at most. */
const MAX_MENUS = 10_000;

/**
 * Menus by business from the reservation service, remembered as long as the business profile
 * (CONVERSATION_BUSINESS_CACHE_MS): a menu question asked it every time, though menus change a
 * few times a day. Guests asking at once share one call; a failed call is not remembered.
 */
export class MenuCatalog {
  private readonly cache: LRUCache<string, MenuCategory[]>;

  constructor(upstreams: Upstreams, options: { ttlMs: number; deadlineMs: number }) {
    const { reservation: client } = upstreams;
    this.cache = new LRUCache<string, MenuCategory[]>({
      max: MAX_MENUS,
      ttl: options.ttlMs,
      fetchMethod: async (businessId) => {
        const response = await unaryCall(
          client,
          client.getMenu,
          { businessId, category: '' },
          options.deadlineMs,
        );
        return response.categories.map((category) => ({
          name: category.name,
          items: category.items.map((item) => ({
            id: item.id,
            name: item.name,
            description: item.description,
            priceMinor: item.priceMinor,
            currency: item.currency,
            available: item.available,
          })),
        }));
      },
    });
  }

  async categories(businessId: string): Promise<MenuCategory[]> {
    const categories = await this.cache.fetch(businessId);
    if (!categories) throw new Error(`no menu of business ${businessId}`);
    return categories;
  }
}
