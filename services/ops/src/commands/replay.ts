import { JetStreamApiCodes, JetStreamApiError } from '@nats-io/jetstream';
import type { OpsConfig } from '@reserveit/config';
import { checkpoint } from '@reserveit/db';
import type { ProjectionDescription } from '@reserveit/replay';
import { type Kysely, sql } from 'kysely';
import { connectToDatabase, type Nats, withNats } from '../connections.js';
import { EXIT, OpsError } from '../exit-codes.js';
import { note, out } from '../output.js';
import { ProgressView } from '../progress.js';
import { type ApplyRange, applyRange, describeProjection } from '../replay/child.js';
import { isProjectionName, PROJECTIONS, replayEntryOf } from '../replay/projections.js';
import { createShadow, moveTables, schemaExists } from '../replay/schemas.js';

export interface ReplayOptions {
  fromSeq?: number;
  fromTime?: string;
  inPlace: boolean;
  /** In-place even though the live projector is consuming. */
  force: boolean;
  /** Drop the replaced schema after the swap instead of keeping it for a rollback. */
  dropOld: boolean;
  /** Catch-up passes end when the shadow is at most this many events behind; the rest is applied under the lock. */
  swapGap: number;
  json: boolean;
}

const MAX_CATCH_UP_PASSES = 10;

async function streamLastSeq(nats: Nats, stream: string): Promise<number> {
  try {
    return (await nats.jsm.streams.info(stream)).state.last_seq;
  } catch (error) {
    if (error instanceof JetStreamApiError && error.code === JetStreamApiCodes.StreamNotFound) {
      throw new OpsError(`stream ${stream} does not exist here: check NATS_URL and NATS_PREFIX`);
    }
    throw error;
  }
}

/**
 * The live writers that have pull requests waiting, i.e. are running: the durables the replay
 * entry names from its row of the wiring table (writersOf in libs/replay).
 */
async function runningWriters(nats: Nats, description: ProjectionDescription): Promise<string[]> {
  const running: string[] = [];
  for (const writer of description.writers) {
    const info = await nats.jsm.consumers.info(writer.stream, writer.durable).catch(() => undefined);
    if (info && info.num_waiting > 0) running.push(writer.durable);
  }
  return running;
}

const stamp = (now: Date) => now.toISOString().replace(/[-:T]/g, '').slice(0, 14);

export async function replayCommand(
  config: OpsConfig,
  name: string,
  options: ReplayOptions,
): Promise<number> {
  if (!isProjectionName(name)) {
    throw new OpsError(
      `unknown projection "${name}"; replayable: ${Object.keys(PROJECTIONS).join(', ')}`,
      EXIT.usage,
    );
  }
  if (options.fromSeq !== undefined && options.fromTime !== undefined) {
    throw new OpsError('give --from-seq or --from-time, not both', EXIT.usage);
  }
  const entry = replayEntryOf(name);
  const description = await describeProjection(entry, config);
  const db = await connectToDatabase(config);
  try {
    return await withNats(config, async (nats) => {
      if (!(await schemaExists(db, description.schema))) {
        throw new OpsError(
          `schema ${description.schema} does not exist: start the ${name} service once so it migrates its schema`,
        );
      }
      const start: Pick<ApplyRange, 'fromSeq' | 'fromTime'> = options.fromTime
        ? { fromTime: options.fromTime }
        : { fromSeq: options.fromSeq ?? 1 };
      const started = Date.now();
      const result = options.inPlace
        ? await inPlace(config, nats, db, entry, description, start, options)
        : await shadowAndSwap(config, nats, db, entry, description, start, options);
      const seconds = (Date.now() - started) / 1000;
      const summary = { projection: name, ...result, seconds: Number(seconds.toFixed(2)) };
      if (options.json) out(JSON.stringify(summary, null, 2));
      else {
        out(
          `${name}: ${result.applied} events applied up to stream sequence ${result.seq} in ${seconds.toFixed(1)} s (${Math.round(result.applied / Math.max(seconds, 0.001))} events/s)`,
        );
        if (result.replaced) out(`previous rows kept in schema ${result.replaced}; drop it when satisfied`);
      }
      return EXIT.ok;
    });
  } finally {
    await db.destroy();
  }
}

interface ReplayResult {
  mode: 'shadow' | 'in-place';
  applied: number;
  seq: number;
  passes: number;
  replaced?: string;
}

async function pass(
  entry: string,
  config: OpsConfig,
  range: ApplyRange,
  label: string,
): Promise<{ applied: number; seq: number }> {
  const view = new ProgressView(label);
  try {
    const done = await applyRange(entry, config, range, (progress) => view.update(progress));
    return { applied: done.applied, seq: done.seq };
  } finally {
    view.stop();
  }
}

/**
 * The simple path: empty the live tables and replay into them. Readers see a partial projection
 * meanwhile, and a running projector would interleave its events with the replay's (rows could end
 * up wrong: a modification applied before its creation), so it refuses while the projector consumes.
 */
