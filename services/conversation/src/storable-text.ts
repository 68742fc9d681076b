/**
 * Meta delivers whatever UTF-16 a guest's phone produced, and Postgres text and jsonb refuse two
 * kinds of it: U+0000 and unpaired surrogates (JSON escapes them as \u0000 or \ud800, and jsonb
 * rejects both). Left in, such a message fails its commit on every attempt and the guest is never
 * answered; cleaned, it is read like any other.
 */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export function storableText(text: string): string {
  return text.replaceAll('\u0000', '').replace(LONE_SURROGATE, '\uFFFD');
}

/** A parsed event with every string in it made storable (texts, captions, names, titles, ids). */
export function storable<T>(value: T): T {
  if (typeof value === 'string') return storableText(value) as T;
  if (Array.isArray(value)) return value.map(storable) as T;
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, storable(item)])) as T;
  }
  return value;
}
