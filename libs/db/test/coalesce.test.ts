import { describe, expect, it } from 'vitest';
import { coalesce } from '../src/coalesce.js';

const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

describe('coalesce', () => {
  it('sends the first call alone at once and what arrives meanwhile together, results in order', async () => {
    const batches: number[][] = [];
    const double = coalesce(async (items: number[]) => {
      batches.push(items);
      await tick();
      return items.map((n) => n * 2);
    });
    const results = await Promise.all([1, 2, 3, 4].map((n) => double(n)));
    expect(results).toEqual([2, 4, 6, 8]);
    expect(batches).toEqual([[1], [2, 3, 4]]);
    await double.idle();
    expect(await double(5)).toBe(10);
    expect(batches.at(-1)).toEqual([5]);
  });

  it('holds the first call of an idle spell for lingerMs, so the calls that come meanwhile join it', async () => {
    const batches: number[][] = [];
    const echo = coalesce(
      async (items: number[]) => {
        batches.push(items);
        return items;
      },
      256,
      20,
    );
    const first = echo(1);
    await tick();
    const results = await Promise.all([first, echo(2), echo(3)]);
    expect(results).toEqual([1, 2, 3]);
    expect(batches).toEqual([[1, 2, 3]]);
  });

  it('caps a batch at maxBatch', async () => {
    const sizes: number[] = [];
    const echo = coalesce(async (items: number[]) => {
      sizes.push(items.length);
      await tick();
      return items;
    }, 2);
    await Promise.all([1, 2, 3, 4, 5].map((n) => echo(n)));
    expect(sizes).toEqual([1, 2, 2]);
  });

  it('tries the items of a failed batch one at a time, so only the bad one fails', async () => {
    const calls: number[][] = [];
    const strict = coalesce(async (items: number[]) => {
      calls.push(items);
      await tick();
      if (items.includes(13)) throw new Error('unlucky');
      return items;
    });
    const results = await Promise.allSettled([1, 2, 13, 4].map((n) => strict(n)));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    expect(calls).toEqual([[1], [2, 13, 4], [2], [13], [4]]);
    await expect(strict.idle()).resolves.toBeUndefined();
  });
});
