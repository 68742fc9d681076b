import { existsSync, readdirSync, readFileSync } from 'node:fs';

/** Linux reports CPU time in clock ticks of 10 ms (USER_HZ 100). */
export const MS_PER_TICK = 10;

/**
 * The machine's CPU ticks so far (/proc/stat): busy and total. Undefined where /proc/stat is
 * missing (not Linux), so a bench says "not measured" instead of inventing a figure.
 */
export function machineCpuTicks(): { busy: number; total: number } | undefined {
  if (!existsSync('/proc/stat')) return undefined;
  const fields =
    readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]?.trim().split(/\s+/).slice(1).map(Number) ?? [];
  const total = fields.slice(0, 8).reduce((sum, n) => sum + n, 0);
  const idle = (fields[3] ?? 0) + (fields[4] ?? 0);
  return { busy: total - idle, total };
}

/** utime + stime of one process so far (/proc/<pid>/stat), 0 once it is gone. */
export function processCpuTicks(pid: number): number {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return 0;
  }
  // The command may hold spaces and parentheses: fields are counted after its last ")".
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime and stime are fields 14 and 15 of stat, 12 and 13 after the command.
  return Number(fields[11]) + Number(fields[12]);
}

/** The command line of a process, its arguments joined by spaces; '' once it is gone. */
export function processCommandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
  } catch {
    return '';
  }
}

/** CPU ticks so far of every process, summed by the group `label` puts it in. */
export function cpuTicksByGroup(label: (pid: number, comm: string) => string): Map<string, number> {
  const byGroup = new Map<string, number>();
  if (!existsSync('/proc/self/stat')) return byGroup;
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    let comm: string;
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    } catch {
      continue;
    }
    const group = label(pid, comm);
    byGroup.set(group, (byGroup.get(group) ?? 0) + processCpuTicks(pid));
  }
  return byGroup;
}
