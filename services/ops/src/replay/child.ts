import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type { OpsConfig } from '@reserveit/config';
import {
  type ProjectionDescription,
  type ReplayDone,
  type ReplayLine,
  type ReplayProgress,
  replayLineSchema,
} from '@reserveit/replay';
import { OpsError } from '../exit-codes.js';

export interface ApplyRange {
  schema: string;
  fromSeq?: number;
  fromTime?: string;
  toSeq?: number;
}

/** Runs a service's replay entry and reads its JSON lines (libs/replay protocol). */
async function run(
  entry: string,
  config: OpsConfig,
  args: string[],
  onLine: (line: ReplayLine) => void,
): Promise<void> {
  if (!existsSync(entry)) throw new OpsError(`replay entry ${entry} is missing; run pnpm build`);
  const child = spawn(process.execPath, [entry, ...args], {
    env: {
      ...process.env,
      NATS_URL: config.NATS_URL,
      NATS_PREFIX: config.NATS_PREFIX,
      DATABASE_URL: config.DATABASE_URL,
      LOG_LEVEL: 'warn',
      OTEL_SDK_DISABLED: 'true',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-4000);
  });
  const lines = createInterface({ input: child.stdout });
  let bad: string | undefined;
  lines.on('line', (text) => {
    try {
      onLine(replayLineSchema.parse(JSON.parse(text)));
    } catch {
      bad ??= text.slice(0, 200);
    }
  });
  const code = await new Promise<number>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (exit) => resolve(exit ?? 1));
  });
  if (code !== 0) throw new OpsError(`replay entry failed (exit ${code}): ${stderr.trim() || 'no message'}`);
  if (bad !== undefined)
    throw new OpsError(`replay entry printed something that is not its protocol: ${bad}`);
}

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
