import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { maskUrlPassword, runningStackPath } from '@reserveit/config';
import { DEFAULT_RESTART_POLICY, formatDelay } from './crash-loop.js';
import { ensureDevCertificates } from './dev-certs.js';
import { clientTlsEnv, devTlsEnv, LOCAL_CERTS_DIR } from './dev-tls-env.js';
import { findRepoRoot } from './repo-root.js';
import { removeRunningStack, runningStackRecord, writeRunningStack } from './running-stack-record.js';
import { type RunningStack, startStack } from './stack.js';

const COLORS = [36, 33, 35, 32, 34, 31];

function printSummary(stack: RunningStack, recordPath: string): void {
  const rows: [string, string, string, string][] = [];
  for (const p of stack.processes) {
    const ports = Object.entries(p.ports).map(([k, v]) => `${k}=${v}`);
    const where = [
      ...Object.entries(p.provides).map(([k, v]) => `${k}=${maskUrlPassword(v)}`),
      ...p.links.map((l) => (l.name ? `${l.name}: ${l.url}` : l.url)),
    ];
    rows.push([p.name, p.status, ports.join(' ') || '-', where.join('  ') || '-']);
  }
  const header: [string, string, string, string] = ['process', 'status', 'ports', 'where'];
  const widths = [0, 1, 2].map((i) => Math.max(...[header, ...rows].map((r) => r[i]?.length ?? 0)));
  const line = (r: [string, string, string, string]) =>
    `  ${r[0].padEnd(widths[0] ?? 0)}  ${r[1].padEnd(widths[1] ?? 0)}  ${r[2].padEnd(widths[2] ?? 0)}  ${r[3]}`;
  console.log('\nwhere things listen');
  console.log(line(header));
  for (const row of rows) console.log(line(row));
  console.log(
    `\npnpm ops, pnpm stack send and services/reservation/dist/cli.js find this stack in ${relative(process.cwd(), recordPath) || recordPath}`,
  );
  if (stack.webhookUrl) {
    console.log('\nsend a signed test webhook:');
    console.log('  pnpm stack send "Hi, a table for 2 tomorrow at 8pm"');
  }
  const { initialDelayMs, maxDelayMs } = DEFAULT_RESTART_POLICY;
  console.log(
    `\nA process that exits on its own is started again (after ${formatDelay(initialDelayMs)}, doubling up to ${formatDelay(maxDelayMs)}). Ctrl-C stops everything.\n`,
  );
}

export const UP_USAGE = 'up [process...] [--tls] [--config deploy/local/stack.json] [--root <repo root>]';

export async function cliUp(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { config: { type: 'string' }, root: { type: 'string' }, tls: { type: 'boolean' } },
  });
  const rootDir = values.root ? resolve(values.root) : findRepoRoot();
  const configPath = values.config ? resolve(values.config) : join(rootDir, 'deploy/local/stack.json');
  const recordPath = runningStackPath(process.env, rootDir);
  const colors = new Map<string, number>();
  const tty = process.stdout.isTTY === true;
  let width = 8;
  const prefix = (name: string): string => {
    width = Math.max(width, name.length);
    if (!colors.has(name)) colors.set(name, COLORS[colors.size % COLORS.length] ?? 36);
    const label = name.padEnd(width);
    return tty ? `\x1b[${colors.get(name)}m${label}\x1b[0m |` : `${label} |`;
  };

  let stack: RunningStack | undefined;
  let interrupted = false;
  const shutdown = (signal: string) => {
    if (interrupted) return;
    interrupted = true;
    console.log(`\n${signal}: stopping the stack`);
    removeRunningStack(recordPath, process.pid);
    const done = () => process.exit(0);
    if (stack) stack.stop().then(done, done);
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));

  // --tls or LOCAL_TLS=1: gRPC and NATS over TLS with development certificates (dev-certs.ts).
  let tlsEnv: Record<string, string> = {};
  if (values.tls || process.env.LOCAL_TLS === '1') {
    const certs = await ensureDevCertificates(join(rootDir, LOCAL_CERTS_DIR));
    tlsEnv = devTlsEnv(certs, { startsNats: !process.env.NATS_URL });
    console.log(
      `${prefix('stack')} TLS on: development CA ${relative(process.cwd(), certs.caFile)} (${certs.reused ? 'reused' : 'new'})` +
        (process.env.NATS_URL ? '; NATS_URL is set, so NATS is used as it is' : ''),
    );
  }

  try {
    stack = await startStack({
      configPath,
      rootDir,
      env: { ...process.env, ...tlsEnv },
      ...(positionals.length > 0 ? { only: positionals } : {}),
      onOutput: (name, line) => console.log(`${prefix(name)} ${line}`),
      onEvent: (message) => console.log(`${prefix('stack')} ${message}`),
    });
  } catch (err) {
    console.error(`\n${err instanceof Error ? err.message : String(err)}`);
    return 1;
  }
  if (interrupted) {
    await stack.stop();
    return 0;
  }
  writeRunningStack(recordPath, runningStackRecord(stack, process.pid, new Date(), clientTlsEnv(tlsEnv)));
  // Also when the runner dies of an error: a record nobody removes would only be ignored (its pid is gone).
  process.once('exit', () => removeRunningStack(recordPath, process.pid));
  printSummary(stack, recordPath);
  await new Promise<never>(() => undefined);
  return 0;
}
