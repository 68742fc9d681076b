import { describe, expect, it } from 'vitest';
import { catalogueFor, type MenuCategory } from '../src/dialogue/index.js';
import { hoursLines, menuReply, price } from '../src/dialogue/information.js';
import { BUSINESS, bodies, greeted, rowsOf, TOMORROW, tap, turn, when } from './dialogue-fixtures.js';

const MENU: MenuCategory[] = [
  {
    name: 'Starters',
    items: [
      {
        id: 'hummus',
        name: 'Hummus',
        description: 'Chickpeas, tahini',
        priceMinor: 2800,
        currency: 'AED',
        available: true,
      },
      {
        id: 'gone',
        name: 'Sold out soup',
        description: '',
        priceMinor: 1000,
        currency: 'AED',
        available: false,
      },
    ],
  },
  {
    name: 'Mains',
    items: [
      {
        id: 'mixed-grill',
        name: 'Mixed grill',
        description: 'Lamb, chicken, kofta',
        priceMinor: 9500,
        currency: 'AED',
        available: true,
      },
    ],
  },
];

describe('menu and hours', () => {
  it("shows the menu as a list of sections in the restaurant's order with their dishes, then a section as a list of dishes with descriptions, then one dish", async () => {
    const s1 = await when(greeted(), turn('menu', { intent: 'MENU' }), [
      { kind: 'menu', result: { ok: true, categories: MENU } },
    ]);
    expect(s1.calls).toEqual([{ kind: 'fetchMenu' }]);
    // in the restaurant's order (Starters before Mains, not alphabetical), each with its dishes
    expect(rowsOf(s1.replies[0])).toEqual([
      { id: 'menu:Starters', title: 'Starters', description: 'Hummus' },
      { id: 'menu:Mains', title: 'Mains', description: 'Mixed grill' },
    ]);
    const s2 = await when(s1.state, tap('menu:Starters', 'Starters'), [
      { kind: 'menu', result: { ok: true, categories: MENU, category: 'Starters' } },
    ]);
    expect(s2.calls).toEqual([{ kind: 'fetchMenu', category: 'Starters' }]);
    expect(rowsOf(s2.replies[0])).toEqual([
      { id: 'item:hummus', title: 'Hummus', description: '28.00 AED · Chickpeas, tahini' },
    ]);
    const s3 = await when(s2.state, tap('item:hummus', 'Hummus'), [
      { kind: 'menu', result: { ok: true, categories: MENU, item: 'hummus' } },
    ]);
    expect(bodies(s3.replies)).toEqual(['Hummus – 28.00 AED\nChickpeas, tahini']);
  });

  it('keeps a big menu within WhatsApp list limits (10 rows, 24-character titles)', async () => {
    const big: MenuCategory[] = Array.from({ length: 14 }, (_, i) => ({
      name: `A very long section name number ${i}`,
      items: [{ id: `i${i}`, name: 'x', description: '', priceMinor: 100, currency: 'AED', available: true }],
    }));
    const { replies } = await when(greeted(), turn('menu', { intent: 'MENU' }), [
      { kind: 'menu', result: { ok: true, categories: big } },
    ]);
    const rows = rowsOf(replies[0]);
    expect(rows).toHaveLength(10);
    for (const row of rows) expect(row.title.length).toBeLessThanOrEqual(24);
  });

  it('says the menu is not available when the business has none, and apologises when the call fails', async () => {
    const empty = await when(greeted(), turn('menu', { intent: 'MENU' }), [
      { kind: 'menu', result: { ok: true, categories: [] } },
    ]);
    expect(bodies(empty.replies)).toEqual(['Sorry, our menu is not available here yet.']);
    const failed = await when(greeted(), turn('menu', { intent: 'MENU' }), [
      { kind: 'menu', result: { ok: false, code: 'UNAVAILABLE' } },
    ]);
    expect(bodies(failed.replies)).toEqual([
      'Sorry, I cannot fetch that right now. Please try again in a minute.',
    ]);
  });

  it('answers opening hours from the business settings, grouping days and naming closed ones', async () => {
    const { replies, calls } = await when(greeted(), turn('when are you open', { intent: 'HOURS' }));
    expect(calls).toEqual([]);
    expect(bodies(replies)).toEqual([
      'Our opening hours:\nMonday–Thursday: 12:00–15:00, 18:00–23:30\nFriday–Saturday: 18:00–01:00\nSunday: closed',
    ]);
  });

  it('answers hours without losing a booking in progress', async () => {
    const s1 = await when(greeted(), turn('book', { intent: 'BOOK', entities: { date: TOMORROW } }));
    const s2 = await when(s1.state, turn('hours?', { intent: 'HOURS' }));
    expect(s2.state.phase).toEqual(s1.state.phase);
  });
});

describe('menu and hours, as replies', () => {
  const english = catalogueFor('en');

  it('groups days with the same hours on one line and names the days closed', () => {
    expect(hoursLines(BUSINESS, english)).toEqual([
      'Monday–Thursday: 12:00–15:00, 18:00–23:30',
      'Friday–Saturday: 18:00–01:00',
      'Sunday: closed',
    ]);
  });

  it('finds a dish by id or by name in any case, and leaves out what is not available', () => {
    const dish = (item: string) => menuReply({ ok: true, categories: MENU, item }, english);
    expect(dish('hummus')).toEqual({ kind: 'text', body: 'Hummus – 28.00 AED\nChickpeas, tahini' });
    expect(dish('MIXED GRILL')).toEqual({
      kind: 'text',
      body: 'Mixed grill – 95.00 AED\nLamb, chicken, kofta',
    });
    expect(dish('gone').kind).toBe('list');
    expect(price({ priceMinor: 1250, currency: 'GBP' }, english)).toBe('12.50 GBP');
  });
});
