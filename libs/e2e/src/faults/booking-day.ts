import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findRepoRoot } from '@reserveit/localstack';
import { z } from 'zod';

const seedSchema = z.object({
  businesses: z.array(z.object({ hours: z.object({ closedDates: z.array(z.string()).default([]) }) })),
});

/**
 * A service day for booking requests, YYYY-MM-DD: three days ahead (well past the demo restaurant's
 * lead time, well within its horizon) or the next one that deploy/local/seed.json does not close.
 */
export function bookingDay(now: Date = new Date(), rootDir: string = findRepoRoot()): string {
  const seed = seedSchema.parse(JSON.parse(readFileSync(join(rootDir, 'deploy/local/seed.json'), 'utf8')));
  const closed = new Set(seed.businesses.flatMap((b) => b.hours.closedDates));
  for (let offset = 3; ; offset++) {
    const day = new Date(now.getTime() + offset * 86_400_000).toISOString().slice(0, 10);
    if (!closed.has(day)) return day;
  }
}
