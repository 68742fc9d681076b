import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type { OpsConfig } from '@reserveit/config';
import type { z } from 'zod';
import { OpsError } from './exit-codes.js';

/**
 * Runs a service's entry (a bin of its package: a replay entry, the sender's outbox entry) as a
 * child process with ops' connection settings, and hands over each JSON line it prints, checked by
 * `schema`. The service's own code does the work; ops only starts it and reads what it says.
 * `name` says which entry in errors ("replay entry").
 */
export async function runEntry<T>(
  name: string,
  entry: string,
  config: OpsConfig,
  args: string[],
  schema: z.ZodType<T>,
  onLine: (line: T) => void,
): Promise<void> {
  if (!existsSync(entry)) throw new OpsError(`${name} ${entry} is missing; run pnpm build`);
  const child = spawn(process.execPath, [entry, ...args], {
    env: {
      ...process.env,
      NATS_URL: config.NATS_URL,
      NATS_PREFIX: config.NATS_PREFIX,
      // The files ops found (its environment or the running local stack's record).
      ...(config.NATS_TLS_CA_FILE && { NATS_TLS_CA_FILE: config.NATS_TLS_CA_FILE.path }),
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
      onLine(schema.parse(JSON.parse(text)));
    } catch {
      bad ??= text.slice(0, 200);
    }
  });
  const code = await new Promise<number>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (exit) => resolve(exit ?? 1));
  });
  if (code !== 0) throw new OpsError(`${name} failed (exit ${code}): ${stderr.trim() || 'no message'}`);
  if (bad !== undefined) throw new OpsError(`${name} printed something that is not its protocol: ${bad}`);
}
