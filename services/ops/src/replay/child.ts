import type { OpsConfig } from '@reserveit/config';
import {
  type ProjectionDescription,
  type ReplayDone,
  type ReplayLine,
  type ReplayProgress,
  replayLineSchema,
} from '@reserveit/replay';
import { runEntry } from '../entry-process.js';
import { OpsError } from '../exit-codes.js';

export interface ApplyRange {
  schema: string;
  fromSeq?: number;
  fromTime?: string;
  toSeq?: number;
}

/** Runs a service's replay entry and reads its JSON lines (libs/replay protocol). */
const run = (entry: string, config: OpsConfig, args: string[], onLine: (line: ReplayLine) => void) =>
  runEntry('replay entry', entry, config, args, replayLineSchema, onLine);

export async function describeProjection(entry: string, config: OpsConfig): Promise<ProjectionDescription> {
  let description: ProjectionDescription | undefined;
  await run(entry, config, ['describe'], (line) => {
    if (line.type === 'describe') description = line;
  });
  if (!description) throw new OpsError(`replay entry ${entry} did not describe its projection`);
  return description;
}

export async function applyRange(
  entry: string,
  config: OpsConfig,
  range: ApplyRange,
  onProgress: (progress: ReplayProgress) => void,
): Promise<ReplayDone> {
  const args = ['apply', '--schema', range.schema];
  if (range.fromTime) args.push('--from-time', range.fromTime);
  else if (range.fromSeq !== undefined) args.push('--from-seq', String(range.fromSeq));
  if (range.toSeq !== undefined) args.push('--to-seq', String(range.toSeq));
  let done: ReplayDone | undefined;
  await run(entry, config, args, (line) => {
    if (line.type === 'progress') onProgress(line);
    if (line.type === 'done') done = line;
  });
  if (!done) throw new OpsError('replay entry ended without saying where it stopped');
  return done;
}
