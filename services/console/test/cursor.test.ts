import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor } from '../src/live/cursor.js';

describe('live cursor', () => {
  it('round-trips every stream position', () => {
    const cursor = { c: 12, r: 40, o: 0, w: 123_456_789 };
    expect(encodeCursor(cursor)).toBe('c12.r40.o0.w123456789');
    expect(decodeCursor(encodeCursor(cursor))).toEqual(cursor);
  });

  it.each([
    undefined,
    null,
    '',
    'c1.r2.o3',
    'c1.r2.o3.w4.x5',
    'c-1.r2.o3.w4',
    'c1.r2.o3.wfour',
    `c${'9'.repeat(16)}.r1.o1.w1`,
  ])('ignores %s, which this feed never wrote', (id) => {
    expect(decodeCursor(id)).toBeUndefined();
  });
});
