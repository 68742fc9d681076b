import { describe, expect, it } from 'vitest';
import { requestIdFor } from '../src/domain/request-ids.js';

let n = 0;
const fresh = () => `id-${++n}`;

describe('requestIdFor', () => {
  it('makes a fresh id for a first send', () => {
    expect(requestIdFor(null, 'hello', () => 'new')).toBe('new');
  });

  it('reuses the id when the same message is retried after a network error', () => {
    expect(requestIdFor({ requestId: 'r1', fingerprint: 'hello', settled: false }, 'hello', fresh)).toBe(
      'r1',
    );
  });

  it('makes a fresh id once the server answered the last one', () => {
    expect(requestIdFor({ requestId: 'r1', fingerprint: 'hello', settled: true }, 'hello', fresh)).not.toBe(
      'r1',
    );
  });

  it('makes a fresh id when the message was edited before the retry', () => {
    expect(requestIdFor({ requestId: 'r1', fingerprint: 'hello', settled: false }, 'hello!', fresh)).not.toBe(
      'r1',
    );
  });
});
