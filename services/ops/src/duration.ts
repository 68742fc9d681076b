const UNITS: Record<string, number> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

/** "90s", "15m", "2h", "7d", "1h30m" → milliseconds; throws with the accepted forms otherwise. */
export function parseDuration(text: string): number {
  const parts = [...text.trim().matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h|d|w)/g)];
  const joined = parts.map((part) => part[0]).join('');
  if (parts.length === 0 || joined !== text.trim()) {
    throw new Error(`"${text}" is not a duration: use e.g. 90s, 15m, 2h, 7d or 1h30m`);
  }
  return parts.reduce((sum, part) => sum + Number(part[1]) * (UNITS[part[2] ?? ''] ?? 0), 0);
}
