import { describe, expect, it } from 'vitest';
import { deliveryCounts, drain, type MessageOutcome, recovery } from '../src/faults/fault-report.js';
import type { FaultRunReport } from '../src/faults/fault-run.js';
import { passed, reportTable } from '../src/faults/report-table.js';

const T = 1_000_000;
function message(
  postedAt: number,
  replyTimes: number[],
  outcomes = [200],
  expectedReplies = 1,
  copies = 1,
): MessageOutcome {
  return {
    copies,
    postedAt: T + postedAt,
    acceptedAt: outcomes.includes(200) ? T + postedAt : undefined,
    outcomes,
    replyTimes: replyTimes.map((t) => T + t),
    expectedReplies,
  };
}

describe('delivery counts', () => {
  it('counts a message with fewer replies than it asks for as lost, one with more as doubled, 5xx and unanswered POSTs apart', () => {
    const counts = deliveryCounts([
      message(0, [100]),
      message(10, []),
      message(20, [120, 130], [200, 200, 200], 1, 3),
      message(30, [300], [503, 0, 200]),
      message(40, [], [503, 0]),
      message(50, [150, 160], [200], 2),
      message(60, [170], [200], 2),
    ]);
    expect(counts).toEqual({
      sent: 7,
      duplicated: 1,
      accepted: 6,
      lost: 3,
      doubled: 1,
      http5xx: 2,
      noAnswer: 2,
    });
  });
});

describe('recovery', () => {
  it('measures from the fault to the first reply to a message posted after it, and to the last reply slower than three times the usual p95', () => {
    const messages = [
      // Before the fault at 1,000: answered in 100 ms, so slow is past max(1 s, 300 ms) = 1 s.
      ...Array.from({ length: 10 }, (_, i) => message(i * 50, [i * 50 + 100])),
      // Posted before the fault, answered 4 s late: the fault held it up.
      message(900, [5_000]),
      // Posted during the fault, answered 2.5 s after its first POST (Meta redelivered it).
      message(1_500, [4_000], [503, 503, 200]),
      // Posted after, answered at once.
      message(6_000, [6_100]),
    ];
    expect(recovery(messages, T + 1_000)).toEqual({ firstReplyMs: 3_000, caughtUpMs: 4_000, slowMs: 1_000 });
  });

  it('says caught up at 0 when nothing came late, and undefined when a message was lost', () => {
    const fine = [message(0, [100]), message(2_000, [2_100])];
    expect(recovery(fine, T + 1_000).caughtUpMs).toBe(0);
    expect(recovery([...fine, message(1_500, [])], T + 1_000).caughtUpMs).toBeUndefined();
  });
});

describe('drain', () => {
  it('counts the replies owed when the sender was started again, when the first went out and how fast all did', () => {
    const messages = [
      message(0, [100]),
      message(1_000, [10_500]),
      message(2_000, [11_000, 11_500], [200], 2),
      message(3_000, [12_500]),
      message(11_000, [11_200]),
    ];
    expect(drain(messages, T + 10_000)).toEqual({ rows: 4, startupMs: 500, seconds: 2, rowsPerSecond: 2 });
    expect(drain([message(0, [100])], T + 10_000)).toBeUndefined();
  });
});

describe('report table', () => {
  const report: Omit<FaultRunReport, 'describe'> = {
    fault: 'backlog',
    faultMs: 10_400,
    sent: 200,
    duplicated: 0,
    accepted: 200,
    lost: 0,
    doubled: 0,
    http5xx: 0,
    noAnswer: 0,
    firstReplyMs: 11_200,
    caughtUpMs: 12_900,
    slowMs: 1_000,
    crashes: [],
    notReady: [],
    drain: { rows: 130, startupMs: 1_400, seconds: 1.3, rowsPerSecond: 100 },
    claims: {
      empty: { samples: 20, p50Ms: 0.41, maxMs: 1.2, maxRows: 0 },
      draining: { samples: 7, p50Ms: 0.93, maxMs: 2.5, maxRows: 12 },
    },
  };

  it('passes a run with nothing lost or doubled and every service ready, and fails any other', () => {
    expect(passed(report)).toBe(true);
    expect(passed({ ...report, doubled: 1 })).toBe(false);
    expect(passed({ ...report, lost: 1 })).toBe(false);
    expect(passed({ ...report, notReady: ['sender'] })).toBe(false);
    expect(passed({ ...report, crashes: ['sender×1'] })).toBe(false);
  });

  it('prints one row per run and the drain with its claim times beside the empty-outbox claim', () => {
    const table = reportTable([
      report,
      { ...report, fault: 'kill-sender', lost: 2, drain: undefined, claims: undefined },
    ]).split('\n');
    expect(table[0]).toMatch(/^\| fault +\| sent \| duplicated \| accepted \| lost \| doubled \| 5xx \|/);
    expect(table[2]).toMatch(
      /^\| backlog +\| 200 +\| 0 +\| 200 +\| 0 +\| 0 +\| 0 +\| 0 +\| 10\.4 s +\| 11\.2 s +\| 12\.9 s +\| - +\| - +\| ok +\|$/,
    );
    expect(table[3]).toMatch(/^\| kill-sender .*\| FAIL +\|$/);
    expect(table.slice(4)).toEqual([
      'backlog: 130 replies owed when the sender was started again; the first went out 1.4 s later, all of them in 1.3 s (100 rows/s)',
      'backlog: claim while draining p50 0.93 ms, max 2.50 ms (7 claims, up to 12 rows); on the empty outbox before the load p50 0.41 ms, max 1.20 ms (20 claims, up to 0 rows)',
    ]);
  });
});
