import { describe, expect, it } from 'vitest';
import { statusRank } from '../src/domain/status-rank.js';

const rank = (status: string) => statusRank(status) ?? -1;

describe('statusRank', () => {
  it('orders sent < delivered < read < played', () => {
    expect(rank('sent')).toBeLessThan(rank('delivered'));
    expect(rank('delivered')).toBeLessThan(rank('read'));
    expect(rank('read')).toBeLessThan(rank('played'));
  });

  it('lets failed replace sent but not delivered or read', () => {
    expect(rank('failed')).toBeGreaterThan(rank('sent'));
    expect(rank('failed')).toBeLessThan(rank('delivered'));
  });

  it('ignores statuses Meta does not document', () => {
    expect(statusRank('deleted')).toBeUndefined();
  });
});
