export interface Coalesced<I, O> {
  (item: I): Promise<O>;
  /** Resolves once every call made so far has been written (or has failed). */
  idle(): Promise<void>;
}

/**
 * Batches calls that arrive while a batch is being written: the first call goes at once and
 * alone, calls made meanwhile wait and go together in the next one. Idle, nothing waits; under
 * load one statement carries many rows, so a busy service pays one round trip and one commit for
 * many instead of one each. `run` returns one result per item, in order.
 *
 * When a batch of several fails, its items are tried one at a time, so one bad item (a row
 * Postgres refuses) fails alone instead of taking the calls it happened to share a batch with.
 *
 * `lingerMs` > 0 holds the first call of an idle spell that long for others to join it: for writes
 * nobody waits on in a hurry (delivery ticks), where one statement per handful of calls beats one
 * per call under steady load, when each write is over long before the next call comes.
 */
export function coalesce<I, O>(
  run: (items: I[]) => Promise<O[]>,
  maxBatch = 256,
  lingerMs = 0,
): Coalesced<I, O> {
  type Waiting = { item: I; resolve(value: O): void; reject(error: unknown): void };
  let queue: Waiting[] = [];
  let draining: Promise<void> | undefined;

  const settle = async (batch: Waiting[]) => {
    try {
      const results = await run(batch.map((waiting) => waiting.item));
      for (const [i, waiting] of batch.entries()) waiting.resolve(results[i] as O);
    } catch (error) {
      if (batch.length === 1) batch[0]?.reject(error);
      else for (const waiting of batch) await settle([waiting]);
    }
  };
  const drain = async () => {
    while (queue.length > 0) {
      const batch = queue.slice(0, maxBatch);
      queue = queue.slice(batch.length);
      await settle(batch);
    }
    draining = undefined;
  };

  const call = (item: I) =>
    new Promise<O>((resolve, reject) => {
      queue.push({ item, resolve, reject });
      draining ??= lingerMs > 0 ? new Promise((wait) => setTimeout(wait, lingerMs)).then(drain) : drain();
    });
  return Object.assign(call, {
    idle: async () => {
      while (draining) await draining;
    },
  });
}
