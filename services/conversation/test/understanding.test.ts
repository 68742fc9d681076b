import { Intent, InterpretResponse } from '@reserveit/rpc/intent/v1/intent';
import { describe, expect, it } from 'vitest';
import { fromWire } from '../src/understanding.js';

const answer = (language: string) =>
  fromWire(InterpretResponse.fromPartial({ intent: Intent.INTENT_BOOK, language }));

describe('what intent.v1 said, as the dialogue reads it', () => {
  it('keeps every language the assistant answers in, so the reply follows the guest', () => {
    expect(['en', 'ar', 'es', 'fr'].map((language) => answer(language).language)).toEqual([
      'en',
      'ar',
      'es',
      'fr',
    ]);
  });

  it('names no language for "und" or none, so the conversation keeps its own', () => {
    expect(answer('und')).not.toHaveProperty('language');
    expect(answer('')).not.toHaveProperty('language');
  });
});
