import { existsSync, readdirSync, readFileSync } from 'node:fs';

/** CPU milliseconds used so far, by who used them. */
export type CpuSplit = Map<string, number>;

/** Linux counts CPU time in ticks of 10 ms (USER_HZ = 100). */
const TICK_MS = 10;

/**
 * CPU time so far of what this run started, read from /proc (empty where there is none): each
 * child process named by the service whose dist/main.js it runs (or its command, e.g.
 * nats-server), the Postgres backends of `database`, and this process. The machine is shared, so
 * its other processes, and other databases' backends, are left out.
 */
export function cpuSplit(database: string): CpuSplit {
  const split: CpuSplit = new Map();
  if (!existsSync('/proc/self/stat')) return split;
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    let stat: string;
    let command: string;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
    } catch {
      continue;
    }
    const close = stat.lastIndexOf(')');
    const comm = stat.slice(stat.indexOf('(') + 1, close);
    // After the command: state, ppid, … utime and stime are fields 14 and 15 of stat.
    const fields = stat.slice(close + 2).split(' ');
    const ppid = Number(fields[1]);
    const ms = (Number(fields[11]) + Number(fields[12])) * TICK_MS;
    const who =
      pid === process.pid
        ? 'this bench (load, SSE clients, fake WhatsApp)'
        : ppid === process.pid
          ? (/services\/([a-z]+)\/dist\/main\.js/.exec(command)?.[1] ?? comm)
          : comm === 'postgres' && command.includes(` ${database} `)
            ? 'postgres (this database)'
            : undefined;
    if (who) split.set(who, (split.get(who) ?? 0) + ms);
  }
  return split;
}

/** CPU ms per unit of work between two readings, the largest first: `console 1.20, reservation 0.80`. */
export function perUnit(from: CpuSplit, to: CpuSplit, units: number): string {
  if (units === 0 || to.size === 0) return 'not measured';
  return [...to]
    .map(([who, ms]) => [who, (ms - (from.get(who) ?? 0)) / units] as const)
    .filter(([, ms]) => ms >= 0.005)
    .sort((a, b) => b[1] - a[1])
    .map(([who, ms]) => `${who} ${ms.toFixed(2)}`)
    .join(', ');
}
