import type { SendRequested } from '@reserveit/contracts';
import { createLogger, maskPhone } from '@reserveit/telemetry';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSender } from '../src/server.js';
import { ACCESS_TOKEN, command, eventually, type Harness, harness } from './sender-under-test.js';

interface LogLine {
  msg: string;
  key?: string;
  [field: string]: unknown;
}

/** A sender in dry run whose log lines are kept, and a way to wait for a command's `dry_run` row. */
async function dryRunSender(h: Harness, env: Record<string, string>) {
  const lines: string[] = [];
  const logger = createLogger('sender-test', 'info', { write: (line: string) => void lines.push(line) });
  const sender = await h.start({ SENDER_DRY_RUN: 'true', ...env }, {}, logger);
  const dryRun = async (cmd: SendRequested) => {
    await h.request(cmd);
    return eventually(async () => {
      const row = await sender.store.get(cmd.id);
      return row?.state === 'dry_run' ? row : undefined;
    });
  };
  const wouldSend = (cmd: SendRequested) =>
    lines
      .map((line) => JSON.parse(line) as LogLine)
      .find((l) => l.msg === 'dry run: would send' && l.key === cmd.id);
  return { sender, lines, dryRun, wouldSend };
}

describe('dry run', () => {
  let h: Harness;
  let run: Awaited<ReturnType<typeof dryRunSender>>;
  let sender: RunningSender;

  beforeAll(async () => {
    h = await harness();
    run = await dryRunSender(h, {});
    sender = run.sender;
  });

  afterAll(async () => {
    await h.cleanup();
  });

  it('records the command as dry_run and calls nothing', async () => {
    const cmd = command({ kind: 'text', body: 'Would be sent', previewUrl: false });
    const row = await run.dryRun(cmd);
    expect(row).toMatchObject({ state: 'dry_run', attempts: 0, recipient: cmd.to });
    expect(h.graph.requests).toHaveLength(0);
    const ready = await fetch(`${sender.address}/readyz`).then((r) => r.json());
    expect(ready).toMatchObject({ ready: true, detail: expect.stringContaining('dry run') });
  });

  it('logs each reply as the guest would see it, with the number masked and never the access token', async () => {
    const text = command({
      kind: 'text',
      body: 'Your table for 4 is booked for Friday 20:00.',
      previewUrl: false,
    });
    const buttons = command(
      {
        kind: 'buttons',
        header: 'Friday 20:00',
        body: 'Shall I book it?',
        buttons: [
          { id: 'yes', title: 'Yes please' },
          { id: 'no', title: 'Another time' },
        ],
      },
      { to: text.to },
    );
    const list = command({
      kind: 'list',
      body: 'Which time suits you?',
      button: 'Times',
      sections: [
        {
          title: 'Evening',
          rows: [
            { id: 't1', title: '19:00', description: 'Terrace' },
            { id: 't2', title: '20:30' },
          ],
        },
        { title: 'Late', rows: [{ id: 't3', title: '22:00' }] },
      ],
    });
    const template = command({
      kind: 'template',
      name: 'booking_reminder',
      language: 'en_US',
      components: [],
    });
    for (const cmd of [text, buttons, list, template]) await run.dryRun(cmd);

    expect(run.wouldSend(text)).toMatchObject({
      kind: 'text',
      to: maskPhone(text.to),
      reply: { text: 'Your table for 4 is booked for Friday 20:00.' },
    });
    expect(run.wouldSend(buttons)?.reply).toEqual({
      header: 'Friday 20:00',
      text: 'Shall I book it?',
      buttons: ['Yes please', 'Another time'],
    });
    expect(run.wouldSend(list)?.reply).toEqual({
      text: 'Which time suits you?',
      button: 'Times',
      rows: ['Evening: 19:00 (Terrace)', 'Evening: 20:30', 'Late: 22:00'],
    });
    expect(run.wouldSend(template)?.reply).toEqual({ template: 'booking_reminder', language: 'en_US' });
    const log = run.lines.join('');
    for (const cmd of [text, list, template]) expect(log).not.toContain(cmd.to);
    expect(log).not.toContain(ACCESS_TOKEN);
  });
});

describe('dry run in production', () => {
  let h: Harness;
  let run: Awaited<ReturnType<typeof dryRunSender>>;

  beforeAll(async () => {
    h = await harness();
    // The run's NATS has no users: any password of its own passes, a development one would not.
    // TLS acknowledged off: only the dry run's production rule is under test here.
    run = await dryRunSender(h, {
      NODE_ENV: 'production',
      NATS_PASSWORD: 'own-nats-password',
      NATS_TLS: 'off',
    });
  });

  afterAll(async () => {
    await h.cleanup();
  });

  it("logs a reply's shape and size only, as a shadow deployment sees real guests", async () => {
    const cmd = command({
      kind: 'text',
      body: 'Your table for 4 is booked for Friday 20:00.',
      previewUrl: false,
    });
    await run.dryRun(cmd);
    const line = run.wouldSend(cmd);
    expect(line).toMatchObject({
      body: { type: 'text', to: '***', text: expect.stringMatching(/^<\d+ bytes>$/) },
    });
    expect(line).not.toHaveProperty('reply');
    const log = run.lines.join('');
    expect(log).not.toContain('booked for Friday');
    expect(log).not.toContain(cmd.to);
    expect(h.graph.requests).toHaveLength(0);
  });
});
