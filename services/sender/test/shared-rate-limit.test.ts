import { createLogger } from '@reserveit/telemetry';
import type { RecordedRequest } from '@reserveit/testkit';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { command, eventually, type Harness, harness, PNID } from './sender-under-test.js';

let h: Harness;

beforeEach(async () => {
  h = await harness();
});

afterEach(async () => {
  await h.cleanup();
});

/**
 * Low enough that a send leaving a little late (a statement, a busy event loop: a few tens of ms)
 * does not land within another's interval at the fake, as the limit is counted where it arrives.
 */
const RATE = 5;
const BURST = 5;
const OTHER_PNID = '106540352242923';
const WARM_UP_PNID = '106540352242924';

/** The most requests the fake received within any `windowMs`, from their arrival times. */
function busiest(times: number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let most = 0;
  let first = 0;
  for (let last = 0; last < sorted.length; last += 1) {
    while (sorted[last]! - sorted[first]! >= windowMs) first += 1;
    most = Math.max(most, last - first + 1);
  }
  return most;
}

/** Sends per second after the burst, from the first arrival to the last. */
function sustained(times: number[]): number {
  return (times.length - BURST) / ((Math.max(...times) - Math.min(...times)) / 1000);
}

const arrivalsFrom = (pnid: string) =>
  h.graph.requests.filter((r: RecordedRequest) => r.phoneNumberId === pnid).map((r) => r.at.getTime());
const sentBy = async (address: string) => {
  const metrics = await fetch(`${address}/metrics`).then((r) => r.text());
  return Number(/sender_sends_total\{outcome="sent",service="sender"\} (\d+)/.exec(metrics)?.[1] ?? 0);
};

describe("the number's send rate across sender replicas", () => {
  it('holds for two replicas sending one backlog, which together reach the rate, and two numbers do not share it', async () => {
    // A lease longer than the backlog's wait: the test is about the limit, not lease takeovers.
    const env = {
      SENDER_RATE_PER_SECOND: String(RATE),
      SENDER_RATE_BURST: String(BURST),
      SENDER_LEASE_MS: '30000',
    };
    const a = await h.start(env);
    const b = await h.start(env);
    // Both replicas' first sends open their connections and compile their code first: a send
    // that left late lands among the next ones at the fake, as it would at Meta.
    const warmUp = Array.from({ length: 8 }, () =>
      command({ kind: 'text', body: 'warming up', previewUrl: false }, { phoneNumberId: WARM_UP_PNID }),
    );
    for (const cmd of warmUp) await h.request(cmd);
    await eventually(
      () => h.events.filter((e) => e.type === 'whatsapp.send.succeeded').length === warmUp.length,
    );
    const perNumber = 30;
    const commands = Array.from({ length: perNumber }, () =>
      [PNID, OTHER_PNID].map((phoneNumberId) =>
        command({ kind: 'text', body: 'your table is booked', previewUrl: false }, { phoneNumberId }),
      ),
    ).flat();
    for (const cmd of commands) await h.request(cmd);
    await eventually(
      () =>
        h.events.filter((e) => e.type === 'whatsapp.send.succeeded').length ===
        warmUp.length + commands.length,
      30_000,
    );

    for (const pnid of [PNID, OTHER_PNID]) {
      const times = arrivalsFrom(pnid);
      expect(times).toHaveLength(perNumber);
      // Never more than rate × window + burst in any window, wherever it starts. Windows of
      // whole intervals: in one of 2.5 intervals a send 100 ms late could share the last one.
      for (const windowMs of [1_000, 400, 200]) {
        expect(busiest(times, windowMs), `${windowMs} ms`).toBeLessThanOrEqual(
          (RATE * windowMs) / 1_000 + BURST,
        );
      }
      // Together at about the rate, not at a share of it.
      expect(sustained(times)).toBeGreaterThan(0.75 * RATE);
    }
    // Both numbers' backlogs went out side by side, each at its own rate: one budget for both
    // would have carried half as many sends per second.
    expect(sustained([...arrivalsFrom(PNID), ...arrivalsFrom(OTHER_PNID)])).toBeGreaterThan(1.5 * RATE);
    expect(await sentBy(a.address)).toBeGreaterThan(0);
    expect(await sentBy(b.address)).toBeGreaterThan(0);
  });

  it('sends nothing while the shared limit cannot be read, and sends the reply once it can', async () => {
    const lines: string[] = [];
    const logger = createLogger('sender-test', 'info', { write: (line: string) => void lines.push(line) });
    // A short lease: a round that could not send is retried after it.
    const sender = await h.start({ SENDER_LEASE_MS: '1000' }, {}, logger);
    const admin = new pg.Client({ connectionString: h.database.url });
    await admin.connect();
    const reply = command({ kind: 'text', body: 'see you at 8', previewUrl: false });
    try {
      await admin.query('alter table sender.rate_limits rename to rate_limits_away');
      await h.request(reply);
      // The first round and the retry after its lease both stopped before the call.
      await eventually(() => lines.filter((l) => l.includes('send round failed')).length >= 2);
      expect(h.graph.requests).toHaveLength(0);
      const metrics = await fetch(`${sender.address}/metrics`).then((r) => r.text());
      expect(metrics).toMatch(/sender_rate_limit_errors_total\{service="sender"\} [1-9]/);
    } finally {
      await admin.query('alter table sender.rate_limits_away rename to rate_limits');
      await admin.end();
    }
    await eventually(() => h.events.find((e) => e.id === reply.id && e.type === 'whatsapp.send.succeeded'));
    expect(h.graph.requests).toHaveLength(1);
  });
});
