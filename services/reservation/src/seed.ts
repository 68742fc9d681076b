import { readFile } from 'node:fs/promises';
import {
  businessIdSchema,
  businessProfileSchema,
  menuItemSchema,
  openingHoursSchema,
} from '@reserveit/contracts';
import type { Logger } from '@reserveit/telemetry';
import { z } from 'zod';
import type { BusinessCommands } from './business-commands.js';
import { RejectedError } from './rejected-error.js';

/** A seed file: businesses to register when they are not yet (deploy/local/seed.json). */
export const seedSchema = z.object({
  businesses: z.array(
    z.object({
      id: businessIdSchema,
      profile: businessProfileSchema,
      hours: openingHoursSchema,
      menu: z.array(menuItemSchema).default([]),
    }),
  ),
});

export type Seed = z.infer<typeof seedSchema>;
export type SeedBusiness = Seed['businesses'][number];

export async function readSeed(path: string): Promise<Seed> {
  const text = await readFile(path, 'utf8');
  const parsed = seedSchema.safeParse(JSON.parse(text));
  if (!parsed.success) {
    const issues = parsed.error.issues
      .slice(0, 5)
      .map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`Seed file ${path} is invalid:\n  ${issues.join('\n  ')}`);
  }
  return parsed.data;
}

/**
 * Registers what is not registered yet and leaves the rest alone: a seed never overwrites hours
 * or menus changed since (use the CLI for that). Safe on every replica at once: the loser of the
 * race gets BUSINESS_EXISTS.
 */
export async function applySeed(seed: Seed, businesses: BusinessCommands, logger: Logger): Promise<string[]> {
  const registered: string[] = [];
  for (const business of seed.businesses) {
    try {
      await businesses.register(business.id, business.profile, business.hours, business.menu);
      registered.push(business.id);
    } catch (error) {
      if (error instanceof RejectedError && error.rejection.code === 'BUSINESS_EXISTS') continue;
      throw error;
    }
  }
  if (registered.length > 0) logger.info({ businesses: registered }, 'seed registered businesses');
  return registered;
}
