import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSender } from '../src/server.js';
import { command, eventually, type Harness, harness } from './sender-under-test.js';

let h: Harness;
let sender: RunningSender;

beforeAll(async () => {
  h = await harness();
  sender = await h.start({ SENDER_DRY_RUN: 'true' });
});

afterAll(async () => {
  await h.cleanup();
});

describe('dry run', () => {
  it('records the command as dry_run and calls nothing', async () => {
    const cmd = command({ kind: 'text', body: 'Would be sent', previewUrl: false });
    await h.request(cmd);
    const row = await eventually(async () => {
      const found = await sender.store.get(cmd.id);
      return found?.state === 'dry_run' ? found : undefined;
    });
    expect(row).toMatchObject({ state: 'dry_run', attempts: 0, recipient: cmd.to });
    expect(h.graph.requests).toHaveLength(0);
    const ready = await fetch(`${sender.address}/readyz`).then((r) => r.json());
    expect(ready).toMatchObject({ ready: true, detail: expect.stringContaining('dry run') });
  });
});
