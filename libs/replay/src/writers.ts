import { type ConsumerEntry, durablesOf } from '@reserveit/contracts';
import type { ProjectionDescription } from './protocol.js';

/**
 * The live writers of a projection, for its replay entry's description: every durable of its
 * consumer's row in the wiring table (each partition's, for a per-conversation one).
 */
export function writersOf(entry: ConsumerEntry): ProjectionDescription['writers'] {
  return durablesOf(entry).map((durable) => ({ stream: entry.stream, durable }));
}
