/**
 * The next segment of an error's dotted field path under a prefix: "hours.weekly.1.0.start" under
 * "hours.weekly.1" is "0", so the form can mark that interval.
 */
export function segmentUnder(field: string | null, prefix: string): string | null {
  if (field === null || !field.startsWith(`${prefix}.`)) return null;
  return field.slice(prefix.length + 1).split('.')[0] ?? null;
}
