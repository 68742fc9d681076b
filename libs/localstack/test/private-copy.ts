import {
  copyFile,
  link,
  lstat,
  mkdir,
  readdir,
  readFile,
  readlink,
  realpath,
  symlink,
} from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const PNPM_STORE = join(REPO, 'node_modules', '.pnpm');

/**
 * What `node libs/localstack/dist/cli.js` loads: libs/localstack and the workspace packages it
 * depends on, transitively (package.json, dist, node_modules of each), found through their links in
 * node_modules/@reserveit so a dependency added later is copied too.
 */
async function workspaceParts(): Promise<string[]> {
  const packages = new Set<string>();
  const visit = async (dir: string): Promise<void> => {
    if (packages.has(dir)) return;
    packages.add(dir);
    const manifest = JSON.parse(await readFile(join(REPO, dir, 'package.json'), 'utf8')) as {
      dependencies?: Record<string, string>;
    };
    for (const [name, version] of Object.entries(manifest.dependencies ?? {})) {
      if (!version.startsWith('workspace:')) continue;
      const linked = await realpath(join(REPO, dir, 'node_modules', name));
      await visit(relative(REPO, linked));
    }
  };
  await visit('libs/localstack');
  return [...packages].flatMap((pkg) =>
    ['package.json', 'dist', 'node_modules'].map((part) => join(pkg, part)),
  );
}

/**
 * Copies a file tree, keeping symlinks as they are (pnpm's are relative, so they point inside the
 * copy) and hard-linking files where the file system allows (a copy of 500 MB of binaries per test
 * run otherwise). Returns the pnpm store entries the symlinks point at.
 */
async function copyTree(from: string, to: string, storeEntries: Set<string>): Promise<void> {
  const info = await lstat(from);
  await mkdir(dirname(to), { recursive: true });
  if (info.isSymbolicLink()) {
    const target = await readlink(from);
    await symlink(target, to);
    const inStore = relative(PNPM_STORE, resolve(dirname(from), target));
    if (!inStore.startsWith('..')) storeEntries.add(inStore.split(sep)[0] ?? '');
  } else if (info.isDirectory()) {
    await mkdir(to, { recursive: true });
    for (const name of await readdir(from)) await copyTree(join(from, name), join(to, name), storeEntries);
  } else {
    await link(from, to).catch(() => copyFile(from, to));
  }
}

/**
 * A copy of the repository's parts the built `reserveit-stack` CLI needs at run time, under `dest`:
 * libs/localstack and its workspace dependencies (package.json, dist, node_modules) and every pnpm store entry
 * they reach, so nothing it runs (the Postgres binaries included) resolves to a path outside
 * `dest`. Returns the CLI's path.
 */
export async function copyRepositoryForCli(dest: string): Promise<string> {
  const entries = new Set<string>();
  for (const part of await workspaceParts()) await copyTree(join(REPO, part), join(dest, part), entries);
  const copied = new Set<string>();
  for (const entry of entries) {
    if (copied.has(entry) || entry === '') continue;
    copied.add(entry);
    await copyTree(join(PNPM_STORE, entry), join(dest, 'node_modules', '.pnpm', entry), entries);
  }
  return join(dest, 'libs', 'localstack', 'dist', 'cli.js');
}
