import type { ClaimTimes } from './claim-time.js';
import type { FaultRunReport } from './fault-run.js';

type Row = Omit<FaultRunReport, 'describe'>;

const seconds = (ms: number | undefined) => (ms === undefined ? '-' : `${(ms / 1000).toFixed(1)} s`);
const claimMs = (ms: number | undefined) => (ms === undefined ? '-' : `${ms.toFixed(2)} ms`);

/**
 * Whether a run met the bar: nothing lost or doubled, no service crashed on its own (a supervised
 * restart hides a defect, it does not excuse it), every service ready at the end.
 */
export function passed(report: Row): boolean {
  return (
    report.lost === 0 && report.doubled === 0 && report.crashes.length === 0 && report.notReady.length === 0
  );
}

const COLUMNS = [
  'fault',
  'sent',
  'duplicated',
  'accepted',
  'lost',
  'doubled',
  '5xx',
  'no answer',
  'fault took',
  'first reply',
  'caught up',
  'crashes',
  'not ready',
  'result',
] as const;

function cells(r: Row): string[] {
  return [
    r.fault,
    String(r.sent),
    String(r.duplicated),
    String(r.accepted),
    String(r.lost),
    String(r.doubled),
    String(r.http5xx),
    String(r.noAnswer),
    seconds(r.faultMs),
    seconds(r.firstReplyMs),
    seconds(r.caughtUpMs),
    r.crashes.join(' ') || '-',
    r.notReady.join(' ') || '-',
    passed(r) ? 'ok' : 'FAIL',
  ];
}

function claims(times: ClaimTimes): string {
  return `p50 ${claimMs(times.p50Ms)}, max ${claimMs(times.maxMs)} (${times.samples} claims, up to ${times.maxRows} rows)`;
}

/** The runs as a Markdown table, then one line per drained backlog. */
export function reportTable(reports: Row[]): string {
  const rows = [COLUMNS.slice(), ...reports.map(cells)];
  const widths = COLUMNS.map((_, i) => Math.max(...rows.map((row) => (row[i] ?? '').length)));
  const line = (row: string[]) => `| ${row.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  const lines = [line(rows[0] ?? []), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`];
  for (const row of rows.slice(1)) lines.push(line(row));
  for (const r of reports) {
    if (r.drain) {
      lines.push(
        `${r.fault}: ${r.drain.rows} replies owed when the sender was started again; the first went out ${seconds(r.drain.startupMs)} later, all of them in ${r.drain.seconds.toFixed(1)} s (${r.drain.rowsPerSecond.toFixed(0)} rows/s)`,
      );
    }
    if (r.claims) {
      lines.push(
        `${r.fault}: claim while draining ${claims(r.claims.draining)}; on the empty outbox before the load ${claims(r.claims.empty)}`,
      );
    }
  }
  return lines.join('\n');
}
