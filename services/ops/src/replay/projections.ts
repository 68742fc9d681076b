import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { OpsError } from '../exit-codes.js';

/**
 * Projections `replay` can rebuild, each by the replay entry its own service ships (a bin of the
 * service's package, built from the projector's own apply code; see libs/replay). Ops runs it as a
 * child process instead of importing the service: services stay the only owners of their apply
 * code and schema (ops imports no service package), and a rebuild can never use other code than
 * the live projector it replaces.
 */
export const PROJECTIONS = {
  reservation: { package: '@reserveit/reservation', bin: 'reserveit-reservation-replay' },
  conversation: { package: '@reserveit/conversation', bin: 'reserveit-conversation-replay' },
  'intent-memory': { package: '@reserveit/intent', bin: 'reserveit-intent-replay' },
  'sender-statuses': { package: '@reserveit/sender', bin: 'reserveit-sender-replay' },
} as const;

export type ProjectionName = keyof typeof PROJECTIONS;

export const isProjectionName = (name: string): name is ProjectionName => Object.hasOwn(PROJECTIONS, name);

/** The absolute path of a package's bin, found through its package.json (a runtime dependency of ops). */
export function binPath(packageName: string, bin: string): string {
  const require = createRequire(import.meta.url);
  let manifestPath: string;
  try {
    manifestPath = require.resolve(`${packageName}/package.json`);
  } catch {
    throw new OpsError(
      `${packageName} is not installed next to reserveit-ops; run pnpm install at the repository root`,
    );
  }
  const manifest: unknown = JSON.parse(readFileSync(manifestPath, 'utf8'));
  const bins =
    typeof manifest === 'object' && manifest !== null && 'bin' in manifest && typeof manifest.bin === 'object'
      ? (manifest.bin as Record<string, unknown>)
      : {};
  const relative = bins[bin];
  if (typeof relative !== 'string') throw new OpsError(`${packageName} has no bin ${bin}; is it up to date?`);
  return resolve(dirname(manifestPath), relative);
}

export function replayEntryOf(name: ProjectionName): string {
  const projection = PROJECTIONS[name];
  return binPath(projection.package, projection.bin);
}
