import { describe, expect, it } from 'vitest';
import { actionIdOf } from '../src/pipeline.js';

describe('actionIdOf', () => {
  const request = '6f1c1b1e-8a3e-4c55-9f5e-0d7b7c1f2a10';

  it('gives a retried call the same action id', () => {
    expect(actionIdOf('c_one', 'staffReply', request)).toBe(actionIdOf('c_one', 'staffReply', request));
    expect(actionIdOf('c_one', 'staffReply', request)).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
    );
  });

  it('tells apart the same request id on another conversation or for another action', () => {
    const ids = new Set([
      actionIdOf('c_one', 'staffReply', request),
      actionIdOf('c_two', 'staffReply', request),
      actionIdOf('c_one', 'takeOver', request),
      actionIdOf('c_one', 'release', request),
    ]);
    expect(ids.size).toBe(4);
  });
});
