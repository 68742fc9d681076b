import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findExecutable, findRepoRoot } from '@reserveit/localstack';
import { describe, expect, it } from 'vitest';

const dir = join(findRepoRoot(), 'deploy', 'nats');
const configs = readdirSync(dir).filter((file) => file.endsWith('.conf'));
const clusterNodes = configs.filter((file) => /^cluster-node-\d\.conf$/.test(file));

describe('deploy/nats configs', () => {
  it('passes `nats-server -t` (config check) for every file', () => {
    const bin = findExecutable('nats-server');
    if (!bin) throw new Error('nats-server is needed to check the configs');
    expect(configs).toContain('single.conf');
    for (const file of configs) {
      const result = spawnSync(bin, ['-c', join(dir, file), '-t'], { encoding: 'utf8' });
      expect(result.status, `${file}: ${result.stderr}${result.stdout}`).toBe(0);
    }
  });

  it('describes one 3-node cluster: same name, distinct server names and ports, every node in every route list', () => {
    expect(clusterNodes).toHaveLength(3);
    const nodes = clusterNodes.map((file) => {
      const text = readFileSync(join(dir, file), 'utf8');
      return {
        serverName: /^server_name:\s*(\S+)/m.exec(text)?.[1],
        listen: /^listen:\s*(\S+)/m.exec(text)?.[1],
        cluster: /cluster\s*\{[^}]*?name:\s*(\S+)/s.exec(text)?.[1],
        clusterListen: /cluster\s*\{[^}]*?listen:\s*(\S+)/s.exec(text)?.[1],
        routes: [...text.matchAll(/nats-route:\/\/(\S+)/g)].map((m) => m[1]),
        jetstream: /jetstream\s*\{/.test(text),
      };
    });
    expect(new Set(nodes.map((n) => n.cluster)).size).toBe(1);
    expect(new Set(nodes.map((n) => n.serverName)).size).toBe(3);
    expect(new Set(nodes.map((n) => n.listen)).size).toBe(3);
    for (const node of nodes) {
      expect(node.jetstream).toBe(true);
      expect(node.routes.sort()).toEqual(nodes.map((n) => n.clusterListen).sort());
    }
  });
});
