/** A delivery status of one message, as the status projection records it. */
export interface StatusUpdate {
  wamid: string;
  callbackKey: string | undefined;
  status: string;
  rank: number;
  statusAt: Date;
  errorCode: number | undefined;
}

/**
 * What applying `updates` one after the other leaves, one entry per message: the highest rank
 * wins (with its time and error code; the earlier of equal ranks stays) and the first callback
 * key seen is kept. The projection's upsert follows the same rule, so a batch folded first and
 * written in one statement ends as the events applied singly would.
 */
export function foldStatuses(updates: readonly StatusUpdate[]): StatusUpdate[] {
  const byWamid = new Map<string, StatusUpdate>();
  for (const update of updates) {
    const seen = byWamid.get(update.wamid);
    if (!seen) {
      byWamid.set(update.wamid, update);
      continue;
    }
    const newer = update.rank > seen.rank ? update : seen;
    byWamid.set(update.wamid, { ...newer, callbackKey: seen.callbackKey ?? update.callbackKey });
  }
  return [...byWamid.values()];
}
