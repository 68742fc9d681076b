/**
 * Where a browser is in each stream the live feed follows, as one SSE event id: `c12.r40.o3.w7`
 * (CONVERSATIONS, RESERVATIONS, OUTBOUND, WHATSAPP sequences). The browser sends it back as
 * Last-Event-ID when it reconnects, to this process or another one after a restart, and the feed
 * replays what that restaurant missed from the streams themselves.
 */
export const STREAM_KEYS = ['c', 'r', 'o', 'w'] as const;
export type StreamKey = (typeof STREAM_KEYS)[number];
export type Cursor = Record<StreamKey, number>;

export function encodeCursor(cursor: Cursor): string {
  return STREAM_KEYS.map((key) => `${key}${cursor[key]}`).join('.');
}

const CURSOR = /^c(\d{1,15})\.r(\d{1,15})\.o(\d{1,15})\.w(\d{1,15})$/;

/** Undefined for anything that is not a cursor this feed wrote: the browser then starts live. */
export function decodeCursor(id: string | null | undefined): Cursor | undefined {
  const match = id ? CURSOR.exec(id) : null;
  if (!match) return undefined;
  const [, c, r, o, w] = match.map(Number);
  return { c: c as number, r: r as number, o: o as number, w: w as number };
}
