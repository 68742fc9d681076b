import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { maskUrlPassword } from './mask-url.js';

/**
 * Where the local stack listens, for the CLIs (ops, reserveit-business, `reserveit-stack send`):
 * `reserveit-stack up` picks free ports when the defaults are taken (a system nats-server on
 * 4222, Postgres on 5433 instead of 5432), so the services' defaults do not find it.
 * `up` writes this file once every process is ready and removes it on stop; the CLIs take a
 * variable from it only when their environment does not set it. `LOCAL_STACK_FILE` puts it
 * elsewhere, for the runner and the CLIs alike (tests, a second checkout's CLIs).
 */
export const RUNNING_STACK_FILE = '.local/running-stack.json';

/** This checkout: the module is libs/config/src or libs/config/dist, three levels down. */
const CHECKOUT_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export const runningStackSchema = z.strictObject({
  /** The runner's pid: a record whose runner is gone (killed, machine restarted) is ignored. */
  pid: z.number().int().positive(),
  startedAt: z.iso.datetime(),
  /** What the processes provide (NATS_URL, DATABASE_URL, *_GRPC_ADDRESS) and the ports they listen on. */
  env: z.record(z.string().regex(/^[A-Z_][A-Z0-9_]*$/), z.string().max(4096)),
});

export type RunningStackRecord = z.infer<typeof runningStackSchema>;

/** `LOCAL_STACK_FILE` when set, else `.local/running-stack.json` of `root` (default: this checkout). */
export const runningStackPath = (
  env: NodeJS.ProcessEnv = process.env,
  root: string = CHECKOUT_ROOT,
): string => env.LOCAL_STACK_FILE || join(root, RUNNING_STACK_FILE);

/** The record as written, whoever wrote it and whether it still runs; undefined when absent or unreadable. */
export function readRunningStackFile(path: string): RunningStackRecord | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
  try {
    const parsed = runningStackSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, it is only someone else's.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The running local stack recorded at `path`, or undefined when none runs. */
export function findRunningStack(path: string): RunningStackRecord | undefined {
  const record = readRunningStackFile(path);
  return record && isRunning(record.pid) ? record : undefined;
}

export interface CliStackEnv {
  /** The environment with the running stack's value for each wanted variable it does not set. */
  env: NodeJS.ProcessEnv;
  /**
   * One line for stderr saying where the CLI connects and why: the running stack, the
   * environment or the defaults; empty when the environment set every value (the caller chose
   * them, and scripts reading stderr see nothing new). `values` are the values in effect (after
   * defaults); passwords in URLs are masked.
   */
  describe(values: Record<string, string>): string;
}

const masked = (value: string) => value.split(',').map(maskUrlPassword).join(',');

/**
 * What a CLI should use for `names` (say NATS_URL, DATABASE_URL): the environment's value when
 * set, else the running local stack's. Explicit settings always win, so the same CLI works on a
 * cluster with its variables set.
 */
export function cliStackEnv(names: readonly string[], base: NodeJS.ProcessEnv = process.env): CliStackEnv {
  const path = runningStackPath(base);
  const stack = findRunningStack(path);
  const env: NodeJS.ProcessEnv = { ...base };
  const source = new Map<string, 'environment' | 'stack' | 'default'>();
  for (const name of names) {
    if (base[name] !== undefined && base[name] !== '') source.set(name, 'environment');
    else if (stack?.env[name] !== undefined) {
      env[name] = stack.env[name];
      source.set(name, 'stack');
    } else source.set(name, 'default');
  }
  const describe = (values: Record<string, string>): string => {
    const group = (kind: 'environment' | 'stack' | 'default') =>
      Object.entries(values)
        .filter(([name]) => (source.get(name) ?? 'default') === kind)
        .map(([name, value]) => `${name}=${masked(value)}`)
        .join(', ');
    const parts: string[] = [];
    const fromStack = group('stack');
    if (fromStack)
      parts.push(`local stack (pid ${stack?.pid}, ${relative(process.cwd(), path)}): ${fromStack}`);
    const fromEnv = group('environment');
    const defaults = group('default');
    if (!fromStack && !defaults) return '';
    if (fromEnv) parts.push(`from the environment: ${fromEnv}`);
    if (defaults) parts.push(`defaults${stack ? '' : ' (no local stack running)'}: ${defaults}`);
    return parts.join('; ');
  };
  return { env, describe };
}
