import { describe, expect, it } from 'vitest';
import { inboxSearch } from '../src/inbox-search.js';

describe('inbox search', () => {
  it('looks for a name anywhere, its LIKE wildcards taken literally', () => {
    expect(inboxSearch('  Sam ')).toEqual({ namePattern: '%Sam%', idSuffix: undefined });
    expect(inboxSearch('50%_off\\')).toEqual({ namePattern: '%50\\%\\_off\\\\%', idSuffix: undefined });
    expect(inboxSearch('   ')).toBeUndefined();
  });

  it('looks for the end of the guest id when the query is 2 to 15 digits, spaces, + and - aside', () => {
    expect(inboxSearch('+971 50-123')?.idSuffix).toBe('97150123');
    expect(inboxSearch('42')?.idSuffix).toBe('42');
    expect(inboxSearch('7')?.idSuffix).toBeUndefined();
    expect(inboxSearch('1234567890123456')?.idSuffix).toBeUndefined();
    expect(inboxSearch('room 12')?.idSuffix).toBeUndefined();
  });
});
