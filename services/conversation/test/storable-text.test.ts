import { describe, expect, it } from 'vitest';
import { storable, storableText } from '../src/storable-text.js';

describe('storableText', () => {
  it('drops U+0000 and replaces unpaired surrogates, keeping every well-formed character', () => {
    expect(storableText('table for 2\u0000 tonight')).toBe('table for 2 tonight');
    expect(storableText('ok \uD800 then \uDC00 end \uD83D')).toBe('ok \uFFFD then \uFFFD end \uFFFD');
    const fine = 'طاولة لشخصين 🙂 café';
    expect(storableText(fine)).toBe(fine);
  });

  it('makes a whole event storable, nested strings included, and the result is valid for JSON round trips', () => {
    const event = {
      guest: { id: '971500000001', name: 'Pat\u0000' },
      message: { type: 'text', text: { body: 'hi\uDBFF' } },
      list: ['a\u0000b', 3, null],
    };
    const clean = storable(event);
    expect(clean).toEqual({
      guest: { id: '971500000001', name: 'Pat' },
      message: { type: 'text', text: { body: 'hi\uFFFD' } },
      list: ['ab', 3, null],
    });
    expect(JSON.stringify(clean)).not.toMatch(/\\u0000|\\ud[89a-f]/i);
  });
});
