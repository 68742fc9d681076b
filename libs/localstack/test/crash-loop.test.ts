import { describe, expect, it } from 'vitest';
import {
  type CrashLoop,
  DEFAULT_RESTART_POLICY,
  formatDelay,
  NO_CRASHES,
  nextRestart,
} from '../src/index.js';

/** The delays of successive crashes, each after running `uptimesMs[i]`. */
function delays(uptimesMs: number[]): { delays: number[]; restarts: number[] } {
  let loop: CrashLoop = NO_CRASHES;
  const out = { delays: [] as number[], restarts: [] as number[] };
  for (const uptime of uptimesMs) {
    const next = nextRestart(loop, uptime, DEFAULT_RESTART_POLICY);
    out.delays.push(next.delayMs);
    out.restarts.push(next.restart);
    loop = next.loop;
  }
  return out;
}

describe('the crash-loop restart schedule', () => {
  it('waits 1 s before the first restart and doubles each quick crash up to 30 s', () => {
    expect(delays([100, 100, 100, 100, 100, 100, 100]).delays).toEqual([
      1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000,
    ]);
  });

  it('starts over at 1 s once the process stayed up for a minute, and keeps counting restarts', () => {
    const run = delays([100, 100, 100, 59_999, 60_000, 100]);
    expect(run.delays).toEqual([1_000, 2_000, 4_000, 8_000, 1_000, 2_000]);
    expect(run.restarts).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('follows a custom policy', () => {
    const policy = { initialDelayMs: 200, maxDelayMs: 500, resetAfterMs: 1_000 };
    let loop = NO_CRASHES;
    const seen: number[] = [];
    for (let i = 0; i < 4; i++) {
      const next = nextRestart(loop, 10, policy);
      seen.push(next.delayMs);
      loop = next.loop;
    }
    expect(seen).toEqual([200, 400, 500, 500]);
  });

  it('says whole seconds in seconds and anything else in milliseconds', () => {
    expect(formatDelay(2_000)).toBe('2 s');
    expect(formatDelay(30_000)).toBe('30 s');
    expect(formatDelay(250)).toBe('250 ms');
  });
});
