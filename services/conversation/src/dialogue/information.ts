import type { Catalogue } from './catalogue.js';
import { choiceId } from './choices.js';
import type { Draft } from './draft.js';
import { list, text } from './replies.js';
import type { BusinessProfile, CallResult, Interval, MenuCategory, MenuItem, Reply, Step } from './types.js';

/** The menu, a section of it or one dish: asked of the reservation service, answered on its result. */
export function askMenu(
  d: Draft,
  wanted: { category?: string | undefined; item?: string | undefined },
): Step {
  return d
    .call({
      kind: 'fetchMenu',
      ...(wanted.category ? { category: wanted.category } : {}),
      ...(wanted.item ? { item: wanted.item } : {}),
    })
    .done();
}

export function onMenu(d: Draft, result: Extract<CallResult, { kind: 'menu' }>['result']): Step {
  if (!result.ok) return d.say(d.cat.unavailable).done();
  return d.reply(menuReply(result, d.cat)).done();
}

/** Opening hours come from the business settings: no call needed. */
export function answerHours(d: Draft): Step {
  return d.say(d.cat.hours(hoursLines(d.business, d.cat))).done();
}

/** Opening hours from the business settings, consecutive days with the same hours on one line. */
export function hoursLines(business: BusinessProfile, cat: Catalogue): string[] {
  const key = (day: number) => JSON.stringify(business.hours.weekly[day] ?? []);
  const lines: string[] = [];
  let from = 1;
  for (let day = 1; day <= 7; day += 1) {
    if (day < 7 && key(day + 1) === key(day)) continue;
    const intervals: Interval[] = business.hours.weekly[day] ?? [];
    const range = cat.dayRange(cat.weekday(from), cat.weekday(day));
    lines.push(cat.hoursLine(range, intervals.length > 0 ? cat.intervals(intervals) : cat.closedDay));
    from = day + 1;
  }
  return lines;
}

type MenuResult = Extract<Extract<CallResult, { kind: 'menu' }>['result'], { ok: true }>;

const same = (a: string, b: string) => a.localeCompare(b, undefined, { sensitivity: 'base' }) === 0;

/** The menu as WhatsApp lists: sections first, then a section's dishes, then one dish. */
export function menuReply(result: MenuResult, cat: Catalogue): Reply {
  const categories = result.categories
    .map((category) => ({ ...category, items: category.items.filter((item) => item.available) }))
    .filter((category) => category.items.length > 0);
  if (categories.length === 0) return text(cat.menuEmpty);
  if (result.item) {
    const wanted = result.item;
    const item = categories
      .flatMap((category) => category.items)
      .find((candidate) => candidate.id === wanted || same(candidate.name, wanted));
    if (item) return text(cat.menuItem(item.name, item.description, price(item, cat)));
  }
  if (result.category) {
    const wanted = result.category;
    const category = categories.find((candidate) => same(candidate.name, wanted));
    if (category) return itemsList(category, cat);
  }
  return list(
    cat.menuIntro,
    cat.menuButton,
    // Sections in the restaurant's order (as the reservation service lists them), each with its dishes.
    categories.map((category) => ({
      id: choiceId.menuCategory(category.name),
      title: category.name,
      description: category.items.map((item) => item.name).join(', '),
    })),
  );
}

function itemsList(category: MenuCategory, cat: Catalogue): Reply {
  return list(
    cat.menuCategory(category.name),
    cat.menuButton,
    category.items.map((item) => ({
      id: choiceId.menuItem(item.id),
      title: item.name,
      description: [price(item, cat), item.description].filter(Boolean).join(' · '),
    })),
  );
}

/**
 * Minor units to a price, written as the guest's language writes numbers; every currency the
 * restaurants use has two decimals (AED, GBP, EUR).
 */
export function price(item: Pick<MenuItem, 'priceMinor' | 'currency'>, cat: Catalogue): string {
  return cat.price(item.priceMinor / 100, item.currency);
}
