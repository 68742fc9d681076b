import { parseArgs } from 'node:util';
import { type JsMsg, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { createDatabase } from '@reserveit/db';
import type { Kysely } from 'kysely';
import type { ProjectionDescription, ReplayLine } from './protocol.js';
import { redirectSchema } from './schema-redirect.js';
import { readStream } from './stream-range.js';

export interface ReplayEntrySpec<DB> {
  description: Omit<ProjectionDescription, 'type'>;
  natsUrl: string;
  /** The `ops` user (libs/config natsCredentials): replays run as the CLI that starts them. */
  natsCredentials: { user: string; password: string; inboxPrefix: string };
  /** NATS_TLS_* files (natsTls in libs/config); plaintext without. */
  natsTls?: { caFile: string; certFile?: string; keyFile?: string } | undefined;
  databaseUrl: string;
  /**
   * Applies messages (in stream order, a batch at a time) in one transaction, inbox rows included,
   * into `schema`. `db` already redirects the live schema's tables to it; raw SQL must use `schema`.
   */
  apply(db: Kysely<DB>, messages: readonly JsMsg[], schema: string): Promise<void>;
  /** Events per transaction. */
  batchSize?: number;
}

const USAGE = `usage: <replay entry> describe
       <replay entry> apply --schema <schema> [--from-seq N | --from-time ISO] [--to-seq N]
Prints JSON lines on stdout (describe, progress, done); meant to be run by \`reserveit-ops replay\`.`;

/**
 * The child-process side of `reserveit-ops replay`: each service ships one (its own apply code,
 * its own schema knowledge) and ops orchestrates shadow schemas and swaps without importing it.
 * Exit codes: 0 done, 1 failed (message on stderr), 64 usage.
 */
export async function runReplayEntry<DB>(spec: ReplayEntrySpec<DB>, argv = process.argv.slice(2)) {
  try {
    await run(spec, argv);
  } catch (error) {
    process.stderr.write(`replay ${spec.description.name}: ${(error as Error).message}\n`);
    process.exitCode = 1;
  }
}

async function run<DB>(spec: ReplayEntrySpec<DB>, argv: string[]): Promise<void> {
  const print = (line: ReplayLine) => process.stdout.write(`${JSON.stringify(line)}\n`);
  let parsed: ReturnType<typeof parseOptions>;
  try {
    parsed = parseOptions(argv);
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${USAGE}\n`);
    process.exit(64);
  }
  if (parsed.command === 'describe') {
    print({ type: 'describe', ...spec.description });
    return;
  }
  const { schema: target, fromSeq, fromTime, toSeq } = parsed;
  const nc = await connect({
    servers: spec.natsUrl.split(','),
    name: `replay-${spec.description.name}`,
    user: spec.natsCredentials.user,
    pass: spec.natsCredentials.password,
    inboxPrefix: spec.natsCredentials.inboxPrefix,
    ...(spec.natsTls && { tls: spec.natsTls }),
  });
  const base = createDatabase<DB>({
    url: spec.databaseUrl,
    applicationName: `replay-${spec.description.name}`,
    maxConnections: 2,
    // The shadow tables fill from empty, far faster than ANALYZE follows.
    customPlans: true,
  });
  const db =
    target === spec.description.schema
      ? base
      : base.withPlugin(redirectSchema(spec.description.schema, target));
  try {
    const js = jetstream(nc);
    const jsm = await jetstreamManager(nc);
    const last = toSeq ?? (await jsm.streams.info(spec.description.stream)).state.last_seq;
    const batchSize = spec.batchSize ?? 500;
    let batch: JsMsg[] = [];
    let applied = 0;
    let seq = 0;
    let reported = 0;
    const flush = async () => {
      if (batch.length === 0) return;
      await spec.apply(db, batch, target);
      applied += batch.length;
      seq = batch.at(-1)?.seq ?? seq;
      batch = [];
      // Progress at most every 100 ms: the parent redraws a bar, it does not need every batch.
      if (Date.now() - reported >= 100) {
        reported = Date.now();
        print({ type: 'progress', seq, lastSeq: last, applied });
      }
    };
    for await (const message of readStream(js, jsm, {
      stream: spec.description.stream,
      ...(spec.description.filterSubject ? { filterSubject: spec.description.filterSubject } : {}),
      fromSeq,
      fromTime,
      toSeq: last,
      bufferSize: batchSize * 2,
    })) {
      batch.push(message);
      if (batch.length >= batchSize) await flush();
    }
    await flush();
    print({ type: 'progress', seq: Math.max(seq, last), lastSeq: last, applied });
    print({ type: 'done', seq: Math.max(seq, last), applied });
  } finally {
    await base.destroy();
    await nc.close();
  }
}

function parseOptions(argv: string[]) {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      schema: { type: 'string' },
      'from-seq': { type: 'string' },
      'from-time': { type: 'string' },
      'to-seq': { type: 'string' },
    },
  });
  const command = positionals[0];
  if (command === 'describe') return { command } as const;
  if (command !== 'apply') throw new Error(`unknown command "${command ?? ''}"`);
  if (!values.schema || !/^[a-z_][a-z0-9_]*$/.test(values.schema)) {
    throw new Error('apply needs --schema <lower-case identifier>');
  }
  const int = (name: string, value: string | undefined) => {
    if (value === undefined) return undefined;
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer`);
    return n;
  };
  const fromTime = values['from-time'];
  if (fromTime !== undefined && Number.isNaN(Date.parse(fromTime))) {
    throw new Error('--from-time must be an ISO-8601 instant');
  }
  return {
    command,
    schema: values.schema,
    fromSeq: int('from-seq', values['from-seq']),
    fromTime: fromTime === undefined ? undefined : new Date(fromTime).toISOString(),
    toSeq: int('to-seq', values['to-seq']),
  } as const;
}
