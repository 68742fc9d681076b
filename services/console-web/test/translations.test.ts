import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ar } from '../src/i18n/ar.js';
import { en } from '../src/i18n/en.js';

const pluralSuffix = /_(zero|one|two|few|many|other)$/;
const base = (key: string) => key.replace(pluralSuffix, '');
const basesOf = (messages: Record<string, string>) => new Set(Object.keys(messages).map(base));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(name) ? [path] : [];
  });
}

/** Every t('literal') in the app, and the prefixes of every t(`prefix.${…}`). */
function keysUsed(): { literal: Set<string>; prefixes: Set<string> } {
  const literal = new Set<string>();
  const prefixes = new Set<string>();
  for (const file of sourceFiles(join(import.meta.dirname, '../src'))) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/\bt\(\s*'([^']+)'/g)) literal.add(m[1]!);
    for (const m of text.matchAll(/\bt\(\s*`([^`$]+)\$\{/g)) prefixes.add(m[1]!);
  }
  return { literal, prefixes };
}

describe('translations', () => {
  it('has every English message in Arabic and nothing more', () => {
    expect([...basesOf(ar)].sort()).toEqual([...basesOf(en)].sort());
  });

  it('gives Arabic all six plural forms where English has plurals', () => {
    for (const key of Object.keys(en).filter((k) => k.endsWith('_other'))) {
      for (const form of ['zero', 'one', 'two', 'few', 'many', 'other']) {
        expect(ar, `${base(key)}_${form}`).toHaveProperty([`${base(key)}_${form}`]);
      }
    }
  });

  it('keeps the same {{placeholders}} in both languages', () => {
    const placeholders = (s: string) => [...s.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();
    for (const [key, text] of Object.entries(en)) {
      const arabic = ar[key] ?? ar[`${base(key)}_other`] ?? '';
      const expected = placeholders(text).filter((p) => p !== 'count');
      expect(
        placeholders(arabic).filter((p) => p !== 'count'),
        key,
      ).toEqual(expected);
    }
  });

  it('writes Arabic in Arabic script, not transliterated', () => {
    const latinOnly = Object.entries(ar).filter(([, text]) => !/[\u0600-\u06FF]/.test(text));
    // The brand name and a bare message kind are the same in every language.
    expect(latinOnly.map(([key]) => key)).toEqual(['app.name', 'conversation.kind']);
  });

  it('defines every key the screens ask for', () => {
    const { literal, prefixes } = keysUsed();
    const known = basesOf(en);
    const missing = [...literal].filter((key) => !known.has(key));
    expect(missing).toEqual([]);
    for (const prefix of prefixes) {
      expect(
        [...known].some((key) => key.startsWith(prefix)),
        prefix,
      ).toBe(true);
    }
  });
});
