import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findRepoRoot } from '@reserveit/localstack';
import { type Dockerfile, DockerfileParser, type Instruction } from 'dockerfile-ast';
import { describe, expect, it } from 'vitest';
import { compose } from '../src/index.js';

// No Docker engine here: the file is checked as a parsed structure, and what it runs
// (`pnpm deploy --prod --legacy` of a service) is what the k8s images are expected to hold.
const root = findRepoRoot();
const dir = join(root, 'deploy', 'docker');
const dockerfile: Dockerfile = DockerfileParser.parse(readFileSync(join(dir, 'Dockerfile'), 'utf8'));
const instructions = dockerfile.getInstructions();

/** The instructions of one stage, from its FROM up to the next FROM. */
function stage(name: string): Instruction[] {
  const froms = dockerfile.getFROMs();
  const index = froms.findIndex((from) => from.getBuildStage() === name);
  if (index < 0) throw new Error(`no stage ${name}`);
  const start = instructions.indexOf(froms[index] as Instruction);
  const next = froms[index + 1];
  return instructions.slice(start, next ? instructions.indexOf(next) : undefined);
}
const args = (list: Instruction[], keyword: string) =>
  list.filter((i) => i.getKeyword() === keyword).map((i) => i.getArgumentsContent() ?? '');

describe('deploy/docker/Dockerfile', () => {
  it('parses with no syntax problems into the stages base, deps, build, deploy and runtime', () => {
    expect(dockerfile.getFROMs().map((from) => from.getBuildStage())).toEqual([
      'base',
      'deps',
      'build',
      'deploy',
      'runtime',
    ]);
  });

  it('builds from node:20-slim (the Node the repository runs on) by default', () => {
    const globalArg = args(
      instructions.slice(0, instructions.indexOf(dockerfile.getFROMs()[0] as Instruction)),
      'ARG',
    );
    expect(globalArg).toContain('NODE_IMAGE=node:20-slim');
    for (const from of dockerfile.getFROMs())
      expect(from.getImage()).toMatch(/^(\$\{NODE_IMAGE\}|base|deps|build)$/);
    expect(dockerfile.getFROMs().at(-1)?.getImage()).toBe(['$', '{NODE_IMAGE}'].join(''));
  });

  it('installs from the lockfile only (frozen), builds, and deploys one service with production dependencies', () => {
    const runs = (name: string) => args(stage(name), 'RUN').join('\n');
    expect(runs('deps')).toMatch(/pnpm fetch/);
    expect(runs('build')).toMatch(/pnpm install --frozen-lockfile --offline/);
    expect(runs('build')).toMatch(/pnpm build/);
    expect(args(stage('deploy'), 'ARG')).toContain('SERVICE');
    expect(runs('deploy')).toMatch(/pnpm --filter "@reserveit\/\$\{SERVICE\}" deploy --prod --legacy \/out/);
  });

  it('gives pnpm fetch the patch files package.json names (it refuses to fetch without them)', () => {
    const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
      pnpm?: { patchedDependencies?: Record<string, string> };
    };
    const patchFiles = Object.values(manifest.pnpm?.patchedDependencies ?? {});
    const deps = stage('deps');
    const fetchAt = deps.findIndex((i) => /pnpm fetch/.test(i.getArgumentsContent() ?? ''));
    const sources = deps
      .slice(0, fetchAt)
      .filter((i) => i.getKeyword() === 'COPY')
      .flatMap((i) => (i.getArgumentsContent() ?? '').split(/\s+/).slice(0, -1));
    for (const file of patchFiles) {
      const covered = sources.some((src) => file === src || file.startsWith(`${src.replace(/\/$/, '')}/`));
      expect(covered, `${file} is not copied before pnpm fetch`).toBe(true);
    }
  });

  it('runs as a numeric non-root user, with node as PID 1 in exec form', () => {
    const runtime = stage('runtime');
    const [user] = args(runtime, 'USER');
    expect(user).toMatch(/^[1-9]\d*(:[1-9]\d*)?$/);
    const copies = runtime.filter((i) => i.getKeyword() === 'COPY').map((i) => i.getTextContent());
    expect(copies).toEqual(['COPY --from=deploy --chown=1000:1000 /out ./']);
    const [cmd] = args(runtime, 'CMD');
    expect(JSON.parse(cmd ?? 'null')).toEqual(['node', 'dist/main.js']);
  });

  it('builds every service the k8s manifests deploy: each image reserveit/<name> is a package in services/', () => {
    const packages = new Set(readdirSync(join(root, 'services')));
    const base = compose(join(root, 'deploy', 'k8s', 'base'));
    const images = base.manifests
      .filter((m) => m.kind === 'Deployment')
      .flatMap((m) => JSON.stringify(m.object).match(/"image":"reserveit\/[a-z-]+:/g) ?? []);
    expect(images.length).toBeGreaterThanOrEqual(5);
    for (const image of images) {
      const name = /reserveit\/([a-z-]+):/.exec(image)?.[1] ?? '';
      expect(packages.has(name), `${name} is not in services/`).toBe(true);
    }
  });

  it('keeps build outputs and dependencies out of the build context (Dockerfile.dockerignore)', () => {
    const ignored = readFileSync(join(dir, 'Dockerfile.dockerignore'), 'utf8').split('\n');
    for (const pattern of ['**/node_modules', '**/dist', 'libs/rpc/src/gen', '.git'])
      expect(ignored).toContain(pattern);
  });
});
