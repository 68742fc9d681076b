import { jsonRecords } from '@reserveit/db';
import type { Logger } from '@reserveit/telemetry';
import { sql } from 'kysely';
import type { InferencesTable, IntentDb } from './database.js';
import type { IntentMetrics } from './metrics.js';

export type InferenceRecord = Omit<InferencesTable, 'id'>;

const INFERENCE_COLUMNS = `recorded_at timestamptz, conversation_id text, provider text, model text, intent text,
  language text, confidence double precision, latency_ms double precision, fallback_reason text, error text,
  text_length int`;

export interface InferenceRecorder {
  /** Never waits and never throws: an inference is answered whether or not its record is written. */
  record(entry: InferenceRecord): void;
  /** Writes what is buffered now. */
  flush(): Promise<void>;
  /** Stops the timer and writes the rest. */
  close(): Promise<void>;
}

export interface RecorderOptions {
  db: IntentDb;
  flushMs: number;
  /** Records held at most; beyond it new ones are dropped and counted, so a slow database cannot eat the memory. */
  maxBuffered: number;
  /** Rows per INSERT. */
  batchSize?: number;
  metrics: Pick<IntentMetrics, 'recordsWritten' | 'recordsDropped'>;
  logger: Logger;
}

/**
 * Keeps Postgres off the Interpret hot path: records are buffered in memory and written in
 * multi-row INSERTs on a short interval. The cost is that a crash loses at most one interval of
 * records; the metrics (in-process) still counted them.
 */
export function bufferedRecorder(options: RecorderOptions): InferenceRecorder {
  const { db, metrics, logger } = options;
  const batchSize = options.batchSize ?? 1_000;
  let buffer: InferenceRecord[] = [];
  let writing: Promise<void> = Promise.resolve();

  const writeAll = async () => {
    while (buffer.length > 0) {
      const batch = buffer.slice(0, batchSize);
      buffer = buffer.slice(batch.length);
      try {
        // As one JSON parameter: the statement's text is the same for any number of records.
        await sql`
          insert into intent.inferences (recorded_at, conversation_id, provider, model, intent, language,
            confidence, latency_ms, fallback_reason, error, text_length)
          select recorded_at, conversation_id, provider, model, intent, language,
            confidence, latency_ms, fallback_reason, error, text_length
          from ${jsonRecords(batch, INFERENCE_COLUMNS)} as r`.execute(db);
        metrics.recordsWritten.inc(batch.length);
      } catch (error) {
        metrics.recordsDropped.inc({ reason: 'write_failed' }, batch.length);
        logger.warn({ err: error, records: batch.length }, 'could not write inference records; dropped');
      }
    }
  };
  // One writer at a time, so batches land in order and a slow write does not pile up more.
  const flush = () => {
    writing = writing.then(writeAll);
    return writing;
  };
  const timer = setInterval(() => {
    if (buffer.length > 0) void flush();
  }, options.flushMs);
  timer.unref();

  return {
    record(entry) {
      if (buffer.length >= options.maxBuffered) {
        metrics.recordsDropped.inc({ reason: 'buffer_full' });
        return;
      }
      buffer.push(entry);
    },
    flush,
    async close() {
      clearInterval(timer);
      await flush();
    },
  };
}
