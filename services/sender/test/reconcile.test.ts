import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { RecordedRequest } from '@reserveit/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { command, eventually, type Harness, harness, sleep } from './sender-under-test.js';

const WINDOW_MS = 3_000;

let h: Harness;
let child: ChildProcess | undefined;
let output = '';

beforeAll(async () => {
  h = await harness();
});

afterAll(async () => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  await h.cleanup();
});

function keyOf(request: RecordedRequest): unknown {
  return typeof request.body === 'object' && request.body !== null
    ? (request.body as Record<string, unknown>).biz_opaque_callback_data
    : undefined;
}

const callsFor = (key: string) => h.graph.requests.filter((r) => keyOf(r) === key);

describe('a sender killed between the Graph API call and recording its answer', () => {
  it('does not send again when a status webhook carries the key, and sends again after the window when none does', async () => {
    const env = h.env({
      SENDER_RECONCILE_WINDOW_MS: String(WINDOW_MS),
      SENDER_LEASE_MS: '500',
      SENDER_REQUEST_TIMEOUT_MS: '30000',
    });
    child = spawn(process.execPath, [fileURLToPath(new URL('../dist/main.js', import.meta.url))], {
      env: { PATH: process.env.PATH, ...env, LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    // Meta takes both messages but the answers never reach the sender: it dies first.
    h.graph.respondWith(() => ({
      status: 200,
      body: { messaging_product: 'whatsapp', messages: [{ id: 'wamid.late' }] },
      delayMs: 60_000,
    }));
    const confirmed = command({ kind: 'text', body: 'Meta has it and says so', previewUrl: false });
    const silent = command({ kind: 'text', body: 'Meta has it, no status yet', previewUrl: false });
    await h.request(confirmed);
    await h.request(silent);
    await eventually(
      () => callsFor(confirmed.id).length === 1 && callsFor(silent.id).length === 1,
      20_000,
    ).catch((error: unknown) => {
      throw new Error(`${String(error)}\nchild output:\n${output}`);
    });
    child.kill('SIGKILL');
    await new Promise((resolve) => child?.once('exit', resolve));
    const killedAt = Date.now();
    h.graph.respondWith(undefined);

    // The status webhook of the first message arrives while the sender is down.
    await h.status('wamid.confirmed-by-status', 'sent', confirmed.id);

    const sender = await h.start({ SENDER_RECONCILE_WINDOW_MS: String(WINDOW_MS), SENDER_LEASE_MS: '500' });
    expect(await sender.store.get(silent.id)).toMatchObject({ state: 'sending', attempts: 1 });

    const sent = await eventually(() =>
      h.events.find((e) => e.id === confirmed.id && e.type === 'whatsapp.send.succeeded'),
    );
    expect(sent).toMatchObject({ wamid: 'wamid.confirmed-by-status', attempts: 1 });

    // Without a status, the second one is sent again, but only once the window has passed.
    await eventually(() => h.events.find((e) => e.id === silent.id), WINDOW_MS + 10_000);
    const resent = callsFor(silent.id);
    expect(resent).toHaveLength(2);
    expect(resent[1]!.at.getTime() - resent[0]!.at.getTime()).toBeGreaterThanOrEqual(WINDOW_MS - 100);

    // Well past the window, the confirmed message was still called once only.
    const pastWindow = resent[0]!.at.getTime() + WINDOW_MS + 1_000 - Date.now();
    if (pastWindow > 0) await sleep(pastWindow);
    expect(Date.now() - killedAt).toBeGreaterThan(0);
    expect(callsFor(confirmed.id)).toHaveLength(1);
    expect(await sender.store.get(confirmed.id)).toMatchObject({
      state: 'sent',
      wamid: 'wamid.confirmed-by-status',
    });
    expect(h.events.filter((e) => e.id === confirmed.id)).toHaveLength(1);
  });
});
