import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { type RunningStackRecord, readRunningStackFile, runningStackSchema } from '@reserveit/config';
import type { RunningStack } from './stack.js';

/**
 * What the CLIs need to find a running stack (libs/config/src/local-stack.ts reads it): every
 * variable a process provides (NATS_URL, DATABASE_URL, the gRPC addresses), every port, and
 * `shared`, what the runner gave every process that the CLIs need too (the CAs of `up --tls`).
 */
export function runningStackRecord(
  stack: RunningStack,
  pid: number,
  startedAt: Date,
  shared: Record<string, string> = {},
): RunningStackRecord {
  const env: Record<string, string> = { ...shared };
  for (const p of stack.processes) {
    Object.assign(env, p.provides);
    for (const [name, port] of Object.entries(p.ports)) env[name] = String(port);
  }
  return runningStackSchema.parse({ pid, startedAt: startedAt.toISOString(), env });
}

/**
 * Written whole or not at all (rename), readable by its owner only: DATABASE_URL carries a
 * password.
 */
export function writeRunningStack(path: string, record: RunningStackRecord): void {
  mkdirSync(dirname(path), { recursive: true });
  const partial = `${path}.${record.pid}.tmp`;
  writeFileSync(partial, `${JSON.stringify(record, null, 2)}\n`, { mode: 0o600 });
  renameSync(partial, path);
}

/** Removes the record if it is this runner's (a second `up` may have written its own since). */
export function removeRunningStack(path: string, pid: number): void {
  if (readRunningStackFile(path)?.pid === pid) rmSync(path, { force: true });
}
