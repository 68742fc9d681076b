import { describe, expect, it } from 'vitest';
import { foldStatuses, type StatusUpdate } from '../src/domain/status-fold.js';
import { statusRank } from '../src/domain/status-rank.js';

const update = (wamid: string, status: string, second: number, callbackKey?: string, errorCode?: number) =>
  ({
    wamid,
    callbackKey,
    status,
    rank: statusRank(status) ?? 0,
    statusAt: new Date(Date.UTC(2026, 10, 23, 10, 0, second)),
    errorCode,
  }) satisfies StatusUpdate;

describe('foldStatuses', () => {
  it('keeps one entry per message: the highest rank with its time, and the first callback key', () => {
    const folded = foldStatuses([
      update('a', 'delivered', 2),
      update('b', 'sent', 1, 'key-b'),
      update('a', 'sent', 1, 'key-a'),
      update('a', 'read', 3),
      update('b', 'failed', 4, 'other', 131047),
    ]);
    expect(folded).toEqual([update('a', 'read', 3, 'key-a'), update('b', 'failed', 4, 'key-b', 131047)]);
  });

  it('keeps the earlier of two equal ranks, as the upsert does', () => {
    expect(foldStatuses([update('a', 'delivered', 2), update('a', 'delivered', 9)])).toEqual([
      update('a', 'delivered', 2),
    ]);
  });
});
