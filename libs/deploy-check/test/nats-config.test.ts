import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEV_NATS_PASSWORDS } from '@reserveit/config';
import { NATS_USERS, natsPasswordVariable } from '@reserveit/contracts';
import { findExecutable, findRepoRoot } from '@reserveit/localstack';
import { describe, expect, it } from 'vitest';
import { natsUsersConf } from '../src/index.js';

const dir = join(findRepoRoot(), 'deploy', 'nats');
const configs = readdirSync(dir).filter((file) => file.endsWith('.conf'));
const clusterNodes = configs.filter((file) => /^cluster-node-\d\.conf$/.test(file));
/** users.conf reads every password from the environment; nats-server -t fails on one missing. */
const passwords = Object.fromEntries(
  NATS_USERS.map((user) => [natsPasswordVariable(user), DEV_NATS_PASSWORDS[user]]),
);

describe('deploy/nats configs', () => {
  it('passes `nats-server -t` (config check) for every file', () => {
    const bin = findExecutable('nats-server');
    if (!bin) throw new Error('nats-server is needed to check the configs');
    expect(configs).toContain('single.conf');
    for (const file of configs) {
      const result = spawnSync(bin, ['-c', join(dir, file), '-t'], {
        encoding: 'utf8',
        env: { ...process.env, ...passwords },
      });
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

  it('holds users.conf as the wiring table renders it (`pnpm nats:users` writes it again)', () => {
    expect(readFileSync(join(dir, 'users.conf'), 'utf8')).toBe(natsUsersConf());
  });

  it('includes users.conf in every server config, so no server runs without users', () => {
    for (const file of configs.filter((name) => name !== 'users.conf')) {
      expect(readFileSync(join(dir, file), 'utf8'), file).toMatch(/^include \.\/users\.conf$/m);
    }
  });

  it('refuses to start without the passwords: users.conf names each in the environment', () => {
    const bin = findExecutable('nats-server');
    if (!bin) throw new Error('nats-server is needed to check the configs');
    const env = { ...process.env };
    for (const name of Object.keys(passwords)) delete env[name];
    const result = spawnSync(bin, ['-c', join(dir, 'single.conf'), '-t'], { encoding: 'utf8', env });
    expect(result.status).not.toBe(0);
    expect(`${result.stderr}${result.stdout}`).toMatch(/NATS_PASSWORD_INGRESS/);
  });
});