async function inPlace(
  config: OpsConfig,
  nats: Nats,
  db: Kysely<unknown>,
  entry: string,
  description: ProjectionDescription,
  start: Pick<ApplyRange, 'fromSeq' | 'fromTime'>,
  options: ReplayOptions,
): Promise<ReplayResult> {
  const running = options.force ? [] : await runningWriters(nats, description);
  if (running.length > 0) {
    throw new OpsError(
      `the live ${description.name} consumers are consuming (${running.length > 3 ? `${running[0]} and ${running.length - 1} more` : running.join(', ')}): stop the service first, or rebuild without --in-place where the projection allows it (shadow, swapped while it runs); --force to do it anyway`,
      EXIT.incomplete,
    );
  }
  await streamLastSeq(nats, description.stream);
  await sql`truncate table ${sql.join(description.tables.map((table) => sql.id(description.schema, table)))}`.execute(
    db,
  );
  const done = await pass(
    entry,
    config,
    { schema: description.schema, ...start },
    `replay ${description.name}`,
  );
  return { mode: 'in-place', applied: done.applied, seq: done.seq, passes: 1 };
}

/**
 * The default path: rebuild the projection's tables into `<schema>_rebuild` while the live ones
 * keep serving and the live projector keeps consuming, catch up until close, then move the tables
 * in one transaction (the live ones to `<schema>_replaced_<time>`, kept for a rollback). The
 * schema's other tables (an outbox, a log) are not touched.
 *
 * Events the live projector applies after the last catch-up pass: with an inbox, the swap first
 * takes an EXCLUSIVE lock on the live inbox. Every projector transaction begins by inserting its
 * inbox rows, so from then on it waits, and the live checkpoint N (max inbox seq) cannot move. The
 * shadow is brought to N under the lock, the tables are moved and the lock released. The waiting
 * projector statement resolves "<schema>.inbox" again after the lock (Postgres looks a relation
 * name up again when invalidations arrived while it waited for the lock), so it continues at N+1
 * in the rebuilt tables: nothing applied twice, nothing skipped, and per-row order kept (a
 * modification applied before its creation would be lost). An event the shadow already holds
 * beyond N (when the live projector lags) is a no-op there: the inbox, moved along, dedupes it.
 * Without an inbox (an idempotent projection) the projection's tables are locked instead and the
 * shadow is brought to the stream's last sequence: whatever the projector applies again after
 * the swap changes nothing.
 */
async function shadowAndSwap(
  config: OpsConfig,
  nats: Nats,
  db: Kysely<unknown>,
  entry: string,
  description: ProjectionDescription,
  start: Pick<ApplyRange, 'fromSeq' | 'fromTime'>,
  options: ReplayOptions,
): Promise<ReplayResult> {
  const live = description.schema;
  const shadow = `${live}_rebuild`;
  if (await schemaExists(db, shadow)) note(`dropping ${shadow} left by an earlier run`);
  await createShadow(db, live, shadow, description.tables);
  let applied = 0;
  let passes = 1;
  let first = await pass(entry, config, { schema: shadow, ...start }, `replay ${description.name}`);
  applied += first.applied;
  let seq = first.seq;
  while (
    passes < MAX_CATCH_UP_PASSES &&
    (await streamLastSeq(nats, description.stream)) - seq > options.swapGap
  ) {
    first = await pass(entry, config, { schema: shadow, fromSeq: seq + 1 }, `catch up ${description.name}`);
    applied += first.applied;
    seq = first.seq;
    passes++;
  }
  const replaced = `${live}_replaced_${stamp(new Date())}`;
  await db.transaction().execute(async (trx) => {
    // Waiting longer than this for the live projector's current transaction means something is wrong.
    await sql`set local lock_timeout = '15s'`.execute(trx);
    let target: number;
    if (description.inboxConsumer) {
      await sql`lock table ${sql.id(live, 'inbox')} in exclusive mode`.execute(trx);
      target = await checkpoint(trx, live, description.inboxConsumer);
    } else {
      const tables = sql.join(description.tables.map((table) => sql.id(live, table)));
      await sql`lock table ${tables} in exclusive mode`.execute(trx);
      target = await streamLastSeq(nats, description.stream);
    }
    if (target > seq) {
      // A separate connection (the child's) may write the shadow: only the live tables are locked.
      const last = await applyRange(
        entry,
        config,
        { schema: shadow, fromSeq: seq + 1, toSeq: target },
        () => {},
      );
      applied += last.applied;
      seq = last.seq;
      passes++;
    }
    await moveTables(trx, description.tables, { live, shadow, replaced });
  });
  if (options.dropOld) {
    await sql`drop schema ${sql.id(replaced)} cascade`.execute(db);
    return { mode: 'shadow', applied, seq, passes };
  }
  return { mode: 'shadow', applied, seq, passes, replaced };
}
