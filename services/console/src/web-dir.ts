import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';

/**
 * Where the built web app is: CONSOLE_WEB_DIR (relative to the working directory), else the dist of
 * the @reserveit/console-web dependency, which `pnpm build` writes and `pnpm deploy` copies into the
 * image. Undefined when it was never built: the API still serves.
 */
export function webDirOf(configured: string | undefined): string | undefined {
  if (configured) return resolve(configured);
  try {
    const manifest = createRequire(import.meta.url).resolve('@reserveit/console-web/package.json');
    const dist = join(dirname(manifest), 'dist');
    return existsSync(join(dist, 'index.html')) ? dist : undefined;
  } catch {
    return undefined;
  }
}
