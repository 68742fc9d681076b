import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findExecutable, findRepoRoot } from '../src/index.js';

describe('deploy/nats configs', () => {
  it('are all accepted by the nats-server this machine runs (nats-server -t)', () => {
    const dir = join(findRepoRoot(), 'deploy/nats');
    const configs = readdirSync(dir).filter((name) => name.endsWith('.conf'));
    expect(configs).toEqual(
      expect.arrayContaining([
        'single.conf',
        'cluster-node-1.conf',
        'cluster-node-2.conf',
        'cluster-node-3.conf',
      ]),
    );
    for (const config of configs) {
      const result = spawnSync(findExecutable('nats-server')!, ['-t', '-c', join(dir, config)], {
        encoding: 'utf8',
      });
      expect({ config, status: result.status, said: result.stderr.trim() }).toEqual({
        config,
        status: 0,
        said: expect.stringMatching(/is valid$/),
      });
    }
  });
});
