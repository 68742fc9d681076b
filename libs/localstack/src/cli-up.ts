import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { maskUrlPassword } from './mask-url.js';
import { findRepoRoot } from './repo-root.js';
import { type RunningStack, startStack } from './stack.js';

const COLORS = [36, 33, 35, 32, 34, 31];

function printSummary(stack: RunningStack): void {
  const rows: [string, string, string][] = [];
  for (const p of stack.processes) {
    const where = [
      ...Object.entries(p.provides).map(([k, v]) => `${k}=${maskUrlPassword(v)}`),
      ...p.links.map((l) => (l.name ? `${l.name}: ${l.url}` : l.url)),
    ];
    rows.push([p.name, p.status, where.join('  ') || '-']);
  }
  const w0 = Math.max(...rows.map((r) => r[0].length), 7);
  const w1 = Math.max(...rows.map((r) => r[1].length), 6);
  console.log('\nwhere things listen');
  console.log(`  ${'process'.padEnd(w0)}  ${'status'.padEnd(w1)}  where`);
  for (const [a, b, c] of rows) console.log(`  ${a.padEnd(w0)}  ${b.padEnd(w1)}  ${c}`);
  if (stack.webhookUrl) {
    console.log('\nsend a signed test webhook:');
    console.log(`  pnpm stack send "Hi, a table for 2 tomorrow at 8pm" --url ${stack.webhookUrl}`);
  }
  console.log('\nCtrl-C stops everything.\n');
}

export async function cliUp(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { config: { type: 'string' }, root: { type: 'string' } },
  });
  const rootDir = values.root ? resolve(values.root) : findRepoRoot();
  const configPath = values.config ? resolve(values.config) : join(rootDir, 'deploy/local/stack.json');
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
    const done = () => process.exit(0);
    if (stack) stack.stop().then(done, done);
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));

  try {
    stack = await startStack({
      configPath,
      rootDir,
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
  printSummary(stack);
  await new Promise<never>(() => undefined);
  return 0;
}
