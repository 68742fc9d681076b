import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findRepoRoot, stackConfigSchema } from '../src/index.js';

const root = findRepoRoot(import.meta.dirname);
const tiltfile = readFileSync(join(root, 'Tiltfile'), 'utf8');

describe('Tiltfile', () => {
  it('parses as Python (Starlark is a subset)', () => {
    execFileSync('python3', [
      '-c',
      'import ast,sys; ast.parse(open(sys.argv[1]).read())',
      join(root, 'Tiltfile'),
    ]);
  });

  it('reads deploy/local/stack.json and makes one local_resource per process', () => {
    expect(tiltfile).toMatch(/read_json\(\s*STACK_FILE\s*\)/);
    expect(tiltfile).toContain("STACK_FILE = 'deploy/local/stack.json'");
    expect(tiltfile).toMatch(/for p in ordered:[\s\S]*local_resource\(\s*name,/);
    expect(tiltfile).toMatch(/local_resource\(\s*'build',\s*cmd = 'pnpm install && pnpm build'/);
    expect(tiltfile).not.toMatch(/docker_build|docker_compose|k8s_yaml/);
  });

  it('consumes every process field the plain runner understands', () => {
    const fields = Object.keys(stackConfigSchema.shape.processes.element.shape);
    const tiltKeys: Record<string, RegExp> = {
      name: /p\['name'\]/,
      command: /serve_cmd = p\['command'\]/,
      env: /p\.get\('env', \{\}\)/,
      port: /p\.get\('port'\)/,
      exports: /p\.get\('exports', \{\}\)/,
      readiness: /p\.get\('readiness'\)[\s\S]*tcp_socket_action[\s\S]*http_get_action/,
      readinessTimeoutMs: /p\.get\('readinessTimeoutMs'/,
      deps: /p\.get\('deps', \[\]\)/,
      labels: /labels = p\.get\('labels', \[\]\)/,
      links: /p\.get\('links', \[\]\)/,
      watch: /watch = p\.get\('watch', \[\]\)[\s\S]*deps = watch/,
      skipWhenEnv: /p\.get\('skipWhenEnv'\)/,
      needsBuild: /p\.get\('needsBuild', True\)/,
    };
    for (const field of fields) {
      const pattern = tiltKeys[field];
      expect(pattern, `no check for stack field "${field}"`).toBeDefined();
      expect(tiltfile, `Tiltfile ignores "${field}"`).toMatch(pattern as RegExp);
    }
    expect(tiltfile).toMatch(/stack\.get\('env', \{\}\)/);
  });
});
