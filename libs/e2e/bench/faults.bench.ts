/**
 * pnpm build && pnpm bench:faults — the whole fault matrix (libs/e2e/README.md, Fault suite), one fault per run, each on a
 * private nats-server and Postgres (src/faults/fault-infra.ts), the five services as supervised
 * processes, new guests writing at a steady rate. Prints one table row per run and exits 1 when a
 * run lost or doubled a reply or left a service unready.
 *
 *   FAULTS=kill-sender,backlog   only these (names: FAULTS=help lists them)
 *   FAULT_MESSAGES=200           inbound messages per run
 *   FAULT_RATE=20                messages per second
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { findRepoRoot } from '@reserveit/localstack';
import {
  FAULTS,
  type FaultRunReport,
  passed,
  reportTable,
  runFault,
  SERVICE_NAMES,
  selectFaults,
  startFaultInfra,
} from '../src/index.js';

const out = (line: string) => process.stdout.write(`${line}\n`);
const MESSAGES = Number(process.env.FAULT_MESSAGES ?? 200);
const RATE = Number(process.env.FAULT_RATE ?? 20);

if (process.env.FAULTS === 'help') {
  for (const fault of FAULTS) out(`${fault.name.padEnd(20)} ${fault.what}`);
  process.exit(0);
}
const root = findRepoRoot();
for (const name of SERVICE_NAMES) {
  if (!existsSync(join(root, 'services', name, 'dist', 'main.js'))) {
    process.stderr.write(`services/${name}/dist/main.js is missing: run \`pnpm build\` first.\n`);
    process.exit(1);
  }
}

const faults = selectFaults(process.env.FAULTS ?? '');
out(
  `fault matrix: ${faults.length} runs of ${MESSAGES} messages at ${RATE}/s, private nats-server and Postgres`,
);
const infra = await startFaultInfra();
const reports: FaultRunReport[] = [];
try {
  for (const fault of faults) {
    const started = Date.now();
    const report = await runFault({
      infra,
      fault,
      messages: MESSAGES,
      ratePerSecond: RATE,
      log: (line) => out(`  ${line}`),
    });
    reports.push(report);
    out(
      `  ${fault.name}: ${passed(report) ? 'ok' : 'FAIL'} in ${((Date.now() - started) / 1000).toFixed(0)} s`,
    );
    if (!passed(report)) process.stderr.write(`${report.describe}\n`);
  }
} finally {
  await infra.stop();
}
out('');
out(reportTable(reports));
process.exitCode = reports.every(passed) ? 0 : 1;
