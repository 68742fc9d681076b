import { describe, expect, it } from 'vitest';
import { nestsDeeperThan } from '../src/json-depth.js';

const bytes = (text: string) => Buffer.from(text, 'utf8');

describe('nestsDeeperThan', () => {
  it('counts objects and arrays together, up to and past the limit', () => {
    expect(nestsDeeperThan(bytes('{"a":[{"b":[]}]}'), 4)).toBe(false);
    expect(nestsDeeperThan(bytes('{"a":[{"b":[[]]}]}'), 4)).toBe(true);
    expect(nestsDeeperThan(bytes(`${'['.repeat(5000)}${']'.repeat(5000)}`), 64)).toBe(true);
  });

  it('measures depth, not the number of siblings', () => {
    expect(nestsDeeperThan(bytes(JSON.stringify(Array.from({ length: 1000 }, () => ({ a: [1] })))), 3)).toBe(
      false,
    );
  });

  it('ignores brackets inside strings, escaped quotes and non-ASCII text included', () => {
    const text = JSON.stringify({ body: `[[[[{{{{ \\" \\\\" ليلى 🍽️ "[[[[`, list: [1] });
    expect(nestsDeeperThan(bytes(text), 2)).toBe(false);
    expect(nestsDeeperThan(bytes('{"a":"\\\\","b":[[[]]]}'), 3)).toBe(true);
  });
});
