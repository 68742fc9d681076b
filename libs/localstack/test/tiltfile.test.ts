import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findRepoRoot, loadStackConfig, stackConfigSchema } from '../src/index.js';

const root = findRepoRoot(import.meta.dirname);
const tiltfile = readFileSync(join(root, 'Tiltfile'), 'utf8');

// Runs the Tiltfile under Python with Tilt's builtins replaced by recorders (Starlark is a Python
// subset; `local` really runs its command), and prints the resources it made as JSON.
const TILT_SHIM = `
import json, os, subprocess, sys
root = sys.argv[1]
resources = []
def local(cmd, quiet = False):
    return subprocess.run(cmd, capture_output = True, text = True, check = True).stdout
def fail(message):
    raise Exception(message)
def local_resource(name, **kw):
    resources.append({'name': name, 'serve_env': kw.get('serve_env'), 'serve_cmd': kw.get('serve_cmd')})
scope = {
    'os': os, 'local': local, 'fail': fail, 'local_resource': local_resource,
    'read_json': lambda path: json.load(open(os.path.join(root, path))),
    'update_settings': lambda **kw: None,
    'probe': lambda **kw: kw, 'tcp_socket_action': lambda **kw: kw, 'http_get_action': lambda **kw: kw,
    'link': lambda url, name: {'url': url, 'name': name},
    'decode_json': json.loads,
}
exec(open(os.path.join(root, 'Tiltfile')).read(), scope)
print(json.dumps(resources))
`;

interface TiltResource {
  name: string;
  serve_env?: Record<string, string>;
  serve_cmd?: string;
}

function listenOrBusy(port: number): Promise<Server | undefined> {
  const server = createServer();
  return new Promise((resolve) => {
    server.once('error', () => resolve(undefined)); // busy already: what the test needs
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

describe('Tiltfile', () => {
  it('moves a busy gRPC port and gives conversation the addresses of the ports intent and reservation got', async () => {
    const busy = await listenOrBusy(50052); // intent's default gRPC port
    const portsOf = loadStackConfig(join(root, 'deploy/local/stack.json'))
      .processes.filter((p) => !p.skipWhenEnv)
      .flatMap((p) => p.ports.map((spec) => ({ process: p.name, variable: spec.env })));
    try {
      // Infra given (skipped), and no port pinned by the caller's environment.
      const env: NodeJS.ProcessEnv = {
        ...process.env,
        NATS_URL: 'nats://n.test:4222',
        DATABASE_URL: 'postgres://d.test/p',
      };
      for (const { variable } of portsOf) delete env[variable];
      const output = execFileSync('python3', ['-c', TILT_SHIM, root], { cwd: root, encoding: 'utf8', env });
      const resources = JSON.parse(output.trim().split('\n').at(-1) ?? '[]') as TiltResource[];
      const envOf = (name: string) => resources.find((r) => r.name === name)?.serve_env ?? {};
      const intentPort = envOf('intent').INTENT_GRPC_PORT;
      expect(intentPort).toMatch(/^\d+$/);
      expect(intentPort).not.toBe('50052');
      expect(output).toContain(`port 50052 is busy, using ${intentPort} (INTENT_GRPC_PORT)`);
      const conversation = envOf('conversation');
      expect(conversation.INTENT_GRPC_ADDRESS).toBe(`127.0.0.1:${intentPort}`);
      expect(conversation.RESERVATION_GRPC_ADDRESS).toBe(
        `127.0.0.1:${envOf('reservation').RESERVATION_GRPC_PORT}`,
      );
      // Every port of every started process was given, and no two got the same.
      const given = portsOf.map(({ process, variable }) => envOf(process)[variable]);
      expect(given.every((port) => /^\d+$/.test(port ?? ''))).toBe(true);
      expect(new Set(given).size).toBe(given.length);
      expect(resources.map((r) => r.name)).not.toContain('nats');
      expect(resources.find((r) => r.name === 'reservation')?.serve_cmd).toBe(
        'exec node services/reservation/dist/main.js',
      );
    } finally {
      busy?.close();
    }
  });

  it('with LOCAL_TLS=1 gives every process the development certificates of `stack up --tls`, nats its --tls flags', () => {
    const env: NodeJS.ProcessEnv = { ...process.env, LOCAL_TLS: '1', DATABASE_URL: 'postgres://d.test/p' };
    delete env.NATS_URL;
    const output = execFileSync('python3', ['-c', TILT_SHIM, root], { cwd: root, encoding: 'utf8', env });
    const resources = JSON.parse(output.trim().split('\n').at(-1) ?? '[]') as TiltResource[];
    const certs = join(root, '.local/certs');
    for (const name of ['intent', 'reservation', 'conversation', 'sender', 'ingress', 'console']) {
      expect(resources.find((r) => r.name === name)?.serve_env, name).toMatchObject({
        GRPC_TLS_CA_FILE: join(certs, 'ca.pem'),
        NATS_TLS_CA_FILE: join(certs, 'ca.pem'),
      });
    }
    const nats = resources.find((r) => r.name === 'nats');
    expect(nats?.serve_env?.NATS_SERVER_TLS_CERT_FILE).toBe(join(certs, 'server.pem'));
    expect(nats?.serve_cmd).toContain('${NATS_SERVER_TLS_CERT_FILE:+--tls');
    expect(output).toContain('TLS on: development certificates in .local/certs');
  });

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
      ports: /for spec in p\.get\('ports', \[\]\):\s+env\[spec\['env'\]\] = pick_port\(spec\)/,
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
