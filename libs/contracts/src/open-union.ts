import { z } from 'zod';

/**
 * A union keyed on a string field that keeps values whose key it does not know. Meta adds
 * message types, interactive replies and webhook fields without notice (docs/whatsapp.md#payloads): a
 * value with an unknown key is checked by `fallback` only, while a value with a known key must
 * satisfy that key's schema. Issues keep the path of the branch that was chosen, so a malformed
 * `text` reports `…text.body`, not a bare "invalid union".
 */
export function openUnion<Known extends Record<string, z.ZodType>, Fallback extends z.ZodType>(
  key: string,
  known: Known,
  fallback: Fallback,
) {
  return z.unknown().transform((value, ctx): z.output<Known[keyof Known]> | z.output<Fallback> => {
    const tag =
      typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
    const schema =
      (typeof tag === 'string' && Object.hasOwn(known, tag) ? known[tag] : undefined) ?? fallback;
    const result = schema.safeParse(value);
    if (result.success) return result.data as z.output<Known[keyof Known]> | z.output<Fallback>;
    for (const issue of result.error.issues) ctx.addIssue({ ...issue });
    return z.NEVER;
  });
}
