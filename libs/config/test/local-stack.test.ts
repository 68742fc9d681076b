import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cliStackEnv, runningStackPath } from '../src/index.js';

let dir: string;
let file: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'reserveit-local-stack-'));
  file = join(dir, 'running-stack.json');
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const record = (pid: number) => ({
  pid,
  startedAt: '2026-06-01T10:00:00.000Z',
  env: {
    NATS_URL: 'nats://127.0.0.1:36123',
    DATABASE_URL: 'postgres://postgres:s3cret@127.0.0.1:5433/postgres',
    RESERVATION_GRPC_ADDRESS: '127.0.0.1:50051',
  },
});

/** A pid that belonged to a process a moment ago and is free now. */
function gonepid(): number {
  const done = spawnSync(process.execPath, ['-e', '0']);
  return done.pid ?? 0;
}

describe('cliStackEnv: the CLIs find the running local stack', () => {
  it("fills in what the environment does not set from the running stack's record, and says so with passwords masked", async () => {
    await writeFile(file, JSON.stringify(record(process.pid)));
    const found = cliStackEnv(['NATS_URL', 'DATABASE_URL'], {
      LOCAL_STACK_FILE: file,
      NATS_URL: 'nats://cluster.example:4222',
    });
    expect(found.env.NATS_URL).toBe('nats://cluster.example:4222');
    expect(found.env.DATABASE_URL).toBe('postgres://postgres:s3cret@127.0.0.1:5433/postgres');
    // Only the variables asked for are taken.
    expect(found.env.RESERVATION_GRPC_ADDRESS).toBeUndefined();
    const line = found.describe({
      NATS_URL: 'nats://cluster.example:4222',
      DATABASE_URL: found.env.DATABASE_URL ?? '',
    });
    expect(line).toMatch(
      new RegExp(
        `^local stack \\(pid ${process.pid}, .*running-stack\\.json\\): DATABASE_URL=postgres://postgres:\\*\\*\\*\\*@127\\.0\\.0\\.1:5433/postgres; from the environment: NATS_URL=nats://cluster\\.example:4222$`,
      ),
    );
    expect(line).not.toContain('s3cret');
    expect(line.split('\n')).toHaveLength(1);
  });

  it('says nothing when the environment sets every value', async () => {
    await writeFile(file, JSON.stringify(record(process.pid)));
    const found = cliStackEnv(['NATS_URL'], {
      LOCAL_STACK_FILE: file,
      NATS_URL: 'nats://cluster.example:4222',
    });
    expect(found.describe({ NATS_URL: 'nats://cluster.example:4222' })).toBe('');
  });

  it('treats an empty variable as not set', async () => {
    await writeFile(file, JSON.stringify(record(process.pid)));
    const found = cliStackEnv(['NATS_URL'], { LOCAL_STACK_FILE: file, NATS_URL: '' });
    expect(found.env.NATS_URL).toBe('nats://127.0.0.1:36123');
  });

  it('ignores a record whose runner is gone, and a file that is not a record, falling back to the defaults', async () => {
    await writeFile(file, JSON.stringify(record(gonepid())));
    const stale = cliStackEnv(['NATS_URL'], { LOCAL_STACK_FILE: file });
    expect(stale.env.NATS_URL).toBeUndefined();
    expect(stale.describe({ NATS_URL: 'nats://127.0.0.1:4222' })).toBe(
      'defaults (no local stack running): NATS_URL=nats://127.0.0.1:4222',
    );
    await writeFile(file, '{"pid": "not a number"');
    expect(cliStackEnv(['NATS_URL'], { LOCAL_STACK_FILE: file }).env.NATS_URL).toBeUndefined();
    expect(
      cliStackEnv(['NATS_URL'], { LOCAL_STACK_FILE: join(dir, 'absent.json') }).env.NATS_URL,
    ).toBeUndefined();
  });

  it("looks in this checkout's .local/ unless LOCAL_STACK_FILE says otherwise", () => {
    const path = runningStackPath({});
    expect(path.endsWith('/.local/running-stack.json')).toBe(true);
    expect(existsSync(join(path, '../../pnpm-workspace.yaml'))).toBe(true);
    expect(runningStackPath({ LOCAL_STACK_FILE: file })).toBe(file);
  });
});
